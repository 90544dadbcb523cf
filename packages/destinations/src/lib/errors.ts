// What every vendor client's errors have in common: the four actions-core classes, and how one becomes a
// MultiStatusResponse item (its errortype and status).
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
