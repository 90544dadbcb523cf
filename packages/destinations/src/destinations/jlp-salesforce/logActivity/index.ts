import { PayloadValidationError, type ActionDefinition } from '@segment/actions-core'
import { outcome, type ActionOutcome, type TouchedRecord } from '../../../lib/outcome'
import { text } from '../common-fields'
import type { Settings } from '../generated-types'
import {
  SalesforceClient,
  apiName,
  createTaskOnce,
  updateOpenOpportunity,
  type Match,
  type RecordSuccess,
  type TaskResult
} from '../salesforce-client'
import type { Payload } from './generated-types'
import { detailsField, relatedToField, taskSupporterFields, taskWrite } from './task-fields'
import { activityDate } from './task-text'

export const ACTION = 'logActivity'

/** Words for a Task result, e.g. "Task 00T… logged on Contact 003…". */
export function taskSummary(result: TaskResult, verb: string): { summary: string; records: TouchedRecord[] } {
  const who = result.who
  const on = who ? ` on ${who.created ? 'new ' : ''}${who.object}${who.id ? ` ${who.id}` : ''}` : ''
  const records: TouchedRecord[] = [{ object: 'Task', id: result.id, change: result.change }]
  if (who?.created) records.push({ object: who.object, id: who.id, change: 'created' })
  if (result.change === 'skipped') {
    return { summary: 'No Task: Salesforce has no Contact or Lead for this supporter', records }
  }
  if (result.change === 'unchanged') return { summary: `Task already ${verb} for this event${on}`, records }
  const dropped = result.dropped?.length ? ` (${result.dropped.join(', ')} left out: not allowed on a Lead’s Task)` : ''
  return { summary: `Task ${result.id ?? ''} ${verb}${on}${dropped}`.replace('  ', ' '), records }
}

function describe(task: TaskResult, opportunity: RecordSuccess | undefined, apiCalls: number): ActionOutcome {
  const { summary, records } = taskSummary(task, 'logged')
  if (!opportunity) return outcome(summary, records, apiCalls)
  const stage = opportunity.written?.StageName
  const opp =
    opportunity.change === 'updated'
      ? `; Opportunity ${opportunity.id} moved to ${String(stage)}`
      : '; no open Opportunity for this cart'
  return outcome(
    summary + opp,
    [...records, { object: 'Opportunity', id: opportunity.id, change: opportunity.change }],
    apiCalls
  )
}

/** The Opportunity stage change the payload asks for, or undefined (off, or the event has no cart id). */
export function opportunityChange(payload: Payload): { match: Match; stage: string } | undefined {
  if (!payload.update_opportunity) return undefined
  const stage = text(payload.opportunity_stage)
  if (!stage) throw new PayloadValidationError('"Move the cart’s Opportunity" is on but no Opportunity stage is set.')
  const field = apiName(text(payload.opportunity_field) ?? '', 'Opportunity field')
  const value = text(payload.opportunity_key)
  return value ? { match: { by: 'field', field, value }, stage } : undefined
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Log Activity',
  description:
    'Logs what a supporter did (a product added, a cart viewed, an email link clicked) as a completed Task on ' +
    'their Contact, or Lead when they have no Contact, once per event. Optionally moves the open Opportunity of ' +
    'their cart to a stage.',
  defaultSubscription: 'type = "track" and event = "Product Added"',
  fields: {
    ...taskSupporterFields,
    subject: {
      label: 'Subject',
      description:
        'The Task’s subject; a template can use the event, e.g. "JLP: Product Added – {{properties.name}}". A ' +
        'trailing separator left by a missing value is dropped. At most 255 characters.',
      type: 'string',
      default: { '@template': 'JLP: {{event}} – {{properties.name}}' }
    },
    activity_date: {
      label: 'Date',
      description: 'When it happened: the Task’s date (Due Date, the day in UTC).',
      type: 'datetime',
      required: true,
      default: { '@path': '$.timestamp' }
    },
    type: {
      label: 'Type',
      description: 'The Task’s Type: a value of your org’s Type picklist, e.g. Call, Email, Meeting or Other.',
      type: 'string',
      default: 'Other'
    },
    status: {
      label: 'Status',
      description: 'The Task’s Status: a logged activity is done, so a closed status (usually "Completed").',
      type: 'string',
      default: 'Completed'
    },
    details: detailsField(
      'What the event says: by default every property (product, draw number, price, recurring flag, platform).',
      { '@path': '$.properties' }
    ),
    what_id: relatedToField,
    message_id: {
      label: 'Event id',
      description:
        'What makes a redelivered event the same Task: its messageId, kept in the Task’s JLP_Event_Id__c and in a ' +
        'JLP Event Receipt that Salesforce refuses twice.',
      type: 'string',
      required: true,
      default: { '@path': '$.messageId' }
    },
    update_opportunity: {
      label: 'Move the cart’s Opportunity',
      description:
        'When on, the supporter’s open Opportunity for this cart or order (found by the field below) is moved to ' +
        'the stage below. A closed Opportunity is never reopened. One more API call.',
      type: 'boolean',
      default: false
    },
    opportunity_field: {
      label: 'Opportunity cart field',
      description: 'API name of the Opportunity field holding the cart or order id (e.g. JLP_Cart_Id__c).',
      type: 'string',
      default: 'JLP_Cart_Id__c'
    },
    opportunity_key: {
      label: 'Cart or order id',
      description: 'The cart or order id the open Opportunity carries in that field.',
      type: 'string',
      default: { '@path': '$.properties.cart_id' }
    },
    opportunity_stage: {
      label: 'Opportunity stage',
      description: 'The Stage to move the open Opportunity to (a value of your org’s Stage picklist).',
      type: 'string'
    }
  },
  perform: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const write = taskWrite(client, settings, payload, {
      action: ACTION,
      key: payload.message_id,
      fallbackSubject: 'JLP activity',
      fields: {
        ActivityDate: activityDate(payload.activity_date),
        Type: text(payload.type),
        Status: text(payload.status) ?? 'Completed'
      }
    })
    const stageChange = opportunityChange(payload)
    const task = await createTaskOnce(client, write)
    // Also on a redelivery (the first delivery may have logged the Task and failed on the Opportunity); not for a
    // supporter Salesforce does not know, who has no Opportunity either.
    const opportunity =
      stageChange && task.change !== 'skipped'
        ? await updateOpenOpportunity(client, stageChange.match, { StageName: stageChange.stage })
        : undefined
    return describe(task, opportunity, client.apiCalls)
  }
}

export default action
