// Mapping fields both actions share: who the person is (identity, name, location) and the person fields the
// journeys test. Each catalogue entry says once what Ortto type the value has, so the field id, the value
// conversion and the activity definitions all come from the same line.
import type { InputField } from '@segment/actions-core'
import { PayloadValidationError } from '@segment/actions-core'
import {
  ORTTO_STRING_MAX,
  inferKind,
  isOrttoFieldId,
  kindOfFieldId,
  toOrttoFields,
  toOrttoFieldId,
  type OrttoGuard,
  type OrttoJson,
  type OrttoLocation,
  type OrttoPerson,
  type OrttoValueKind,
  type TypedValue
} from './ortto-client'

/** `{ '@if': exists … then … else … }` chain: the first of the paths that has a value. */
export function firstOf(...paths: string[]): Record<string, unknown> {
  const [head, ...rest] = paths
  if (rest.length === 0) return { '@path': head }
  return { '@if': { exists: { '@path': head }, then: { '@path': head }, else: firstOf(...rest) } }
}

export interface CatalogueEntry {
  label: string
  description: string
  kind: OrttoValueKind
  /** Ortto name (kebab-case) when it differs from the key. */
  ortto?: string
  type: InputField['type']
  /** A list of values (e.g. product lines). */
  multiple?: boolean
  /** Written only by the newest event that writes it: the person field holding that event's time (epoch ms). */
  stamp?: string
}

/** Epoch ms of the event that last changed the subscription fields; older events leave those fields alone. */
export const SUBSCRIPTION_STAMP = 'int:cm:subscription-changed-at'
/** Epoch ms of the newest purchase event applied: an older purchase leaves the last purchase date alone. */
export const PURCHASE_STAMP = 'int:cm:last-purchase-changed-at'
/** Epoch ms of the newest event that said whether the supporter agrees to marketing email or SMS: a late copy of an
 * older event can neither subscribe again someone who opted out since, nor unsubscribe someone who opted in. */
export const CONSENT_STAMP = 'int:cm:consent-changed-at'
/** Ortto's own permission fields, written only by the newest event that sets them. */
const CONSENT_FIELDS = ['bol::p', 'bol::sp']

/** Custom person fields that journeys filter on; see docs/ortto-journeys.md. */
export const JOURNEY_PERSON_FIELDS = {
  recurring_subscriber: {
    label: 'Is a recurring subscriber',
    description: 'True while the supporter has an active recurring subscription (bol:cm:recurring-subscriber).',
    kind: 'boolean',
    type: 'boolean',
    stamp: SUBSCRIPTION_STAMP
  },
  subscription_plan: {
    label: 'Subscription plan',
    description: 'Name of the supporter’s recurring plan (str:cm:subscription-plan).',
    kind: 'text',
    type: 'string',
    stamp: SUBSCRIPTION_STAMP
  },
  plan_amount: {
    label: 'Plan amount',
    description: 'Amount of the supporter’s recurring plan, in the currency of the event (int:cm:plan-amount, ×1000).',
    kind: 'decimal',
    type: 'number',
    stamp: SUBSCRIPTION_STAMP
  },
  subscription_cancelled_at: {
    label: 'Subscription cancelled date',
    description: 'When the supporter cancelled their subscription (dtz:cm:subscription-cancelled-date).',
    kind: 'date',
    ortto: 'subscription-cancelled-date',
    type: 'datetime',
    stamp: SUBSCRIPTION_STAMP
  },
  last_purchase_at: {
    label: 'Last purchase date',
    description: 'When the supporter last completed an order or purchase (dtz:cm:last-purchase-date).',
    kind: 'date',
    ortto: 'last-purchase-date',
    type: 'datetime',
    stamp: PURCHASE_STAMP
  },
  lifetime_spend: {
    label: 'Lifetime spend',
    description:
      'The supporter’s total spend as the event reports it (int:cm:lifetime-spend, ×1000). Set from a value the ' +
      'event carries, never incremented, so a redelivered event cannot count twice.',
    kind: 'decimal',
    type: 'number',
    stamp: PURCHASE_STAMP
  }
} satisfies Record<string, CatalogueEntry>

export type JourneyPersonField = keyof typeof JOURNEY_PERSON_FIELDS

/** Catalogue → object-field properties (label, description, type). */
export function propertiesOf(catalogue: Record<string, CatalogueEntry>): Record<string, InputField> {
  return Object.fromEntries(
    Object.entries(catalogue).map(([key, e]) => [
      key,
      {
        label: e.label,
        description: e.description,
        type: e.type,
        required: false,
        ...(e.multiple ? { multiple: true } : {})
      } as InputField
    ])
  )
}

/** Mapped catalogue values → typed values (unknown keys are ignored; the catalogue decides the type). */
export function typedFromCatalogue(
  catalogue: Record<string, CatalogueEntry>,
  values: Record<string, unknown> | undefined
): TypedValue[] {
  return Object.entries(values ?? {}).flatMap(([key, value]) => {
    const entry = catalogue[key]
    return entry ? [{ name: entry.ortto ?? key, kind: entry.kind, value }] : []
  })
}

export const MERGE_KEYS: Record<string, string[]> = {
  email: ['str::email'],
  external_id: ['str::ei'],
  email_or_external_id: ['str::email', 'str::ei']
}

export const identityFields: Record<string, InputField> = {
  email: {
    label: 'Email',
    description: 'The supporter’s email address (str::email), Ortto’s usual merge key.',
    type: 'string',
    default: firstOf('$.properties.email', '$.context.traits.email', '$.traits.email')
  },
  external_id: {
    label: 'External ID',
    description: 'The supporter’s JLP user id (str::ei), usable as merge key instead of or besides the email.',
    type: 'string',
    default: { '@path': '$.userId' }
  },
  merge_by: {
    label: 'Merge by',
    description:
      'Which person field Ortto uses to find the supporter (and creates them when none matches): the email, ' +
      'the external id, or the email falling back to the external id.',
    type: 'string',
    required: true,
    default: 'email',
    choices: [
      { label: 'Email', value: 'email' },
      { label: 'External ID', value: 'external_id' },
      { label: 'Email, else external ID', value: 'email_or_external_id' }
    ]
  },
  first_name: {
    label: 'First name',
    description: 'The supporter’s first name (str::first).',
    type: 'string',
    default: firstOf(
      '$.context.traits.first_name',
      '$.traits.first_name',
      '$.context.traits.firstName',
      '$.traits.firstName'
    )
  },
  last_name: {
    label: 'Last name',
    description: 'The supporter’s last name (str::last).',
    type: 'string',
    default: firstOf(
      '$.context.traits.last_name',
      '$.traits.last_name',
      '$.context.traits.lastName',
      '$.traits.lastName'
    )
  },
  phone: {
    label: 'Phone',
    description:
      'The supporter’s phone number, best with its country code, e.g. +44 7700 900123 (phn::phone). A value with ' +
      'too few digits to be a phone is left out.',
    type: 'string',
    default: firstOf('$.context.traits.phone', '$.traits.phone')
  },
  address: {
    label: 'Address',
    description: 'The supporter’s postal address; Ortto sets city, region, country and postcode from it.',
    type: 'object',
    additionalProperties: false,
    properties: {
      address1: { label: 'Street', description: 'Street address line.', type: 'string' },
      city: { label: 'City', description: 'City or suburb.', type: 'string' },
      region: { label: 'Region', description: 'State, province or region.', type: 'string' },
      country: { label: 'Country', description: 'Country name or code.', type: 'string' },
      postal_code: { label: 'Postcode', description: 'Postal or ZIP code.', type: 'string' }
    },
    default: {
      address1: firstOf('$.context.traits.address.street', '$.traits.address.street'),
      city: firstOf('$.context.traits.address.city', '$.traits.address.city'),
      region: firstOf('$.context.traits.address.state', '$.traits.address.state'),
      country: firstOf('$.context.traits.address.country', '$.traits.address.country'),
      postal_code: firstOf('$.context.traits.address.postalCode', '$.traits.address.postalCode')
    }
  },
  email_opt_in: {
    label: 'Email permission',
    description:
      'Whether the supporter agreed to marketing email (bol::p). Sent only when the event says, and only when no ' +
      'newer event has said otherwise (int:cm:consent-changed-at); Ortto treats people created by API as ' +
      'subscribed unless told otherwise.',
    type: 'boolean',
    default: firstOf('$.traits.email_opt_in', '$.properties.email_opt_in')
  },
  sms_opt_in: {
    label: 'SMS permission',
    description:
      'Whether the supporter agreed to marketing SMS (bol::sp). Sent only when the event says, and only when no ' +
      'newer event has said otherwise.',
    type: 'boolean',
    default: firstOf('$.traits.sms_opt_in', '$.properties.sms_opt_in')
  },
  ip: {
    label: 'IP address',
    description: 'Where the event came from; Ortto locates the supporter by it when no address is given.',
    type: 'string',
    default: { '@path': '$.context.ip' }
  }
}

export const timestampField: InputField = {
  label: 'Time',
  description:
    'When the event happened. Activities are recorded at this time, and a late event does not overwrite the ' +
    'subscription fields a newer event set.',
  type: 'datetime',
  default: { '@path': '$.timestamp' }
}

export const personFieldsField: InputField = {
  label: 'Journey person fields',
  description:
    'Person fields the Ortto journeys test, set with this event (e.g. the subscriber flag). Leave empty to leave ' +
    'them unchanged; presets fill them for the events that change them.',
  type: 'object',
  additionalProperties: false,
  properties: propertiesOf(JOURNEY_PERSON_FIELDS)
}

export const customFieldsField: InputField = {
  label: 'Custom person fields',
  description:
    'More person fields to set: key is an Ortto field id (e.g. str:cm:favourite-charity) or a name, whose type is ' +
    'then taken from the value (text, number, true/false).',
  type: 'object',
  defaultObjectUI: 'keyvalue'
}

/** Batching switches (Segment sends up to batch_size events; the client splits them into requests of 100). */
export function batchFields(noun: 'activities' | 'people'): Record<string, InputField> {
  return {
    enable_batching: {
      label: 'Send in batches',
      description: `Send events to Ortto in batches (up to 100 ${noun} a request).`,
      type: 'boolean',
      default: false
    },
    batch_size: {
      label: 'Batch size',
      description: 'Most events in one batch; the client splits them into requests of 100.',
      type: 'number',
      unsafe_hidden: true,
      default: 100
    }
  }
}

export interface IdentityPayload {
  email?: string
  external_id?: string
  merge_by: string
  first_name?: string
  last_name?: string
  phone?: string
  address?: { address1?: string; city?: string; region?: string; country?: string; postal_code?: string }
  email_opt_in?: boolean
  sms_opt_in?: boolean
  ip?: string
  timestamp?: string | number
}

const BUILT_IN = ''

/** Identity + journey fields + free custom fields → Ortto person fields and location. */
export function toOrttoPerson(
  identity: IdentityPayload,
  personFields: Record<string, unknown> | undefined,
  customFields: Record<string, unknown> | undefined
): OrttoPerson & { mergeBy: string[]; guards?: OrttoGuard[] } {
  const mergeBy = MERGE_KEYS[identity.merge_by] ?? MERGE_KEYS.email
  const typed: TypedValue[] = [
    { name: 'email', kind: 'text', value: emailOf(identity.email), namespace: BUILT_IN },
    { name: 'ei', kind: 'text', value: mergeKeyOf('External ID', identity.external_id), namespace: BUILT_IN },
    { name: 'first', kind: 'text', value: identity.first_name, namespace: BUILT_IN },
    { name: 'last', kind: 'text', value: identity.last_name, namespace: BUILT_IN },
    // A phone Ortto could not read is left out rather than failing the whole event.
    { name: 'phone', kind: 'phone', value: phoneOf(identity.phone), namespace: BUILT_IN },
    { name: 'p', kind: 'boolean', value: identity.email_opt_in, namespace: BUILT_IN },
    { name: 'sp', kind: 'boolean', value: identity.sms_opt_in, namespace: BUILT_IN },
    ...typedFromCatalogue(JOURNEY_PERSON_FIELDS, personFields),
    ...Object.entries(customFields ?? {}).map(([name, value]) => ({ name, kind: customKind(name, value), value }))
  ]
  const fields = toOrttoFields(typed)
  return { fields, location: toOrttoLocation(identity), mergeBy, ...guardsOf(fields, identity.timestamp) }
}

/** For each stamp whose fields the event writes, when it says when it happened: stamp them and guard them. */
function guardsOf(
  fields: Record<string, OrttoJson>,
  timestamp: string | number | undefined
): { guards?: OrttoGuard[] } {
  const at = timestamp === undefined ? NaN : new Date(timestamp).getTime()
  if (Number.isNaN(at)) return {}
  const byStamp = new Map<string, string[]>()
  for (const [key, e] of Object.entries(JOURNEY_PERSON_FIELDS as Record<string, CatalogueEntry>)) {
    const id = toOrttoFieldId(e.ortto ?? key, e.kind)
    if (e.stamp && id in fields) byStamp.set(e.stamp, [...(byStamp.get(e.stamp) ?? []), id])
  }
  const consent = CONSENT_FIELDS.filter((id) => id in fields)
  if (consent.length) byStamp.set(CONSENT_STAMP, consent)
  const guards = [...byStamp].map(([stamp, guarded]) => ((fields[stamp] = at), { stamp, at, fields: guarded }))
  return guards.length ? { guards } : {}
}

const EMAIL = /^[^\s@]+@[^\s@]+$/

/** Merge keys are never cut to fit: a shortened key could match somebody else. */
function mergeKeyOf(label: string, value: string | undefined): string | undefined {
  const v = value?.trim()
  if (v && v.length > ORTTO_STRING_MAX) {
    throw new PayloadValidationError(`${label} is ${v.length} characters; Ortto keeps at most ${ORTTO_STRING_MAX}.`)
  }
  return v || undefined
}

function emailOf(value: string | undefined): string | undefined {
  const email = mergeKeyOf('Email', value)?.toLowerCase()
  if (email && !EMAIL.test(email))
    throw new PayloadValidationError(`Email "${email.slice(0, 60)}" is not an email address.`)
  return email
}

function phoneOf(value: string | undefined): string | undefined {
  return value && value.replace(/\D/g, '').length >= 5 ? value : undefined
}

/** A free custom field's kind: from its typed id when it has one, else from the value. */
export function customKind(name: string, value: unknown): OrttoValueKind {
  return isOrttoFieldId(name) ? kindOfFieldId(name) : inferKind(value)
}

/** Ortto takes one location form: the address when there is one, else the IP. */
export function toOrttoLocation(identity: IdentityPayload): OrttoLocation | undefined {
  const a = identity.address
  const address: Record<string, OrttoJson> = {}
  for (const [k, v] of Object.entries(a ?? {})) if (typeof v === 'string' && v.trim() !== '') address[k] = v.trim()
  if (Object.keys(address).length > 0) return { address }
  return identity.ip ? { source_ip: identity.ip } : undefined
}
