// Exactly once for writes Salesforce cannot upsert (Tasks, Platform Events, Flow runs): every such write comes with a
// JLP Event Receipt, a record of the custom object JLP_Event_Receipt__c whose JLP_Event_Id__c (External ID, Unique,
// case-sensitive, 255) holds "<action>:<key>". Activities cannot carry an external id, but the receipt can:
// - in one Composite call with allOrNone (the write, then the receipt): a redelivered event fails on the unique key
//   and Salesforce rolls the whole call back, so nothing is written twice — even when two deliveries race;
// - receipts first (Collections, one call for a batch), then the write for the keys that were new or whose earlier
//   run did not finish, then the receipts of writes that succeeded are marked done (Flows, which Composite cannot
//   invoke; batches of Platform Events). A receipt without JLP_Record_Id__c is in flight. See runOnce.
import { IntegrationError, InvalidAuthenticationError } from '@segment/actions-core'
import { isMapped, mapSalesforceError, sfErrors, type SalesforceError } from './errors'
import { dataPath } from './hosts'
import { SALESFORCE_LIMITS, inChunks } from './requests'
// The index re-exports this module: import receipts from '../salesforce-client', never from this file directly.
import type { SalesforceClient } from './index'
import { asMapped, failure, type RecordFailure, type SubResponse } from './results'
import { soqlIn, soqlSelect } from './soql'

/** The receipt object and its fields (see docs: create them once in the org). */
export const RECEIPT = {
  object: 'JLP_Event_Receipt__c',
  key: 'JLP_Event_Id__c',
  action: 'JLP_Action__c',
  record: 'JLP_Record_Id__c'
} as const

export const RECEIPT_KEY_MAX = 255

/** "<action>:<key>": one event may drive several actions (a follow-up Task and a Flow), each exactly once. */
export function receiptKey(action: string, key: string): string {
  const value = `${action}:${key.trim()}`
  if (!key.trim()) {
    throw new IntegrationError(`${action} needs a deduplication key (the event's messageId).`, 'MISSING_KEY', 400)
  }
  if (value.length > RECEIPT_KEY_MAX) {
    throw new IntegrationError(
      `The deduplication key of ${action} is ${value.length} characters; Salesforce keeps ${RECEIPT_KEY_MAX}.`,
      'KEY_TOO_LONG',
      400
    )
  }
  return value
}

/** The receipt's fields; `recordId` may be a Composite reference to the write it stands for. */
export const receiptFields = (action: string, key: string, recordId?: string) => ({
  [RECEIPT.key]: receiptKey(action, key),
  [RECEIPT.action]: action,
  ...(recordId ? { [RECEIPT.record]: recordId } : {})
})

/** Whether Salesforce refused a receipt because its key exists: the event was handled before. */
export const isDuplicateReceipt = (body: unknown): boolean =>
  sfErrors(body).some((e) => e.errorCode === 'DUPLICATE_VALUE' || e.errorCode === 'DUPLICATE_EXTERNAL_ID')

/** A receipt write refused as unknown object or field: the org lacks the receipt object; say how to add it. */
export function receiptSetupError(error: SalesforceError): SalesforceError {
  const code = (error as { code?: string }).code
  if (code !== 'INVALID_TYPE' && code !== 'NOT_FOUND' && code !== 'INVALID_FIELD') return error
  return new IntegrationError(
    `Salesforce refused the JLP Event Receipt (${code}): the org needs the custom object ${RECEIPT.object}, which ` +
      `JLP uses to write Tasks, Platform Events and Flow runs exactly once. Create it with a Unique, case-sensitive ` +
      `External ID text field ${RECEIPT.key} (255) and text fields ${RECEIPT.action} (80) and ${RECEIPT.record} (18).`,
    'RECEIPT_OBJECT_MISSING',
    400
  )
}

/** In an allOrNone Composite answer: the subrequest that failed (the others only say they were rolled back). */
export function firstFailure(answers: readonly SubResponse[]): SubResponse | undefined {
  const failed = answers.filter((a) => a.httpStatusCode >= 400)
  const rolledBack = (a: SubResponse) =>
    sfErrors(a.body).every((e) => e.errorCode === 'PROCESSING_HALTED' && /rolled back/i.test(e.message))
  return failed.find((a) => !rolledBack(a)) ?? failed[0]
}

/** Whether a subrequest failed only because a reference it uses found nothing (e.g. a lookup with no rows). */
export const isUnresolvedReference = (answer: SubResponse | undefined, ref: string): boolean =>
  !!answer &&
  answer.httpStatusCode >= 400 &&
  sfErrors(answer.body).some((e) => /invalid reference specified/i.test(e.message) && e.message.includes(ref))

/** The outcome of claiming one key's receipt. */
export type ReceiptState = { state: 'new'; id: string } | { state: 'seen' } | RecordFailure

/**
 * Creates the receipts of many keys (Collections, allOrNone false, ≤200 a call): per key "new" (with the receipt
 * id), "seen" (handled before) or its error. An authentication failure is thrown (the framework refreshes the token).
 */
export async function claimReceipts(
  client: SalesforceClient,
  action: string,
  keys: readonly string[]
): Promise<ReceiptState[]> {
  const out: ReceiptState[] = []
  for (const part of inChunks(keys, SALESFORCE_LIMITS.collectionRecords)) {
    const what = `recording ${part.length} ${action} receipt${part.length === 1 ? '' : 's'}`
    let list: Array<Record<string, unknown>> = []
    try {
      const records = part.map((key) => ({ attributes: { type: RECEIPT.object }, ...receiptFields(action, key) }))
      const { data } = await client.send('POST', dataPath('composite/sobjects'), {
        json: { allOrNone: false, records },
        what
      })
      if (Array.isArray(data)) list = data
    } catch (err) {
      const error = receiptSetupError(asMapped(err))
      if (error instanceof InvalidAuthenticationError) throw error
      out.push(...part.map(() => failure(error)))
      continue
    }
    part.forEach((_key, i) => {
      const item = list[i]
      if (item?.success === true && typeof item.id === 'string') return void out.push({ state: 'new', id: item.id })
      if (item && isDuplicateReceipt(item.errors)) return void out.push({ state: 'seen' })
      out.push(failure(receiptSetupError(mapSalesforceError(item ? 400 : 502, item?.errors ?? [], what))))
    })
  }
  return out
}

/** Keys, among those claimed before, whose receipt is still in flight: no JLP_Record_Id__c, because the run it
 * stands for failed or its answer never came back. Per key its receipt id (one query per 200 keys). */
export async function receiptsInFlight(
  client: SalesforceClient,
  action: string,
  keys: readonly string[]
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const part of inChunks(keys, SALESFORCE_LIMITS.collectionRecords)) {
    const byReceipt = new Map(part.map((k) => [receiptKey(action, k), k]))
    const where = `${soqlIn(RECEIPT.key, [...byReceipt.keys()])} AND ${RECEIPT.record} = null`
    const soql = soqlSelect({ object: RECEIPT.object, fields: [RECEIPT.key], where })
    for (const r of await client.query(soql, `looking for ${action} runs that did not finish`)) {
      const key = byReceipt.get(String(r[RECEIPT.key]))
      if (key !== undefined && typeof r.Id === 'string') out.set(key, r.Id)
    }
  }
  return out
}

/**
 * Marks receipts done: JLP_Record_Id__c = the record the run wrote, or the receipt's own id when it wrote none (a
 * Flow run). One Collections call per 200, allOrNone false. Whether all were marked.
 */
export async function markReceiptsDone(
  client: SalesforceClient,
  done: ReadonlyArray<{ receipt: string; record?: string }>
): Promise<boolean> {
  let marked = true
  for (const part of inChunks(done, SALESFORCE_LIMITS.collectionRecords)) {
    try {
      const records = part.map(({ receipt, record }) => ({
        attributes: { type: RECEIPT.object },
        id: receipt,
        [RECEIPT.record]: record && /^[a-zA-Z0-9]{15,18}$/.test(record) ? record : receipt
      }))
      const { data } = await client.send('PATCH', dataPath('composite/sobjects'), {
        json: { allOrNone: false, records },
        what: 'marking JLP Event Receipts done'
      })
      if (!Array.isArray(data) || data.some((d) => (d as { success?: unknown })?.success !== true)) marked = false
    } catch {
      marked = false
    }
  }
  return marked
}

/**
 * Receipts first, for writes Composite cannot make atomic with their receipt (Flow runs, batches of Platform
 * Events). Per key:
 * 1. claim its receipt (one call for the batch); a key claimed before whose receipt is done answers `repeat(i)`;
 *    one claimed before whose receipt is still in flight (the run failed, or its answer was lost) is run again;
 * 2. `run` the new and in-flight keys (its results in the order of `indices`);
 * 3. mark the receipts of successful runs done (one call). A failed run leaves its receipt in flight, so Segment's
 *    retry runs it — nothing is lost when a step fails. The one window left is Salesforce running the write while
 *    its answer (or the mark) is lost and the event then arriving again: it runs twice, with the same key.
 * Items that are already errors keep them. An expired token is thrown (the framework refreshes and retries).
 */
export async function runOnce<S extends { ok: true; id?: string }>(
  client: SalesforceClient,
  action: string,
  keys: ReadonlyArray<string | SalesforceError>,
  run: (indices: number[]) => Promise<Array<S | RecordFailure>>,
  repeat: (index: number) => S
): Promise<Array<S | RecordFailure>> {
  const results: Array<S | RecordFailure | undefined> = keys.map((k) => (isMapped(k) ? failure(k) : undefined))
  const pending: number[] = []
  keys.forEach((k, i) => {
    if (isMapped(k)) return
    try {
      receiptKey(action, k)
      pending.push(i)
    } catch (err) {
      results[i] = failure(asMapped(err))
    }
  })
  const states = pending.length
    ? await claimReceipts(
        client,
        action,
        pending.map((i) => keys[i] as string)
      )
    : []
  const fresh: number[] = []
  const receiptOf = new Map<number, string>()
  const seen: number[] = []
  states.forEach((state, k) => {
    const i = pending[k]
    if ('ok' in state) results[i] = state
    else if (state.state === 'seen') seen.push(i)
    else {
      fresh.push(i)
      receiptOf.set(i, state.id)
    }
  })
  if (seen.length) {
    let inFlight = new Map<string, string>()
    try {
      inFlight = await receiptsInFlight(
        client,
        action,
        seen.map((i) => keys[i] as string)
      )
    } catch (err) {
      const error = asMapped(err)
      if (error instanceof InvalidAuthenticationError) throw error
      for (const i of seen) results[i] = failure(error)
    }
    for (const i of seen) {
      if (results[i]) continue
      const receipt = inFlight.get(keys[i] as string)
      if (receipt === undefined) results[i] = repeat(i)
      else {
        fresh.push(i)
        receiptOf.set(i, receipt)
      }
    }
  }
  if (!fresh.length) return results as Array<S | RecordFailure>
  let ran: Array<S | RecordFailure>
  try {
    ran = await run(fresh)
  } catch (err) {
    const error = asMapped(err)
    if (error instanceof InvalidAuthenticationError) throw error
    ran = fresh.map(() => failure(error))
  }
  fresh.forEach((i, k) => {
    results[i] = ran[k] ?? failure(mapSalesforceError(502, 'Salesforce returned no result for this event', action))
  })
  const done = fresh.filter((i) => (results[i] as S | RecordFailure).ok)
  if (done.length) {
    await markReceiptsDone(
      client,
      done.map((i) => ({ receipt: receiptOf.get(i) as string, record: (results[i] as S).id }))
    )
  }
  return results as Array<S | RecordFailure>
}
