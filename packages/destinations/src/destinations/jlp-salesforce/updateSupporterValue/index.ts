import {
  PayloadValidationError,
  type ActionDefinition,
  type InputField,
  type JSONLikeObject
} from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import { firstOf } from '../../../lib/mapping'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import {
  EVENT_STAMP_FIELD,
  NOT_PROVIDED,
  batchFields,
  customFieldsField,
  eventTimeFields,
  eventTimeOf,
  idsOf,
  supporterFields,
  text
} from '../common-fields'
import type { Settings } from '../generated-types'
import {
  SalesforceClient,
  attempt,
  isMapped,
  olderNote,
  onlyResult,
  toMultiStatus,
  type EventTime,
  type ItemResult,
  type Match,
  type Modification,
  type RecordSuccess,
  type SalesforceError,
  type SfFields,
  type SfRecord
} from '../salesforce-client'
import type { Payload } from './generated-types'

/** JLP product categories (products[].category, or a draw's event_type) → the org's Product Type values. */
export const DEFAULT_PRODUCT_TYPES: Record<string, string> = {
  Lottery: 'Ticket Book',
  'Lottery Draw': 'Ticket Book',
  Raffle: 'Raffle Ticket',
  'Lottery subscription': 'Subscription',
  Donation: 'Donation'
}

const fieldName = (label: string, value: string, what: string): InputField => ({
  label,
  description: `API name of the Contact field that holds ${what}. Change it if your org names it differently.`,
  type: 'string',
  required: true,
  default: value
})

const round2 = (n: number) => Math.round(n * 100) / 100

const money = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n)) throw new PayloadValidationError(`${name} must be a number, got ${quoted(value)}.`)
  if (n < 0) throw new PayloadValidationError(`${name} is negative (${n}): only purchases add to the total spend.`)
  return round2(n)
}

/** The applied event ids a record holds (newest first). */
export const appliedIds = (value: unknown): string[] =>
  typeof value === 'string' ? value.split(/\s+/).filter((id) => id !== '') : []

/** The newest ids that fit in `maxLength` characters, space-separated (a rolling window). */
export function appliedWindow(ids: readonly string[], maxLength: number): string {
  let out = ''
  for (const id of ids) {
    const next = out ? `${out} ${id}` : id
    if (next.length > maxLength) break
    out = next
  }
  return out
}

interface Plan {
  match: Match
  /** The values this event sets (all but the purchase it adds): with `eventTime`, only when it is the newest event
   * the Contact has taken (identity fields too: an old copy's email or name is as stale as its status). */
  fields: SfFields
  onCreate: SfFields
  eventTime?: EventTime
  /** The purchase to add to the total exactly once, when the event carries no lifetime value. */
  increment?: { key: string; amount: number; date?: string }
}

/** Payload → what to write: absolute values (one upsert) or a purchase to add once (read, then conditional write). */
export function plan(client: SalesforceClient, payload: Payload): Plan {
  const f = payload
  const amount = money(f.purchase_amount, 'The purchase amount')
  const lifetime = money(f.lifetime_value, 'The lifetime value')
  const date = text(f.purchase_date)
  const category = text(f.product_type)
  const productType = category
    ? (text((f.product_types as Record<string, unknown> | undefined)?.[category]) ?? category)
    : undefined
  const fields: SfFields = {}
  const put = (name: string | undefined, value: unknown) => {
    if (name && value !== undefined) fields[name] = value as SfFields[string]
  }
  put('Email', text(f.email))
  put('FirstName', text(f.first_name))
  put('LastName', text(f.last_name))
  put(f.product_type_field, productType)
  put(f.recurring_status_field, text(f.recurring_status))
  for (const [name, value] of Object.entries(f.custom_fields ?? {})) put(name, value)
  const match = client.supporterMatch('Contact', idsOf(f))
  const eventTime = eventTimeOf(f)
  const base = { match, fields, onCreate: { LastName: NOT_PROVIDED }, ...(eventTime ? { eventTime } : {}) }
  if (lifetime !== undefined) {
    put(f.total_spend_field, lifetime)
    if (amount !== undefined) {
      put(f.last_purchase_amount_field, amount)
      put(f.last_purchase_date_field, date)
    }
    return base
  }
  if (amount === undefined) return base
  const key = text(f.purchase_id)?.replace(/\s+/g, '_')
  if (!key) throw new PayloadValidationError('The purchase has no id (order id or message id) to count it once by.')
  if (key.length > f.applied_events_length) {
    throw new PayloadValidationError(
      `The purchase id ${quoted(key)} is longer than the ${f.applied_events_field} field (${f.applied_events_length}).`
    )
  }
  return { ...base, increment: { key, amount, date } }
}

/** The conditional write that adds a purchase once: nothing when its id is among the applied ids. The event's other
 * values go with it, or (event-time guard) only when it is the newest event. */
export function modification(payload: Payload, p: Plan): Modification {
  const inc = p.increment as NonNullable<Plan['increment']>
  const { total_spend_field: total, applied_events_field: applied } = payload
  const dateField = payload.last_purchase_date_field
  return {
    match: p.match,
    read: [total, dateField],
    versionField: applied,
    ...(p.eventTime ? { latest: p.fields, eventTime: p.eventTime } : {}),
    change(current: SfRecord | undefined): SfFields | undefined {
      const seen = appliedIds(current?.[applied])
      if (seen.includes(inc.key)) return undefined
      const before = Number(current?.[total] ?? 0)
      const last = current?.[dateField]
      const newest = !inc.date || typeof last !== 'string' || Date.parse(inc.date) >= Date.parse(last)
      return {
        ...(current ? {} : p.onCreate),
        ...(p.eventTime ? {} : p.fields),
        [total]: round2((Number.isFinite(before) ? before : 0) + inc.amount),
        [applied]: appliedWindow([inc.key, ...seen], payload.applied_events_length),
        ...(newest ? { [payload.last_purchase_amount_field]: inc.amount } : {}),
        ...(newest && inc.date ? { [dateField]: inc.date } : {})
      }
    }
  }
}

function describe(payload: Payload, p: Plan | undefined, result: RecordSuccess, apiCalls?: number): ActionOutcome {
  const id = result.id ?? ''
  const records = [{ object: 'Contact', id: result.id, change: result.change }]
  const inc = p?.increment
  const older = olderNote(result)
  if (!inc) return outcome(`Contact ${id} ${result.change}${older ? `: ${older}` : ''}`, records, apiCalls)
  const total = result.written?.[payload.total_spend_field]
  const counted =
    total === undefined
      ? `purchase ${inc.key} was already counted`
      : `total spend ${total} (+${inc.amount} for ${inc.key})`
  const rest = older ? `; its other values were not written: ${older}` : ''
  return outcome(`Contact ${id} ${result.change}: ${counted}${rest}`, records, apiCalls)
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Update Supporter Value',
  description:
    'Finds or creates the supporter’s Contact and keeps their value current: total spend (each purchase counted ' +
    'exactly once, even when an event is delivered twice), last purchase date and amount, product type and ' +
    'recurring status, written only by the newest event (a late copy of an old one changes nothing). NPSP ' +
    'rollups are left to NPSP.',
  defaultSubscription: 'type = "track" and event = "Order Completed"',
  fields: {
    email: supporterFields.email,
    supporter_id: supporterFields.supporter_id,
    first_name: supporterFields.first_name,
    last_name: supporterFields.last_name,
    purchase_id: {
      label: 'Purchase id',
      description:
        'What makes a purchase unique (the order id; the message id when there is none). A purchase whose id the ' +
        'Contact already lists is not counted again — so Purchase Completed and Order Completed of one order, or a ' +
        'redelivered event, add to the total once.',
      type: 'string',
      default: firstOf('$.properties.order_id', '$.messageId')
    },
    purchase_amount: {
      label: 'Purchase amount',
      description: 'The amount of this purchase, added to the total spend (order value including any donation).',
      type: 'number',
      default: { '@path': '$.properties.value' }
    },
    purchase_date: {
      label: 'Purchase date',
      description: 'When the purchase happened. Last purchase date and amount only move forward in time.',
      type: 'datetime',
      default: { '@path': '$.timestamp' }
    },
    lifetime_value: {
      label: 'Lifetime value',
      description:
        'When the event carries the supporter’s total spend, it is written as it is (one API call) instead of ' +
        'adding the purchase amount.',
      type: 'number',
      default: { '@path': '$.properties.lifetime_value' }
    },
    product_type: {
      label: 'Product type',
      description:
        'What the supporter bought: the first product’s category (Lottery, Raffle, Lottery subscription) or the ' +
        'draw type, translated by "Product type values".',
      type: 'string',
      default: firstOf('$.properties.products[0].category', '$.properties.event_type')
    },
    product_types: {
      label: 'Product type values',
      description:
        'How JLP product categories (left) are written to the Product Type picklist (right). A category not listed ' +
        'is written as it is.',
      type: 'object',
      defaultObjectUI: 'keyvalue',
      default: DEFAULT_PRODUCT_TYPES
    },
    recurring_status: {
      label: 'Recurring status',
      description: 'The supporter’s recurring-payment status, e.g. Active or Cancelled (values of your picklist).',
      type: 'string'
    },
    custom_fields: customFieldsField,
    total_spend_field: fieldName('Total spend field', 'JLP_Total_Spend__c', 'the total spend (currency)'),
    last_purchase_date_field: fieldName(
      'Last purchase date field',
      'JLP_Last_Purchase_Date__c',
      'the last purchase date'
    ),
    last_purchase_amount_field: fieldName(
      'Last purchase amount field',
      'JLP_Last_Purchase_Amount__c',
      'the last purchase amount'
    ),
    product_type_field: fieldName('Product type field', 'JLP_Product_Type__c', 'the product type (picklist)'),
    recurring_status_field: fieldName(
      'Recurring status field',
      'JLP_Recurring_Status__c',
      'the recurring status (picklist)'
    ),
    applied_events_field: fieldName(
      'Counted purchases field',
      'JLP_Applied_Event_Ids__c',
      'the ids of the latest purchases already counted (Text 255, not Long Text: Salesforce must be able to ' +
        'filter on it, as each update checks it has not changed since it was read)'
    ),
    applied_events_length: {
      label: 'Counted purchases field length',
      description: 'Length of that field: it keeps as many of the latest purchase ids as fit.',
      type: 'integer',
      required: true,
      unsafe_hidden: true,
      default: 255
    },
    ...eventTimeFields('Contact', EVENT_STAMP_FIELD),
    ...batchFields('Contacts')
  },
  perform: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const p = plan(client, payload)
    const result = p.increment
      ? onlyResult(await client.modifyMany('Contact', [modification(payload, p)]))
      : await client.upsert('Contact', p.match, p.fields, p)
    return describe(payload, p, result, client.apiCalls)
  },
  performBatch: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const plans = payload.map((one) => attempt(() => plan(client, one)))
    const planOf = (i: number) => (isMapped(plans[i]) ? undefined : (plans[i] as Plan))
    const indices = (increment: boolean) =>
      plans.flatMap((_, i) => (planOf(i) && !!planOf(i)?.increment === increment ? [i] : []))
    const sets = indices(false)
    const increments = indices(true)
    const results: ItemResult[] = plans.map((p) => ({ ok: false, error: p as SalesforceError }))
    const place = (at: number[], got: ItemResult[]) => at.forEach((i, k) => (results[i] = got[k]))
    place(
      sets,
      await client.upsertMany(
        'Contact',
        sets.map((i) => planOf(i) as Plan)
      )
    )
    place(
      increments,
      await client.modifyMany(
        'Contact',
        increments.map((i) => modification(payload[i], planOf(i) as Plan))
      )
    )
    return toMultiStatus(
      results,
      (result, i) => describe(payload[i], planOf(i), result),
      (i) => payload[i] as unknown as JSONLikeObject
    )
  }
}

export default action
