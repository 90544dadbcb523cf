// What every vendor client's errors have in common: the four actions-core classes, how one becomes a
// MultiStatusResponse item (its errortype and status), and how a message quotes a value (short, whatever its size).
import {
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError,
  getErrorCodeFromHttpStatus,
  type ErrorCodes
} from '@segment/actions-core'

export type ActionError = InvalidAuthenticationError | RetryableError | PayloadValidationError | IntegrationError

/** Whether a thrown value is one of the actions-core errors (anything else is wrapped before it reaches Segment). */
export const isActionError = (err: unknown): err is ActionError =>
  err instanceof IntegrationError ||
  err instanceof InvalidAuthenticationError ||
  err instanceof RetryableError ||
  err instanceof PayloadValidationError

/** HTTP-like status for an error, for a MultiStatusResponse item. */
export function errorStatus(err: ActionError): number {
  const status = (err as { status?: number }).status
  if (typeof status === 'number') return status
  if (err instanceof InvalidAuthenticationError) return 401
  return 400
}

/** The multistatus `errortype` for an error. */
export function errorType(err: ActionError): keyof typeof ErrorCodes {
  if (err instanceof RetryableError) return 'RETRYABLE_ERROR'
  if (err instanceof InvalidAuthenticationError) return 'INVALID_AUTHENTICATION'
  if (err instanceof PayloadValidationError) return 'PAYLOAD_VALIDATION_FAILED'
  return getErrorCodeFromHttpStatus(errorStatus(err))
}

/** `text` cut to `max` characters, with "…" where it was cut (never inside a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max)}…`
}

/**
 * A value as an error message quotes it: a string in quotes, anything else as JSON, cut to `max` characters so a
 * 5,000-character value still gives a short message ("aaaa…" (5,000 characters)).
 */
export function quoted(value: unknown, max = 60): string {
  if (value === undefined || value === null) return '(empty)'
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  const shown = typeof value === 'string' ? `"${cut(text, max)}"` : cut(text, max)
  return text.length <= max ? shown : `${shown} (${text.length.toLocaleString('en-GB')} characters)`
}
