import { PayloadValidationError, type ActionDefinition, type JSONLikeObject } from '@segment/actions-core'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import { batchFields, text } from '../common-fields'
import type { Settings } from '../generated-types'
import {
  SalesforceClient,
  dynamicChoices,
  invokeFlowOnce,
  listFlows,
  listObjects,
  onlyResult,
  publishEventsOnce,
  toMultiStatus,
  type Handoff,
  type RecordFailure
} from '../salesforce-client'
import type { Payload } from './generated-types'

export const ACTION = 'triggerFlow'

type Target = 'flow' | 'platform_event'

/** Words for a handoff, e.g. "Flow JLP_Payment_Failed_Follow_Up run (Finished)". */
export function describeHandoff(target: Target, result: Handoff, apiCalls?: number): ActionOutcome {
  const kind = target === 'flow' ? 'Flow' : 'Platform Event'
  const status = result.outputs?.Flow__InterviewStatus
  const summary =
    result.change === 'unchanged'
      ? `${kind} ${result.object} already ${target === 'flow' ? 'run' : 'published'} for this event`
      : target === 'flow'
        ? `Flow ${result.object} run${status ? ` (${String(status)})` : ''}`
        : `Platform Event ${result.object} published${result.id ? ` (${result.id})` : ''}`
  return outcome(summary, [{ object: result.object, id: result.id, change: result.change }], apiCalls)
}

interface Group {
  target: Target
  name: string
  indices: number[]
}

/** Runs or publishes each payload once; results in payload order. */
async function handOff(client: SalesforceClient, payloads: Payload[]): Promise<Array<Handoff | RecordFailure>> {
  const results: Array<Handoff | RecordFailure> = new Array(payloads.length)
  const groups = new Map<string, Group>()
  payloads.forEach((p, i) => {
    const target: Target = p.target === 'platform_event' ? 'platform_event' : 'flow'
    const name = text(p.name) ?? ''
    const key = `${target}\u0000${name}`
    const group = groups.get(key) ?? { target, name, indices: [] }
    group.indices.push(i)
    groups.set(key, group)
  })
  for (const { target, name, indices } of groups.values()) {
    // One receipt per target: the same event may run a Flow and publish an event, each once.
    const items = indices.map((i) => {
      const id = text(payloads[i].message_id)
      if (!id) return new PayloadValidationError('The event has no id (messageId) to run it once by.')
      return { key: `${name}:${id}`, values: payloads[i].values ?? {} }
    })
    const done =
      target === 'flow'
        ? await invokeFlowOnce(client, ACTION, name, items)
        : await publishEventsOnce(client, ACTION, name, items)
    indices.forEach((i, k) => (results[i] = done[k]))
  }
  return results
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Trigger Flow',
  description:
    'Hands an event to Salesforce automation: runs an autolaunched Flow with input variables, or publishes a ' +
    'Platform Event with mapped fields — once per event, with Salesforce’s answer reported per event. Use it to ' +
    'assign dunning follow-ups to a queue, or to start any process a Flow or trigger implements.',
  defaultSubscription: 'type = "track" and event = "Recurring Payment Failed"',
  fields: {
    target: {
      label: 'Run',
      description:
        'An autolaunched Flow (run through the API with input variables), or a Platform Event (published; Flows ' +
        'and triggers subscribed to it react). A Platform Event is published exactly once. A Flow is never skipped ' +
        'but may run twice in one rare case — Salesforce ran it and its answer was lost — so pass the event id ' +
        '(the presets send it as eventId) and let the Flow ignore an id it has seen.',
      type: 'string',
      required: true,
      default: 'flow',
      choices: [
        { label: 'Autolaunched Flow', value: 'flow' },
        { label: 'Platform Event', value: 'platform_event' }
      ]
    },
    name: {
      label: 'Flow or Platform Event',
      description:
        'API name of the Flow (e.g. JLP_Payment_Failed_Follow_Up; it must be active and autolaunched) or of the ' +
        'Platform Event (e.g. JLP_Payment_Failed__e).',
      type: 'string',
      required: true,
      dynamic: true
    },
    values: {
      label: 'Inputs',
      description:
        'For a Flow: its input variables (key: the variable’s API name, marked "Available for input"). For a ' +
        'Platform Event: its fields (key: the field API name, e.g. Supporter_Id__c). Empty values are not sent.',
      type: 'object',
      defaultObjectUI: 'keyvalue',
      additionalProperties: true,
      default: {
        supporterId: { '@path': '$.userId' },
        email: { '@path': '$.context.traits.email' },
        eventId: { '@path': '$.messageId' }
      }
    },
    message_id: {
      label: 'Event id',
      description:
        'What makes a redelivered event the same run: its messageId. A JLP Event Receipt records it, so the Flow ' +
        'runs (or the event is published) once; pass it to the Flow too (e.g. eventId) for its own records.',
      type: 'string',
      required: true,
      default: { '@path': '$.messageId' }
    },
    ...batchFields('events')
  },
  dynamicFields: {
    name: async (request, { settings, payload, auth }) => {
      const client = new SalesforceClient(request, settings, auth)
      return dynamicChoices(() =>
        payload?.target === 'platform_event' ? listObjects(client, 'events') : listFlows(client)
      )
    }
  },
  perform: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const result = onlyResult(await handOff(client, [payload]))
    return describeHandoff(payload.target as Target, result, client.apiCalls)
  },
  performBatch: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const results = await handOff(client, payload)
    return toMultiStatus(
      results,
      (result, i) => describeHandoff(payload[i].target as Target, result),
      (i) => payload[i] as unknown as JSONLikeObject
    )
  }
}

export default action
