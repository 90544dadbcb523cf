import type { ActionDefinition } from '@segment/actions-core'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import {
  customFieldsField,
  customKind,
  identityFields,
  personFieldsField,
  propertiesOf,
  toOrttoPerson,
  typedFromCatalogue,
  type CatalogueEntry
} from '../common-fields'
import type { Settings } from '../generated-types'
import {
  OrttoClient,
  onlyResult,
  toMultiStatus,
  toOrttoActivityId,
  toOrttoFields,
  tryBuild,
  type OrttoActivity,
  type OrttoItemSuccess,
  type OrttoWrite,
  type TypedValue
} from '../ortto-client'
import type { Payload } from './generated-types'

/** Activity attributes the JLP journeys and reports filter on; each one's Ortto type is decided here. */
export const ACTIVITY_ATTRIBUTES = {
  draw_no: { label: 'Draw number', description: 'The lottery draw the event is about.', kind: 'text', type: 'string' },
  product_id: {
    label: 'Product ID',
    description: 'The product (ticket book, subscription plan) id.',
    kind: 'text',
    type: 'string'
  },
  name: {
    label: 'Product name',
    description: 'The product’s name, e.g. "1 Ticket Book".',
    kind: 'text',
    type: 'string'
  },
  price: { label: 'Price', description: 'Unit price (int, ×1000).', kind: 'currency', type: 'number' },
  quantity: { label: 'Quantity', description: 'How many were added or bought.', kind: 'integer', type: 'integer' },
  description: {
    label: 'Description',
    description: 'Product description (long text, up to 4,000 characters).',
    kind: 'longtext',
    type: 'string'
  },
  brand: { label: 'Brand', description: 'The lottery or charity brand.', kind: 'text', type: 'string' },
  category: {
    label: 'Category',
    description: 'Product category, e.g. tickets or subscription.',
    kind: 'text',
    type: 'string'
  },
  recurring_purchase_enabled: {
    label: 'Recurring purchase enabled',
    description: 'Whether the supporter chose to buy again automatically each draw.',
    kind: 'boolean',
    type: 'boolean'
  },
  order_id: { label: 'Order ID', description: 'The JLP order id.', kind: 'text', type: 'string' },
  currency: {
    label: 'Currency',
    description: 'ISO 4217 currency code of the amounts, e.g. AUD.',
    kind: 'text',
    type: 'string'
  },
  subscription_id: {
    label: 'Subscription ID',
    description: 'The recurring subscription id.',
    kind: 'text',
    type: 'string'
  },
  amount: { label: 'Amount', description: 'Payment or plan amount (int, ×1000).', kind: 'currency', type: 'number' },
  failure_reason: {
    label: 'Failure reason',
    description: 'Why a recurring payment failed.',
    kind: 'text',
    type: 'string'
  },
  platform_source: {
    label: 'Platform source',
    description: 'Where the event happened, e.g. web or app.',
    kind: 'text',
    type: 'string'
  }
} satisfies Record<string, CatalogueEntry>

const fromProperties = (catalogue: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(catalogue).map((key) => [key, { '@path': `$.properties.${key}` }]))

/** Conversion value → Ortto's built-in `int::v` (×1000), which Ortto sums in revenue reports. */
const VALUE_ID = 'int::v'

export interface ActivityWrite extends OrttoWrite<OrttoActivity> {
  /** Every attribute with its kind (for activity definitions). */
  typed: TypedValue[]
}

/** Payload → the activity Ortto receives (plus the typed attributes it came from). */
export function buildActivity(payload: Payload): ActivityWrite {
  const person = toOrttoPerson(payload, payload.person_fields, payload.custom_fields)
  const typed: TypedValue[] = [
    ...typedFromCatalogue(ACTIVITY_ATTRIBUTES, payload.attributes),
    ...Object.entries(payload.additional_attributes ?? {}).map(([name, value]) => ({
      name,
      kind: customKind(name, value),
      value
    })),
    { name: VALUE_ID, kind: 'currency', value: payload.value }
  ]
  const body: OrttoActivity = {
    activity_id: toOrttoActivityId(payload.activity),
    attributes: toOrttoFields(typed),
    fields: person.fields,
    ...(person.location ? { location: person.location } : {}),
    ...(payload.timestamp ? { created: new Date(payload.timestamp).toISOString() } : {}),
    ...(payload.message_id ? { key: payload.message_id } : {})
  }
  return { body, mergeBy: person.mergeBy, typed }
}

function describe(result: OrttoItemSuccess, body: OrttoActivity, apiCalls?: number): ActionOutcome {
  const person = result.personStatus === 'created' ? 'created' : 'updated'
  return outcome(
    `Activity ${body.activity_id} ${result.status} for person ${result.personId ?? '(queued)'} (${person})`,
    [
      { object: 'ortto:activity', id: body.key ?? body.activity_id, change: 'created' },
      { object: 'ortto:person', id: result.personId, change: person }
    ],
    apiCalls
  )
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Ortto Activity',
  description:
    'Records a JLP event as an Ortto custom activity on the supporter (created if missing), with typed attributes ' +
    'journeys filter on and, when a preset says so, the person fields those journeys test.',
  defaultSubscription: 'type = "track"',
  fields: {
    activity: {
      label: 'Activity',
      description:
        'The Ortto activity: an event name becomes its id (Product Added → act:cm:product-added); an id such as ' +
        'act:cm:cart-abandoned is used as is. Define activities first (npm run ortto:activities).',
      type: 'string',
      required: true,
      default: { '@path': '$.event' }
    },
    attributes: {
      label: 'Attributes',
      description: 'Activity attributes, each typed for Ortto (text, number ×1000, true/false).',
      type: 'object',
      additionalProperties: false,
      properties: propertiesOf(ACTIVITY_ATTRIBUTES),
      default: fromProperties(ACTIVITY_ATTRIBUTES)
    },
    additional_attributes: {
      label: 'More attributes',
      description:
        'Extra attributes: key is an Ortto id (e.g. str:cm:campaign) or a name typed from its value. Ortto takes ' +
        'at most 15 attributes an activity.',
      type: 'object',
      defaultObjectUI: 'keyvalue'
    },
    value: {
      label: 'Conversion value',
      description: 'Revenue this activity stands for (Ortto’s int::v, ×1000), summed in Ortto’s revenue reports.',
      type: 'number',
      default: { '@path': '$.properties.value' }
    },
    timestamp: {
      label: 'Time',
      description: 'When the event happened; Ortto records the activity at this time.',
      type: 'datetime',
      default: { '@path': '$.timestamp' }
    },
    message_id: {
      label: 'Deduplication key',
      description:
        'Sent as the activity key with its time, so Ortto merges a redelivered event instead of recording it twice.',
      type: 'string',
      default: { '@path': '$.messageId' }
    },
    ...identityFields,
    person_fields: personFieldsField,
    custom_fields: customFieldsField,
    enable_batching: {
      label: 'Send in batches',
      description: 'Send events to Ortto in batches (up to 100 activities a request).',
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
  },
  perform: async (request, { settings, payload }) => {
    const client = new OrttoClient(request, settings)
    const write = buildActivity(payload)
    const result = onlyResult(await client.createActivities([write]))
    return describe(result, write.body, client.apiCalls)
  },
  performBatch: async (request, { settings, payload }) => {
    const client = new OrttoClient(request, settings)
    const writes = payload.map((p) => tryBuild(() => buildActivity(p)))
    const results = await client.createActivities(writes)
    return toMultiStatus(results, writes, (result, body) => describe(result, body))
  }
}

export default action
