// Write machinery shared by upsertMany and modifyMany: what an item asks for, Collections requests with per-item
// results, and how a conditional write tells that the record changed under it.
import { InvalidAuthenticationError, RetryableError } from '@segment/actions-core'
import type { SalesforceClient } from '.'
import { salesforceErrorsOf, sfErrors, type SalesforceError } from './errors'
import type { Match } from './matching'
import { SALESFORCE_LIMITS, inChunks } from './requests'
import {
  asMapped,
  collectionResult,
  failure,
  type ItemResult,
  type SfFields,
  type SfRecord,
  type SubResponse
} from './results'

/** A write `modifyMany` decides from the record as it is now. */
export interface Modification {
  match: Match
  /** Fields to read (Id and LastModifiedDate are always read). */
  read: string[]
  /** The fields to write given the current record (undefined: it does not exist yet, and will be created with the
   * match's field). Return undefined to write nothing ("unchanged"). */
  change(current: SfRecord | undefined): SfFields | undefined
  /** A filterable text field every such write changes (e.g. the applied event ids): the update is a compare-and-swap
   * on it, which also catches a concurrent write within the same second (If-Unmodified-Since cannot). */
  versionField?: string
}

export interface UpsertOptions {
  /** Values written only when the record is created, e.g. LastName "[not provided]" when the event has none (so an
   * existing name is never overwritten by a placeholder). */
  onCreate?: Record<string, unknown>
  /** Do not create the record when this other one exists (e.g. no Lead when a Contact has the email); an existing
   * record is still updated. The result is then "skipped" with `blockedBy`. */
  unless?: { object: string; match: Match }
}

export interface UpsertItem extends UpsertOptions {
  match: Match
  fields: Record<string, unknown>
}

/** Whether a failed write of a new record lacked required values that `onCreate` supplies. */
export function needsCreateValues(error: SalesforceError, onCreate: SfFields): boolean {
  const names = new Set(Object.keys(onCreate).map((n) => n.toLowerCase()))
  if (names.size === 0) return false
  return salesforceErrorsOf(error).some(
    (e) =>
      e.errorCode === 'REQUIRED_FIELD_MISSING' &&
      (e.fields.length === 0 || e.fields.some((f) => names.has(f.toLowerCase())))
  )
}

/** Collections requests for a batch, one result per item. After a retryable failure (rate limit, outage) the rest
 * of the batch is not sent: those events fail as retryable too. An authentication failure is thrown (the framework
 * refreshes the token and retries the batch). */
export class BatchWriter {
  private stopped?: SalesforceError

  constructor(
    private readonly client: SalesforceClient,
    private readonly object: string,
    private readonly results: ItemResult[]
  ) {}

  async guard<T>(indices: readonly number[], fn: () => Promise<T>): Promise<T | undefined> {
    const fail = (error: SalesforceError) => indices.forEach((i) => (this.results[i] = failure(error)))
    if (this.stopped) return void fail(this.stopped)
    try {
      return await fn()
    } catch (err) {
      const error = asMapped(err)
      if (error instanceof InvalidAuthenticationError) throw error
      if (error instanceof RetryableError) this.stopped = error
      return void fail(error)
    }
  }

  async write(
    indices: readonly number[],
    method: 'POST' | 'PATCH',
    path: string,
    record: (i: number) => Record<string, unknown>,
    change: 'created' | 'updated',
    what: string
  ): Promise<void> {
    for (const part of inChunks(indices, SALESFORCE_LIMITS.collectionRecords)) {
      await this.guard(part, async () => {
        const records = part.map((i) => ({ attributes: { type: this.object }, ...record(i) }))
        const { data } = await this.client.send<unknown[]>(method, path, { json: { allOrNone: false, records }, what })
        const list = Array.isArray(data) ? data : []
        part.forEach((i, k) => (this.results[i] = collectionResult(list[k], this.object, what, change)))
      })
    }
  }
}

/** Whether a conditional write's answers say the record changed (or was created) since it was read: a failed
 * If-Unmodified-Since, a compare-and-swap check that found nothing, or a create beaten by another one. */
export function isConflict(answers: SubResponse[], match: Match, creating: boolean): boolean {
  const write = answers[answers.length - 1]
  if (write?.httpStatusCode === 412) return true
  if (answers.length > 1) {
    const check = answers[0]
    const records = (check?.body as { records?: unknown[] } | undefined)?.records
    if (check?.httpStatusCode === 200 && Array.isArray(records) && records.length === 0) return true
  }
  return (
    creating &&
    match.by === 'externalId' &&
    sfErrors(write?.body).some((e) => e.errorCode === 'DUPLICATE_VALUE' || e.errorCode === 'DUPLICATE_EXTERNAL_ID')
  )
}

/** Conditional writes are tried this many times in one delivery before the event is handed back for a retry. */
export const MODIFY_ATTEMPTS = 3
