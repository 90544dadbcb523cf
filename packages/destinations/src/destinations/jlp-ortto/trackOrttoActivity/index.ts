import type { ActionDefinition } from '@segment/actions-core'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import {
  batchFields,
  customFieldsField,
  customKind,
  identityFields,
  personFieldsField,
  timestampField,
  propertiesOf,
  toOrttoPerson,
  typedFromCatalogue
} from '../common-fields'
import type { Settings } from '../generated-types'
import {
  OrttoClient,
  onlyResult,
  toMultiStatus,
  toOrttoActivityId,
  toOrttoTime,
  toOrttoFields,
  tryBuild,
  type OrttoActivity,
  type OrttoItemSuccess,
  type OrttoWrite,
  type TypedValue
} from '../ortto-client'
import { ACTIVITY_ATTRIBUTES, attributeMapping, type ActivityAttribute } from './attributes'
import type { Payload } from './generated-types'

/** Conversion value → Ortto's built-in `int::v` (×1000), which Ortto sums in revenue reports. */
const VALUE_ID = 'int::v'

/** Payload → the activity Ortto receives, and the person keys it merges by. */
export function buildActivity(payload: Payload): OrttoWrite<OrttoActivity> {
  const person = toOrttoPerson(payload, payload.person_fields, payload.custom_fields)
  const typed: TypedValue[] = [
    ...typedFromCatalogue(ACTIVITY_ATTRIBUTES, payload.attributes),
    ...Object.entries(payload.additional_attributes ?? {}).map(([name, value]) => ({
      name,
      kind: customKind(name, value),
      value
    })),
    { name: VALUE_ID, kind: 'decimal', value: payload.value }
  ]
  const body: OrttoActivity = {
    activity_id: toOrttoActivityId(payload.activity),
    attributes: toOrttoFields(typed),
    fields: person.fields,
    ...(person.location ? { location: person.location } : {}),
    ...(payload.timestamp ? { created: toOrttoTime(payload.timestamp, 'Time') } : {}),
    ...(payload.message_id ? { key: payload.message_id } : {})
  }
  return { body, mergeBy: person.mergeBy, ...(person.guards ? { guards: person.guards } : {}) }
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
      description:
        'Activity attributes journeys and emails filter on, each typed for Ortto (text, number ×1000, true/false, ' +
        'date). Empty ones are not sent; Ortto takes at most 15 an activity.',
      type: 'object',
      additionalProperties: false,
      properties: propertiesOf(ACTIVITY_ATTRIBUTES),
      default: attributeMapping(Object.keys(ACTIVITY_ATTRIBUTES) as ActivityAttribute[])
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
      description:
        'Revenue this activity stands for (Ortto’s int::v, ×1000), summed in Ortto’s revenue reports. Presets set ' +
        'it on Order Completed only, so one checkout is not counted by its client and server events both.',
      type: 'number'
    },
    timestamp: timestampField,
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
    ...batchFields('activities')
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
