import type { ActionDefinition } from '@segment/actions-core'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import {
  batchFields,
  customFieldsField,
  identityFields,
  personFieldsField,
  timestampField,
  toOrttoPerson
} from '../common-fields'
import type { Settings } from '../generated-types'
import {
  OrttoClient,
  onlyResult,
  toMultiStatus,
  tryBuild,
  type MergeStrategy,
  type OrttoItemSuccess,
  type OrttoPerson,
  type OrttoWrite
} from '../ortto-client'
import type { Payload } from './generated-types'

const STRATEGIES: Record<string, MergeStrategy> = { overwrite: 2, append: 1 }

/** Payload → the person Ortto merges. */
export function buildPerson(payload: Payload): OrttoWrite<OrttoPerson> {
  const { fields, location, mergeBy, guards } = toOrttoPerson(payload, payload.person_fields, payload.custom_fields)
  return { body: { fields, ...(location ? { location } : {}) }, mergeBy, ...(guards ? { guards } : {}) }
}

function describe(result: OrttoItemSuccess, apiCalls?: number): ActionOutcome {
  const change = result.status === 'created' ? 'created' : 'updated'
  return outcome(
    `Ortto person ${result.personId ?? '(queued)'} ${change}`,
    [{ object: 'ortto:person', id: result.personId, change }],
    apiCalls
  )
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Upsert Ortto Person',
  description:
    'Creates or updates the supporter in Ortto (merged by email or external id) with their name, phone, location, ' +
    'the person fields journeys test and any custom fields.',
  defaultSubscription: 'type = "identify"',
  fields: {
    ...identityFields,
    person_fields: personFieldsField,
    custom_fields: customFieldsField,
    timestamp: timestampField,
    merge_strategy: {
      label: 'When the person exists',
      description:
        'Overwrite: the values sent replace Ortto’s. Append: only empty fields are filled, existing values are kept.',
      type: 'string',
      required: true,
      default: 'overwrite',
      choices: [
        { label: 'Overwrite existing values', value: 'overwrite' },
        { label: 'Only fill empty fields', value: 'append' }
      ]
    },
    ...batchFields('people')
  },
  perform: async (request, { settings, payload }) => {
    const client = new OrttoClient(request, settings)
    const result = onlyResult(await client.mergePeople([buildPerson(payload)], STRATEGIES[payload.merge_strategy]))
    return describe(result, client.apiCalls)
  },
  performBatch: async (request, { settings, payload }) => {
    const client = new OrttoClient(request, settings)
    const writes = payload.map((p) => tryBuild(() => buildPerson(p)))
    // One strategy a request: Ortto takes merge_strategy for the whole request; the mapping sets it for all events.
    const results = await client.mergePeople(writes, STRATEGIES[payload[0]?.merge_strategy ?? 'overwrite'])
    return toMultiStatus(results, writes, (result) => describe(result))
  }
}

export default action
