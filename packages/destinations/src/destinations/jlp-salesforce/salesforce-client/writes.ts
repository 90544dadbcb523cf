// Write machinery shared by upsertMany and modifyMany: what an item asks for, Collections requests with per-item
// results, and how a conditional write tells that the record changed under it.
import { InvalidAuthenticationError, PayloadValidationError, RetryableError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
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
  /** Fields written only when this event is not older than the newest one the record has taken (see EventTime);
   * without `eventTime`, always written. */
  latest?: SfFields
  eventTime?: EventTime
}

/**
 * The event-time guard: the record keeps in `field` (a Date/Time field) the time of the newest event written to it.
 * An event older than that leaves the record as it is ("unchanged"), so a late copy of an old event cannot undo a
 * newer change; an event at least as new writes its fields and moves the stamp to its own time.
 */
export interface EventTime {
  field: string
  /** This event's time (ISO 8601). */
  at: string
}

export interface UpsertOptions {
  /** Values written only when the record is created, e.g. LastName "[not provided]" when the event has none (so an
   * existing name is never overwritten by a placeholder). */
  onCreate?: Record<string, unknown>
  /** Do not create the record when this other one exists (e.g. no Lead when a Contact has the email); an existing
   * record is still updated. The result is then "skipped" with `blockedBy`. */
  unless?: { object: string; match: Match }
  /** With it: read, then a conditional write (modifyMany), 2 calls; 1 when the event is older than the record's. */
  eventTime?: EventTime
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

/** The fields `modifyMany` reads for an item. */
export const readFields = (m: Modification): string[] => [
  ...m.read,
  ...(m.versionField ? [m.versionField] : []),
  ...(m.eventTime ? [m.eventTime.field, ...Object.keys(m.latest ?? {})] : [])
]

/** An upsert under the event-time guard, as a modification: its fields are the latest ones; onCreate only when the
 * record is new. */
export function guardedUpsert(item: UpsertItem): Modification {
  if (item.unless) throw new RangeError('An upsert with `unless` takes no event-time guard')
  return {
    match: item.match,
    read: [],
    latest: item.fields as SfFields,
    eventTime: item.eventTime,
    change: (current) => (current ? undefined : (item.onCreate as SfFields | undefined))
  }
}

/** A Salesforce datetime ("2026-06-01T18:23:12.000+0000") or ISO 8601 time as epoch ms (undefined: not a time). */
export function instant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d/.test(value)) return undefined
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))
  return Number.isNaN(ms) ? undefined : ms
}

const sameValue = (held: unknown, sent: unknown) =>
  held === sent || (held !== null && held !== undefined && String(held) === String(sent)) || instantsEqual(held, sent)

const instantsEqual = (a: unknown, b: unknown) => {
  const x = instant(a)
  return x !== undefined && x === instant(b)
}

/**
 * What a guarded write adds to the item's own change, given the record as read: the latest fields and the new stamp
 * when the event is at least as new as the record's stamp (nothing when the record already holds exactly these
 * values from an event of the same time: a redelivery), or `olderThan` (the record's stamp) when it is older.
 */
export function latestChange(
  item: Pick<Modification, 'latest' | 'eventTime'>,
  current: SfRecord | undefined
): { fields: SfFields; olderThan?: string } {
  const latest = item.latest ?? {}
  const guard = item.eventTime
  if (!guard) return { fields: latest }
  const at = instant(guard.at)
  if (at === undefined) {
    throw new PayloadValidationError(
      `The event time ${quoted(guard.at)} is not a date and time, so it cannot be compared with ${guard.field}.`
    )
  }
  const held = current?.[guard.field]
  const stamp = instant(held)
  if (stamp !== undefined && at < stamp) return { fields: {}, olderThan: String(held) }
  if (stamp === at && Object.entries(latest).every(([name, value]) => sameValue(current?.[name], value))) {
    return { fields: {} }
  }
  return { fields: { ...latest, [guard.field]: new Date(at).toISOString() } }
}

/** Conditional writes are tried this many times in one delivery before the event is handed back for a retry. */
export const MODIFY_ATTEMPTS = 3
