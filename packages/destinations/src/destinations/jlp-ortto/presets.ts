// Presets: an activity for every event of the JLP tracking plan (its attributes are the event's own properties,
// read from the plan's schemas), the person fields the four seed journeys test riding along in the same call as
// the activity that changes them, and identify → person. See docs/ortto-journeys.md.
import { defaultValues, type JSONObject, type Preset } from '@segment/actions-core'
import { BEHAVIOURAL_EVENTS, SERVER_EVENTS, propertiesSchemas, type EventName } from '@jlp/tracking-plan'
import {
  ACTIVITY_ATTRIBUTES,
  attributeMapping,
  sourceProperty,
  type ActivityAttribute
} from './trackOrttoActivity/attributes'
import trackOrttoActivity from './trackOrttoActivity'
import upsertOrttoPerson from './upsertOrttoPerson'

export const JLP_EVENTS: readonly EventName[] = [...BEHAVIOURAL_EVENTS, ...SERVER_EVENTS]

/** The catalogue attributes an event carries, in catalogue order (e.g. order_value for its `value`). */
export function attributesOf(event: EventName): ActivityAttribute[] {
  const properties = Object.keys(propertiesSchemas[event].properties ?? {})
  return (Object.keys(ACTIVITY_ATTRIBUTES) as ActivityAttribute[]).filter((key) =>
    properties.includes(sourceProperty(key))
  )
}

const purchased: JSONObject = { last_purchase_at: { '@path': '$.timestamp' } }

/** What each event adds to the default mapping. */
const OVERRIDES: Partial<Record<EventName, JSONObject>> = {
  // Loyalty/upgrade journey: the purchase date; revenue counted once, on the server's Order Completed.
  'Order Completed': { value: { '@path': '$.properties.value' }, person_fields: purchased },
  'Purchase Completed': { person_fields: purchased },
  'Ticket Purchase Completed': { person_fields: purchased },
  // VIP welcome: "is a recurring subscriber" and the plan.
  'Recurring Payment Created': {
    person_fields: {
      recurring_subscriber: true,
      plan_amount: { '@path': '$.properties.amount' },
      subscription_plan: { '@path': '$.properties.plan' }
    }
  },
  // Win-back: no longer a subscriber, and since when.
  'Subscription Cancelled': {
    person_fields: {
      recurring_subscriber: false,
      subscription_cancelled_at: { '@path': '$.properties.cancelled_at' }
    }
  },
  // The form carries the supporter's details in its properties.
  'Registration Started': {
    first_name: { '@path': '$.properties.first_name' },
    last_name: { '@path': '$.properties.last_name' },
    phone: { '@path': '$.properties.phone' },
    address: { postal_code: { '@path': '$.properties.postcode' } }
  }
}

const activityDefaults = defaultValues(trackOrttoActivity.fields)

export function trackPreset(event: EventName): Preset {
  return {
    name: `${event} → Ortto activity`,
    subscribe: `type = "track" and event = "${event}"`,
    partnerAction: 'trackOrttoActivity',
    mapping: { ...activityDefaults, attributes: attributeMapping(attributesOf(event)), ...OVERRIDES[event] },
    type: 'automatic'
  }
}

export const presets: Preset[] = [
  ...JLP_EVENTS.map(trackPreset),
  {
    name: 'Identify → Ortto person',
    subscribe: 'type = "identify"',
    partnerAction: 'upsertOrttoPerson',
    mapping: defaultValues(upsertOrttoPerson.fields),
    type: 'automatic'
  }
]
