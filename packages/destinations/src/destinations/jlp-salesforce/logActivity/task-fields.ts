// Fields logActivity and createFollowUpTask share: whom the Task is for, what happens when Salesforce has no one
// with the supporter's email or id, and the Task's related record; and the TaskWrite the client gets from them.
import type { InputField } from '@segment/actions-core'
import { NOT_PROVIDED, idsOf, supporterFields, text } from '../common-fields'
import { DEFAULT_COMPANY } from '../createOrUpdateLead'
import type { Settings } from '../generated-types'
import type { SalesforceClient, TaskWrite } from '../salesforce-client'
import { taskDescription, taskSubject } from './task-text'

export const taskSupporterFields = {
  email: supporterFields.email,
  supporter_id: supporterFields.supporter_id,
  when_no_supporter: {
    label: 'When Salesforce has no such supporter',
    description:
      'The Task goes on the supporter’s Contact, else on their unconverted Lead (found by the supporter id field ' +
      'in the settings, else by email). When neither exists: skip the event (reported as skipped), or create a ' +
      'Lead with the Task.',
    type: 'string',
    required: true,
    default: 'skip',
    choices: [
      { label: 'Skip the event', value: 'skip' },
      { label: 'Create a Lead', value: 'create_lead' }
    ]
  },
  first_name: { ...supporterFields.first_name, description: 'The supporter’s first name, for a Lead created here.' },
  last_name: {
    ...supporterFields.last_name,
    description: `The supporter’s last name, for a Lead created here ("${NOT_PROVIDED}" when the event has none).`
  }
} satisfies Record<string, InputField>

export const relatedToField: InputField = {
  label: 'Related to (WhatId)',
  description:
    'Optional: the id of a record the Task relates to (an Opportunity, Campaign or JLP Subscription). Salesforce ' +
    'does not allow one on a Lead’s Task, so it is left out there.',
  type: 'string'
}

export const detailsField = (description: string, defaultValue: InputField['default']): InputField => ({
  label: 'Details',
  description: `${description} Each becomes a "Label: value" line of the Task’s Comments; empty ones are left out.`,
  type: 'object',
  defaultObjectUI: 'keyvalue',
  additionalProperties: true,
  default: defaultValue
})

export interface TaskPayload {
  email?: string
  supporter_id?: string
  when_no_supporter: string
  first_name?: string
  last_name?: string
  subject?: string
  what_id?: string
  details?: Record<string, unknown>
}

/** The Task the client writes: whom it is for, its fields (subject, dates, comments) and the Lead to create. */
export function taskWrite(
  client: SalesforceClient,
  settings: Settings,
  payload: TaskPayload,
  task: { action: string; key: string; fallbackSubject: string; fields: Record<string, unknown>; heading?: string }
): TaskWrite {
  const ids = idsOf(payload)
  const leadMatch = client.supporterMatch('Lead', ids)
  return {
    action: task.action,
    key: task.key,
    who: [
      { object: 'Contact', match: client.supporterMatch('Contact', ids) },
      { object: 'Lead', match: leadMatch }
    ],
    task: {
      Subject: taskSubject(payload.subject, task.fallbackSubject),
      Description: taskDescription(payload.details, task.heading),
      WhatId: text(payload.what_id),
      ...task.fields
    },
    ...(payload.when_no_supporter === 'create_lead'
      ? {
          newLead: {
            match: leadMatch,
            fields: {
              Email: text(payload.email),
              FirstName: text(payload.first_name),
              LastName: text(payload.last_name) ?? NOT_PROVIDED,
              Company: text(settings.defaultCompany) ?? DEFAULT_COMPANY,
              LeadSource: 'Web'
            }
          }
        }
      : {})
  }
}
