// Per-item results: what happened to each event's record, or its own error. Batches become a MultiStatusResponse
// with a true result per event; a single event returns its result or throws its error.
import { IntegrationError, MultiStatusResponse, type JSONLikeObject } from '@segment/actions-core'
import type { ActionOutcome, TouchedRecord } from '../../../lib/outcome'
import { errorStatus, errorType, isMapped, mapSalesforceError, type SalesforceError } from './errors'

export type SfValue = string | number | boolean | null
export type SfFields = Record<string, SfValue>
/** A record as Salesforce returns it from a query or a read. */
export type SfRecord = { Id: string } & Record<string, unknown>

export type Change = TouchedRecord['change']

export interface RecordSuccess {
  ok: true
  object: string
  id?: string
  change: Change
  /** The fields written (modify): what the action reports. */
  written?: SfFields
  /** The record as read before the write (modify). */
  before?: SfRecord
  /** Skipped: the record whose existence stopped the create (e.g. the Contact that has the Lead's email). */
  blockedBy?: { object: string; id: string }
  /** Event-time guard: the newest event time the record holds, when this event is older (its latest fields were
   * not written). */
  olderThan?: string
}

export interface RecordFailure {
  ok: false
  error: SalesforceError
}

export type ItemResult = RecordSuccess | RecordFailure

export const success = (
  object: string,
  change: Change,
  id?: string,
  extra: Partial<RecordSuccess> = {}
): RecordSuccess => ({
  ok: true,
  object,
  change,
  ...(id ? { id } : {}),
  ...extra
})

export const failure = (error: SalesforceError): RecordFailure => ({ ok: false, error })

/** Any thrown value as a mapped error (an unexpected one becomes a non-retried IntegrationError). */
export function asMapped(err: unknown): SalesforceError {
  if (isMapped(err)) return err
  const message = err instanceof Error ? err.message : String(err)
  return new IntegrationError(`Unexpected error: ${message}`, 'UNEXPECTED_ERROR', 400)
}

/** Builds one batch item, turning a problem with it into that item's own error (so one bad event fails alone). */
export function attempt<T>(build: () => T): T | SalesforceError {
  try {
    return build()
  } catch (err) {
    return asMapped(err)
  }
}

/** One element of a Collections answer: `{id, success, errors, created}`. */
export function collectionResult(raw: unknown, object: string, what: string, defaultChange: Change): ItemResult {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  if (raw === undefined) return failure(mapSalesforceError(502, 'Salesforce returned no result for this record', what))
  if (item.success !== true) return failure(mapSalesforceError(400, item.errors ?? item, what))
  const id = typeof item.id === 'string' ? item.id : undefined
  const change = typeof item.created === 'boolean' ? (item.created ? 'created' : 'updated') : defaultChange
  return success(object, change, id)
}

/** A Composite subrequest's answer. */
export interface SubResponse {
  referenceId: string
  httpStatusCode: number
  body: unknown
}

/** A write subrequest's answer as an item result (201 created, 200/204 updated). */
export function subResult(sub: SubResponse | undefined, object: string, what: string): ItemResult {
  if (!sub) return failure(mapSalesforceError(502, 'Salesforce returned no result for this request', what))
  const { httpStatusCode: status, body } = sub
  if (status < 200 || status >= 300) return failure(mapSalesforceError(status, body, what))
  const data = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const id = typeof data.id === 'string' ? data.id : undefined
  const created = typeof data.created === 'boolean' ? data.created : status === 201
  return success(object, created ? 'created' : 'updated', id)
}

/** Why an event's fields were not written, in a CSM's words ('' when they were). */
export const olderNote = (result: RecordSuccess): string =>
  result.olderThan ? `this event is older than the newest event already applied (${result.olderThan})` : ''

/** Single-event mode: the one result, or its error thrown (a per-item rejection must not read as success). */
export function onlyResult<S extends { ok: true } = RecordSuccess>(results: ReadonlyArray<S | RecordFailure>): S {
  const [result] = results
  if (!result) throw new IntegrationError('Salesforce returned no result.', 'NO_RESULT', 502)
  if (!result.ok) throw result.error
  return result
}

/** Batch mode: a MultiStatusResponse with each event's own result (never "all 200"). */
export function toMultiStatus<S extends { ok: true } = RecordSuccess>(
  results: ReadonlyArray<S | RecordFailure>,
  describe: (result: S, index: number) => ActionOutcome,
  sent: (index: number) => JSONLikeObject | undefined = () => undefined
): MultiStatusResponse {
  const response = new MultiStatusResponse()
  results.forEach((result, i) => {
    const body = sent(i)
    if (result.ok) {
      response.setSuccessResponseAtIndex(i, { status: 200, sent: body ?? {}, body: describe(result, i) })
    } else {
      response.setErrorResponseAtIndex(i, {
        status: errorStatus(result.error),
        errortype: errorType(result.error),
        errormessage: result.error.message,
        ...(body ? { sent: body } : {})
      })
    }
  })
  return response
}
