import { PayloadValidationError, type ActionDefinition } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import { outcome } from '../../../lib/outcome'
import { text } from '../common-fields'
import type { Settings } from '../generated-types'
import { taskSummary } from '../logActivity'
import { detailsField, relatedToField, taskSupporterFields, taskWrite } from '../logActivity/task-fields'
import { activityDate } from '../logActivity/task-text'
import { SalesforceClient, createTaskOnce } from '../salesforce-client'
import type { Payload } from './generated-types'

export const ACTION = 'createFollowUpTask'

/** A User id: 005 and 12 or 15 more letters and digits. A queue (00G…) cannot own a Task. */
const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/

export function ownerOf(value: string | undefined): string {
  const id = text(value) ?? ''
  if (/^00G/.test(id)) {
    throw new PayloadValidationError(
      `${quoted(id)} is a queue: Salesforce does not let a queue own a Task. Assign a user of the care team, or use the ` +
        `"Trigger Flow" action with a Flow that routes the follow-up to the queue.`
    )
  }
  if (!USER_ID.test(id)) {
    throw new PayloadValidationError(`"Assigned to" must be a Salesforce User id (005…), not "${id.slice(0, 40)}".`)
  }
  return id
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Create Follow-up Task',
  description:
    'Assigns an open, high-priority follow-up Task to a supporter-care user when a recurring payment fails: due in ' +
    'a set number of days, with the failure reason, attempt, amount and subscription in its comments. One Task per ' +
    'failed attempt, however often the event arrives.',
  defaultSubscription: 'type = "track" and event = "Recurring Payment Failed"',
  fields: {
    ...taskSupporterFields,
    when_no_supporter: { ...taskSupporterFields.when_no_supporter, default: 'create_lead' },
    owner_id: {
      label: 'Assigned to',
      description:
        'The Salesforce User id (005…) of the care-team member who follows up. Salesforce does not let a queue own ' +
        'a Task: to route follow-ups to a queue, use "Trigger Flow" with a Flow that assigns them.',
      type: 'string',
      required: true
    },
    due_in_days: {
      label: 'Due in days',
      description: 'Days after the failed payment the follow-up is due (0 = the same day).',
      type: 'integer',
      required: true,
      default: 2
    },
    priority: {
      label: 'Priority',
      description: 'The Task’s Priority.',
      type: 'string',
      default: 'High',
      choices: ['High', 'Normal', 'Low']
    },
    status: {
      label: 'Status',
      description: 'The Task’s Status: an open one, so it shows in the owner’s open tasks.',
      type: 'string',
      default: 'Not Started'
    },
    subject: {
      label: 'Subject',
      description: 'The Task’s subject (a template can use the event). At most 255 characters.',
      type: 'string',
      default: {
        '@template': 'JLP: Recurring payment failed – attempt {{properties.attempt_number}}, {{properties.plan}}'
      }
    },
    event_time: {
      label: 'Failed at',
      description: 'When the payment failed; the due date counts from this day (UTC).',
      type: 'datetime',
      required: true,
      default: { '@path': '$.timestamp' }
    },
    details: detailsField('What the care team needs: failure reason, attempt, amount, subscription and payment.', {
      'Failure reason': { '@path': '$.properties.failure_reason' },
      'Failure code': { '@path': '$.properties.failure_code' },
      'Attempt number': { '@path': '$.properties.attempt_number' },
      'Final attempt': { '@path': '$.properties.final_attempt' },
      Amount: { '@path': '$.properties.amount' },
      Currency: { '@path': '$.properties.currency' },
      Plan: { '@path': '$.properties.plan' },
      'Subscription id': { '@path': '$.properties.subscription_id' },
      'Payment id': { '@path': '$.properties.payment_id' },
      'Next attempt': { '@path': '$.properties.next_attempt_at' }
    }),
    what_id: relatedToField,
    followup_key: {
      label: 'One Task per',
      description:
        'What makes two events the same follow-up: by default the payment and its attempt number, so a ' +
        'redelivered (or re-sent) failure of the same attempt adds no second Task, while the next attempt does.',
      type: 'string',
      required: true,
      default: { '@template': 'payment-failed:{{properties.payment_id}}:{{properties.attempt_number}}' }
    }
  },
  perform: async (request, { settings, payload, auth }) => {
    const key = text(payload.followup_key) ?? ''
    if (/:$|::/.test(key)) {
      throw new PayloadValidationError(
        `The follow-up key ${quoted(key)} is incomplete: the event lacks the payment id or attempt.`
      )
    }
    const client = new SalesforceClient(request, settings, auth)
    const write = taskWrite(client, settings, payload, {
      action: ACTION,
      key,
      fallbackSubject: 'JLP: Recurring payment failed',
      heading: 'A recurring payment failed. Please contact the supporter.',
      fields: {
        ActivityDate: activityDate(payload.event_time, payload.due_in_days),
        OwnerId: ownerOf(payload.owner_id),
        Priority: text(payload.priority) ?? 'High',
        Status: text(payload.status) ?? 'Not Started'
      }
    })
    const task = await createTaskOnce(client, write)
    const { summary, records } = taskSummary(task, 'created for follow-up')
    return outcome(summary, records, client.apiCalls)
  }
}

export default action
