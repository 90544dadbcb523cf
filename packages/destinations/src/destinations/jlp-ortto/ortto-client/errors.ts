// Ortto's answers → actions-core errors. 401/403: the key (InvalidAuthenticationError); 429 and 5xx: try again
// (RetryableError); 400/413/422: the data (PayloadValidationError naming the field Ortto complained about).
// Messages are built from Ortto's body only — never from request options, which carry the API key.
import {
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import { cut, type ActionError } from '../../../lib/errors'

type RetryableStatus = ConstructorParameters<typeof RetryableError>[1]
const RETRYABLE_STATUSES = new Set([408, 423, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599])

/** The actions-core errors every vendor client throws (lib/errors), under the Ortto client's name. */
export type OrttoError = ActionError

const FIELD_ID = /\b(?:act|[a-z]{3}):[a-z]*:[a-z0-9][a-z0-9_-]*/

/** Ortto's message from any of the shapes its bodies take (`{error: "..."}`, `{error: {message}}`, `{message}`). */
export function orttoMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 500) || undefined
  if (typeof body !== 'object' || body === null) return undefined
  const b = body as Record<string, unknown>
  const err = b.error
  if (typeof err === 'string') return err
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message
  }
  if (typeof b.message === 'string') return b.message
  if (Array.isArray(b.errors) && b.errors.length > 0) return orttoMessage({ error: b.errors[0] })
  return undefined
}

/** Seconds Ortto asks us to wait (its 429 body carries `try-in-seconds`). */
function retryAfter(body: unknown): number | undefined {
  const err = (body as { error?: Record<string, unknown> } | undefined)?.error
  const s = typeof err === 'object' && err !== null ? err['try-in-seconds'] : undefined
  return typeof s === 'number' ? s : undefined
}

/** The field a message is about, e.g. `str:cm:draw-no`, when Ortto names one. */
export function fieldInMessage(message: string | undefined): string | undefined {
  return message?.match(FIELD_ID)?.[0]
}

/** The error for an Ortto HTTP answer that is not 2xx; `what` says what we were doing ("creating 3 activities"). */
export function mapOrttoError(status: number, body: unknown, what: string): OrttoError {
  const message = orttoMessage(body)
  const detail = message ? `: ${cut(message, 300)}` : ''
  if (status === 401 || status === 403) {
    return new InvalidAuthenticationError(
      `Ortto refused the API key while ${what} (${status})${detail}. Check the key of the Custom API data source ` +
        `and that the region matches your Ortto instance${status === 403 ? ' (403 can also mean the plan does not allow it)' : ''}.`
    )
  }
  if (status === 429) {
    const wait = retryAfter(body)
    return new RetryableError(
      `Ortto rate limit reached while ${what}${wait !== undefined ? `; Ortto asks to retry in ${wait}s` : ''}.`,
      429
    )
  }
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
    const retryStatus = (RETRYABLE_STATUSES.has(status) ? status : 503) as RetryableStatus
    return new RetryableError(`Ortto is unavailable (${status}) while ${what}${detail}.`, retryStatus)
  }
  if (status === 400 || status === 413 || status === 422) {
    const field = fieldInMessage(message)
    const about = field ? ` (field ${field})` : ''
    const why = status === 413 ? ': the request is over Ortto’s 2 MB limit' : detail
    return new PayloadValidationError(`Ortto rejected the data while ${what}${about}${why}.`)
  }
  return new IntegrationError(`Ortto answered ${status} while ${what}${detail}.`, `ORTTO_${status}`, status)
}

/** A request that never got an answer (timeout, reset, DNS): retryable, with no request details in the message. */
export function mapTransportError(err: unknown, what: string): OrttoError {
  if (err instanceof IntegrationError || err instanceof InvalidAuthenticationError || err instanceof RetryableError) {
    return err
  }
  const e = err as { code?: string; name?: string; message?: string }
  const reason = e?.code ?? e?.name ?? 'network error'
  return new RetryableError(`No answer from Ortto while ${what} (${reason}).`, 503)
}

/** The multistatus `errortype` for an error. */
// errortype/status of a MultiStatusResponse item: the same for every vendor client.
export { errorStatus, errorType } from '../../../lib/errors'
