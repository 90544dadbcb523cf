// What the runner says went wrong → what Segment's Functions runtime understands. Only RetryError (and timeouts)
// are retried, for up to 4 hours; every other error discards the event, so an error is a RetryError exactly when
// the runner calls it retryable (RetryableError, 5xx, 429, timeouts).
import type { RunError } from '@jlp/runner/src/run'

export type FunctionErrorName = 'EventNotSupported' | 'InvalidEventPayload' | 'ValidationError' | 'RetryError'

/** The error classes the Functions runtime defines as globals. */
export type FunctionErrorClasses = Record<FunctionErrorName, new (message: string) => Error>

export const FUNCTION_ERROR_NAMES: readonly FunctionErrorName[] = [
  'EventNotSupported',
  'InvalidEventPayload',
  'ValidationError',
  'RetryError'
]

/** One event's failure: which Function error, the status for an onBatch result, and a message for the CSM. */
export interface FunctionFailure {
  error: FunctionErrorName
  status: number
  message: string
}

/** The per-event result onBatch returns, in the order of the events. */
export interface BatchStatus {
  status: number
  errormessage?: string
}

const retryStatus = (e: RunError) => (e.status !== undefined && (e.status >= 500 || e.status === 429) ? e.status : 500)
const discardStatus = (e: RunError) => (e.status !== undefined && e.status >= 400 && e.status < 500 ? e.status : 400)

/**
 * The failure of one event from the preset runs it caused (undefined when all succeeded). Any retryable failure
 * makes the whole event a RetryError: Segment then delivers it again and every preset runs again, which the
 * actions' idempotent writes allow.
 */
export function failureOf(runs: ReadonlyArray<{ preset: string; error?: RunError }>): FunctionFailure | undefined {
  const failed = runs.filter((r): r is { preset: string; error: RunError } => r.error !== undefined)
  if (failed.length === 0) return undefined
  const retryable = failed.filter((r) => r.error.retryable)
  const message = failed.map((r) => `${r.preset}: ${r.error.message}`).join(' | ')
  if (retryable.length > 0) return { error: 'RetryError', status: retryStatus(retryable[0].error), message }
  return { error: 'ValidationError', status: discardStatus(failed[0].error), message }
}

export function batchStatus(failure: FunctionFailure | undefined): BatchStatus {
  return failure ? { status: failure.status, errormessage: `${failure.error}: ${failure.message}` } : { status: 200 }
}
