// Exactly once for writes Salesforce cannot upsert (Tasks, Platform Events, Flow runs): every such write comes with a
// JLP Event Receipt, a record of the custom object JLP_Event_Receipt__c whose JLP_Event_Id__c (External ID, Unique,
// case-sensitive, 255) holds "<action>:<key>". Activities cannot carry an external id, but the receipt can:
// - in one Composite call with allOrNone (the write, then the receipt): a redelivered event fails on the unique key
//   and Salesforce rolls the whole call back, so nothing is written twice — even when two deliveries race;
// - receipts first (Collections, one call for a batch), then the write for the keys that were new, then the
//   receipts of writes that failed are deleted so a retry can run them (Flows, which Composite cannot invoke).
import { IntegrationError, InvalidAuthenticationError } from '@segment/actions-core'
import { isMapped, mapSalesforceError, sfErrors, type SalesforceError } from './errors'
import { dataPath } from './hosts'
// The index re-exports this module: import receipts from '../salesforce-client', never from this file directly.
import type { SalesforceClient } from './index'
import { asMapped, failure, type RecordFailure, type SubResponse } from './results'

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

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

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
  for (const part of chunk(keys, 200)) {
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

/** Deletes receipts whose write failed, so a retry runs it (one Collections call per 200). Whether all went. */
export async function releaseReceipts(client: SalesforceClient, ids: readonly string[]): Promise<boolean> {
  let released = true
  for (const part of chunk(ids, 200)) {
    try {
      const query = `ids=${part.map(encodeURIComponent).join(',')}&allOrNone=false`
      const { data } = await client.send('DELETE', `${dataPath('composite/sobjects')}?${query}`, {
        what: 'removing the receipts of failed writes'
      })
      if (!Array.isArray(data) || data.some((d) => (d as { success?: unknown })?.success !== true)) released = false
    } catch {
      released = false
    }
  }
  return released
}

/**
 * Receipts first: claims every key, runs `run` for the new ones only (its results in the order of `indices`),
 * answers `repeat(i)` for keys handled before, and releases the receipts of runs that failed. Items that are
 * already errors keep them. If a failed run's receipt cannot be released, its error says a retry will skip it.
 */
export async function runOnce<S extends { ok: true }>(
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
  states.forEach((state, k) => {
    const i = pending[k]
    if ('ok' in state) results[i] = state
    else if (state.state === 'seen') results[i] = repeat(i)
    else {
      fresh.push(i)
      receiptOf.set(i, state.id)
    }
  })
  if (fresh.length) {
    let ran: Array<S | RecordFailure>
    try {
      ran = await run(fresh)
    } catch (err) {
      const error = asMapped(err)
      if (error instanceof InvalidAuthenticationError) {
        await releaseReceipts(client, [...receiptOf.values()])
        throw error
      }
      ran = fresh.map(() => failure(error))
    }
    fresh.forEach((i, k) => {
      results[i] = ran[k] ?? failure(mapSalesforceError(502, 'Salesforce returned no result for this event', action))
    })
    const failed = fresh.filter((i) => !(results[i] as S | RecordFailure).ok)
    if (
      failed.length &&
      !(await releaseReceipts(
        client,
        failed.map((i) => receiptOf.get(i) as string)
      ))
    ) {
      for (const i of failed) {
        const { error } = results[i] as RecordFailure
        results[i] = failure(
          new IntegrationError(
            `${error.message} Its JLP Event Receipt could not be removed, so a retry will skip this event: ` +
              `delete the ${RECEIPT.object} "${receiptKey(action, keys[i] as string)}" to run it again.`,
            'RECEIPT_NOT_RELEASED',
            400
          )
        )
      }
    }
  }
  return results as Array<S | RecordFailure>
}
