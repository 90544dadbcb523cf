// Mapping fields the jlp-salesforce actions share: who the supporter is, their name and address, extra fields and
// batching. Default mappings read an identify's traits, a track's context.traits, or the properties of events
// that carry the person (Registration Started).
import type { InputField } from '@segment/actions-core'
import { firstOf } from '../../lib/mapping'
import type { EventTime, SupporterIds } from './salesforce-client'

/** What Salesforce gets for a required name the event does not carry (only when a record is created). */
export const NOT_PROVIDED = '[not provided]'

export const supporterFields = {
  email: {
    label: 'Email',
    description:
      'The supporter’s email address. Used to find the record when no supporter id field is set in the settings, ' +
      'and written to the record.',
    type: 'string',
    format: 'email',
    default: firstOf('$.properties.email', '$.traits.email', '$.context.traits.email')
  },
  supporter_id: {
    label: 'Supporter id',
    description:
      'The JLP supporter id (Segment userId). When the settings name a supporter id field, records are found ' +
      'and created by it (one API call, no duplicates); otherwise it is not sent.',
    type: 'string',
    default: firstOf('$.userId', '$.traits.supporter_id', '$.context.traits.supporter_id')
  },
  first_name: {
    label: 'First name',
    description: 'The supporter’s first name.',
    type: 'string',
    default: firstOf('$.properties.first_name', '$.traits.firstName', '$.context.traits.firstName')
  },
  last_name: {
    label: 'Last name',
    description: `The supporter’s last name. Salesforce requires one: a new record without it gets "${NOT_PROVIDED}" (an existing name is never replaced by that).`,
    type: 'string',
    default: firstOf('$.properties.last_name', '$.traits.lastName', '$.context.traits.lastName')
  },
  phone: {
    label: 'Phone',
    description: 'The supporter’s phone number.',
    type: 'string',
    default: firstOf('$.properties.phone', '$.traits.phone', '$.context.traits.phone')
  }
} satisfies Record<string, InputField>

const addressPart = (label: string, trait: string, extra: string[] = []): InputField => ({
  label,
  description: `${label} of the supporter’s address.`,
  type: 'string',
  default: firstOf(...extra, `$.traits.address.${trait}`, `$.context.traits.address.${trait}`)
})

export const addressFields = {
  street: addressPart('Street', 'street'),
  city: addressPart('City', 'city'),
  state: addressPart('State or county', 'state'),
  postal_code: addressPart('Postcode', 'postalCode', ['$.properties.postcode']),
  country: addressPart('Country', 'country')
} satisfies Record<string, InputField>

export const customFieldsField: InputField = {
  label: 'Other Salesforce fields',
  description:
    'More fields to set on the record: the key is the Salesforce field API name (e.g. JLP_Favourite_Draw__c), the ' +
    'value is mapped from the event. NPSP rollup fields (npo02__…) are computed by Salesforce and refused.',
  type: 'object',
  defaultObjectUI: 'keyvalue'
}

export function batchFields(noun: string): Record<string, InputField> {
  return {
    enable_batching: {
      label: 'Send in batches',
      description: `Send events to Salesforce in batches: up to 200 ${noun} a request, each event with its own result.`,
      type: 'boolean',
      default: false
    },
    batch_size: {
      label: 'Batch size',
      description: 'Most events in one batch (Salesforce Collections take 200 records a request).',
      type: 'number',
      unsafe_hidden: true,
      default: 200
    }
  }
}

/** The identifiers matching uses, from a payload with the supporter fields. */
export const idsOf = (payload: { email?: string | null; supporter_id?: string | null }): SupporterIds => ({
  email: payload.email,
  supporterId: payload.supporter_id
})

/** A string field's value, or undefined when empty. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined

/** The field Contact and JLP Subscription keep the newest applied event's time in (Date/Time). */
export const EVENT_STAMP_FIELD = 'JLP_Last_Event_At__c'

/** "Newest event wins": the event's time and the record's field that keeps the newest one (empty: no guard). */
export function eventTimeFields(object: string, stampDefault?: string): Record<string, InputField> {
  return {
    event_time: {
      label: 'Event time',
      description:
        'When the event happened. Segment can deliver a late copy of an old event after a newer one: with a ' +
        'newest-event field set, an event older than the newest one already applied leaves the record as it is.',
      type: 'datetime',
      default: { '@path': '$.timestamp' }
    },
    event_time_field: {
      label: 'Newest event field',
      description:
        `API name of a Date/Time field on ${object} that keeps the time of the newest event applied (e.g. ` +
        `${EVENT_STAMP_FIELD}). Set: the record is read first and an older event changes nothing (2 API calls an ` +
        'event, 1 when it is older). Empty: every event overwrites, whatever its time (1 API call).',
      type: 'string',
      ...(stampDefault ? { default: stampDefault } : {})
    }
  }
}

/** The guard for a payload with those fields, or undefined (no field named, or no event time). */
export function eventTimeOf(payload: {
  event_time?: string | number | null
  event_time_field?: string | null
}): EventTime | undefined {
  const field = text(payload.event_time_field)
  const time = payload.event_time
  const at = typeof time === 'number' && Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : text(time)
  return field && at ? { field, at } : undefined
}
