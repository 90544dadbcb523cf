// Handing an event to Salesforce automation: an autolaunched Flow run through its invocable action
// (POST /actions/custom/flow/{Flow} {inputs: [...]}, one interview per input, one API call for all), or a Platform
// Event published as a record of its __e object. Both exactly once per key, with JLP Event Receipts (./receipts):
// - one Platform Event: one Composite call with allOrNone — the event and its receipt, rolled back together when the
//   receipt says the event was published before (1 call);
// - Flows, and batches of events: receipts first (1 call), then the run or the publish for the new keys and those
//   whose earlier run did not finish (1 call; Composite cannot invoke actions), then the receipts of the runs that
//   succeeded are marked done (1 call). A failed step leaves the receipt in flight, so a retry runs the event again:
//   never lost; run twice only when Salesforce ran it but its answer was lost (each run carries the event's key, so
//   a Flow can skip one it has seen). A redelivered event costs 2 calls (the claim and the in-flight check).
import { PayloadValidationError } from '@segment/actions-core'
import { isMapped, mapSalesforceError, type SalesforceError } from './errors'
import { dataPath } from './hosts'
import { SALESFORCE_LIMITS, inChunks } from './requests'
// The index re-exports this module: import it from '../salesforce-client', never from this file directly.
import { reference, sobjectPath, writableFields, type SalesforceClient, type Subrequest } from './index'
import { RECEIPT, firstFailure, isDuplicateReceipt, receiptFields, receiptSetupError, runOnce } from './receipts'
import { asMapped, failure, success, type RecordFailure, type RecordSuccess } from './results'
import { apiName } from './soql'

export interface Handoff extends RecordSuccess {
  /** A Flow's output variables (Flow__InterviewStatus and the flow's own), as Salesforce returns them. */
  outputs?: Record<string, unknown>
}

/** Interviews sent in one Flow invocation (Segment batches are cut to this size). */
export const FLOW_INPUTS_PER_CALL = 200

/** A Flow's API name, checked (it goes into the URL). */
export const flowName = (name: unknown) => apiName(typeof name === 'string' ? name.trim() : name, 'Flow')

/** A Platform Event's API name, checked: it must end in __e. */
export function eventName(name: unknown): string {
  const checked = apiName(typeof name === 'string' ? name.trim() : name, 'Platform Event')
  if (!/__e$/i.test(checked)) {
    throw new PayloadValidationError(
      `"${checked}" is not a Platform Event: its API name ends in __e (e.g. JLP_Payment_Failed__e).`
    )
  }
  return checked
}

/** Input variables as Salesforce takes them: names checked, empty values left out. */
export function flowInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(inputs)) {
    if (value === undefined || value === null || value === '') continue
    out[apiName(name, 'Flow input variable')] = value
  }
  return out
}

/** Runs a Flow once per input: one call per 200 inputs; per input the interview's outputs or its own error. */
export async function invokeFlow(
  client: SalesforceClient,
  flow: string,
  inputs: ReadonlyArray<Record<string, unknown>>
): Promise<Array<Handoff | RecordFailure>> {
  const name = flowName(flow)
  const out: Array<Handoff | RecordFailure> = []
  for (const part of inChunks(inputs, FLOW_INPUTS_PER_CALL)) {
    const what = `running the Flow ${name}`
    try {
      // A Flow whose every interview failed answers 400 with the same per-input list.
      const { status, data } = await client.send('POST', dataPath(`actions/custom/flow/${name}`), {
        json: { inputs: part.map(flowInputs) },
        what,
        accept: [400]
      })
      const list = Array.isArray(data) && data.every((d) => typeof d?.isSuccess === 'boolean') ? data : undefined
      if (!list) {
        const error = mapSalesforceError(status, data, what)
        out.push(...part.map(() => failure(error)))
        continue
      }
      part.forEach((_input, i) => {
        const item = list[i] as { isSuccess?: boolean; errors?: unknown; outputValues?: Record<string, unknown> }
        if (item?.isSuccess === true) {
          out.push({ ...success(name, 'invoked'), ...(item.outputValues ? { outputs: item.outputValues } : {}) })
        } else {
          out.push(failure(mapSalesforceError(400, item?.errors ?? [], what)))
        }
      })
    } catch (err) {
      const error = asMapped(err)
      out.push(...part.map(() => failure(error)))
    }
  }
  return out
}

/** The answer of a publish: success with the event's id (Salesforce adds an OPERATION_ENQUEUED note, not an error). */
function published(event: string, body: unknown, status: number, what: string): Handoff | RecordFailure {
  const data = (body ?? {}) as { id?: string; success?: boolean }
  if (status < 300 && data.success !== false) return success(event, 'created', data.id)
  return failure(mapSalesforceError(status, body, what))
}

/** Publishes Platform Events: one POST for one event, Composite calls of 25 for more; per event its result. */
export async function publishEvents(
  client: SalesforceClient,
  event: string,
  records: ReadonlyArray<Record<string, unknown>>
): Promise<Array<Handoff | RecordFailure>> {
  const name = eventName(event)
  const what = `publishing ${name}`
  const bodies = records.map((r) => writableFields(name, r))
  if (bodies.length === 1) {
    try {
      const { status, data } = await client.send('POST', sobjectPath(name), { json: bodies[0], what })
      return [published(name, data, status, what)]
    } catch (err) {
      return [failure(asMapped(err))]
    }
  }
  const out: Array<Handoff | RecordFailure> = []
  for (const part of inChunks(bodies, SALESFORCE_LIMITS.compositeSubrequests)) {
    const subs: Subrequest[] = part.map((body, i) => ({
      method: 'POST',
      url: sobjectPath(name),
      referenceId: `e${i}`,
      body
    }))
    try {
      const answers = await client.composite(subs, { allOrNone: false }, what)
      out.push(...answers.map((a) => published(name, a.body, a.httpStatusCode, what)))
    } catch (err) {
      const error = asMapped(err)
      out.push(...part.map(() => failure(error)))
    }
  }
  return out
}

/** One event's handoff: its key (what makes a redelivery the same) and the Flow inputs or event fields. */
export type HandoffItem = { key: string; values: Record<string, unknown> }

/** Receipts first, then `send` with the values of the keys that were new. */
function onceEach(
  client: SalesforceClient,
  action: string,
  name: string,
  items: ReadonlyArray<HandoffItem | SalesforceError>,
  send: (values: Array<Record<string, unknown>>) => Promise<Array<Handoff | RecordFailure>>
): Promise<Array<Handoff | RecordFailure>> {
  return runOnce(
    client,
    action,
    items.map((item) => (isMapped(item) ? item : item.key)),
    (indices) => send(indices.map((i) => (items[i] as HandoffItem).values)),
    () => success(name, 'unchanged')
  )
}

/** Runs a Flow once per key (receipts first; 3 calls for a batch, 2 when every key was handled before). */
export function invokeFlowOnce(
  client: SalesforceClient,
  action: string,
  flow: string,
  items: ReadonlyArray<HandoffItem | SalesforceError>
): Promise<Array<Handoff | RecordFailure>> {
  const name = flowName(flow)
  return onceEach(client, action, name, items, (inputs) => invokeFlow(client, name, inputs))
}

/**
 * Publishes Platform Events once per key. One event: one Composite call (allOrNone: the event, then its receipt);
 * several: receipts first, then the events.
 */
export async function publishEventsOnce(
  client: SalesforceClient,
  action: string,
  event: string,
  items: ReadonlyArray<HandoffItem | SalesforceError>
): Promise<Array<Handoff | RecordFailure>> {
  const name = eventName(event)
  const [only] = items
  if (items.length === 1 && !isMapped(only)) {
    try {
      return [await publishOne(client, action, name, only.key, only.values)]
    } catch (err) {
      return [failure(asMapped(err))]
    }
  }
  return onceEach(client, action, name, items, (records) => publishEvents(client, name, records))
}

async function publishOne(
  client: SalesforceClient,
  action: string,
  name: string,
  key: string,
  fields: Record<string, unknown>
): Promise<Handoff> {
  const what = `publishing ${name}`
  const answers = await client.composite(
    [
      { method: 'POST', url: sobjectPath(name), referenceId: 'event', body: writableFields(name, fields) },
      {
        method: 'POST',
        url: sobjectPath(RECEIPT.object),
        referenceId: 'receipt',
        body: receiptFields(action, key, reference('event'))
      }
    ],
    { allOrNone: true },
    what
  )
  const [eventAnswer, receiptAnswer] = answers
  const failed = firstFailure(answers)
  if (!failed) {
    const result = published(name, eventAnswer.body, eventAnswer.httpStatusCode, what)
    if (!result.ok) throw result.error
    return result
  }
  if (failed === receiptAnswer && isDuplicateReceipt(failed.body)) return success(name, 'unchanged')
  const error = mapSalesforceError(failed.httpStatusCode, failed.body, what)
  throw failed === receiptAnswer ? receiptSetupError(error) : error
}
