// Salesforce's answers → actions-core errors, always with Salesforce's own code in the message.
//   retry later (RetryableError): 5xx, 408, 429, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW, SERVER_UNAVAILABLE,
//     a failed If-Unmodified-Since (412), a timeout or a reset connection;
//   sign in again (InvalidAuthenticationError, status 401 → the framework refreshes the token): 401, INVALID_SESSION_ID;
//   the data (PayloadValidationError, never retried): a value Salesforce refuses, naming the field;
//   the configuration (IntegrationError with Salesforce's code, never retried): unknown object or field, permissions.
// Messages are built from Salesforce's body only — never from request options, which carry the token.
import {
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import { cut, isActionError, type ActionError } from '../../../lib/errors'

export type SalesforceError = ActionError
type RetryableStatus = ConstructorParameters<typeof RetryableError>[1]

/** One entry of Salesforce's error body. Collections name the code `statusCode`, everything else `errorCode`. */
export interface SfErrorItem {
  message: string
  errorCode: string
  fields: string[]
}

const RETRYABLE_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'CONCURRENT_REQUEST_LIMIT_EXCEEDED',
  'QUERY_TIMEOUT',
  'TXN_SECURITY_METERING_ERROR'
])
const AUTH_CODES = new Set(['INVALID_SESSION_ID', 'INVALID_AUTH_HEADER'])
/** The value sent is wrong: the customer fixes the event or the mapping. */
const DATA_CODES = new Set([
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'MALFORMED_ID',
  'DUPLICATES_DETECTED',
  'DUPLICATE_VALUE',
  'DUPLICATE_EXTERNAL_ID',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'JSON_PARSER_ERROR',
  'INVALID_ID_FIELD',
  'INVALID_CROSS_REFERENCE_KEY'
])
const RETRYABLE_STATUSES = new Set([408, 423, 429, 500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 598, 599])

const str = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** Salesforce's error entries from any body shape: `[{message, errorCode, fields}]`, `{errors: [...]}`, an OAuth
 * `{error, error_description}`, or plain text. */
export function sfErrors(body: unknown): SfErrorItem[] {
  if (Array.isArray(body)) return body.flatMap((b) => sfErrors(b))
  if (typeof body === 'string') {
    const text = body.trim()
    if (!text) return []
    try {
      return sfErrors(JSON.parse(text))
    } catch {
      return [{ message: text.slice(0, 300), errorCode: '', fields: [] }]
    }
  }
  if (typeof body !== 'object' || body === null) return []
  const b = body as Record<string, unknown>
  if (Array.isArray(b.errors)) return sfErrors(b.errors)
  const code = str(b.errorCode) ?? str(b.statusCode) ?? str(b.error)
  const message = str(b.message) ?? str(b.error_description) ?? ''
  if (!code && !message) return []
  const fields = Array.isArray(b.fields) ? b.fields.filter((f): f is string => typeof f === 'string') : []
  return [{ message, errorCode: code ?? '', fields }]
}

/** Salesforce's error entries behind an error this module made (codes and fields, for decisions like "retry with
 * the documented defaults"). */
const details = new WeakMap<object, SfErrorItem[]>()
export const salesforceErrorsOf = (err: unknown): SfErrorItem[] =>
  (typeof err === 'object' && err !== null && details.get(err)) || []

// Salesforce's messages quote the value they refused (a 5,000-character one too): each is cut, and a long list of
// errors shows its first few.
const MESSAGE_MAX = 300
const ITEMS_SHOWN = 5

const describeItem = (e: SfErrorItem) =>
  `${e.errorCode || 'ERROR'}${e.fields.length ? ` on ${e.fields.join(', ')}` : ''}` +
  `${e.message ? `: ${cut(e.message, MESSAGE_MAX)}` : ''}`

const describeItems = (items: SfErrorItem[]) =>
  items.slice(0, ITEMS_SHOWN).map(describeItem).join('; ') +
  (items.length > ITEMS_SHOWN ? `; and ${items.length - ITEMS_SHOWN} more` : '')

/**
 * The error for a Salesforce answer that is not a success. `status` is the HTTP status (or a subrequest's),
 * `what` what we were doing, e.g. "upserting Contact by JLP_Supporter_Id__c".
 */
export function mapSalesforceError(status: number, body: unknown, what: string): SalesforceError {
  const items = sfErrors(body)
  const error = classify(status, items, what)
  details.set(error, items)
  return error
}

function classify(status: number, items: SfErrorItem[], what: string): SalesforceError {
  const codes = items.map((e) => e.errorCode)
  const detail = items.length ? ` (${describeItems(items)})` : ''
  const has = (set: Set<string>) => codes.some((c) => set.has(c))

  if (status === 401 || has(AUTH_CODES)) {
    return new InvalidAuthenticationError(
      `Salesforce did not accept the access token while ${what}${detail}. Reconnect the destination if this persists.`
    )
  }
  if (has(RETRYABLE_CODES) || status >= 500 || RETRYABLE_STATUSES.has(status)) {
    const limit = codes.includes('REQUEST_LIMIT_EXCEEDED') ? 429 : undefined
    const retryStatus = (limit ?? (RETRYABLE_STATUSES.has(status) ? status : 503)) as RetryableStatus
    return new RetryableError(
      `Salesforce could not take the request now while ${what}${detail}; retrying.`,
      retryStatus
    )
  }
  if (status === 412) {
    return new RetryableError(
      `The record changed in Salesforce while ${what} (412 PRECONDITION_FAILED); retrying with its new values.`,
      423
    )
  }
  if (status === 300) {
    return new IntegrationError(
      `Several Salesforce records match while ${what} (MULTIPLE_CHOICES): the external id is not unique. ` +
        `Make the field Unique in Salesforce or remove the duplicates.`,
      'MULTIPLE_CHOICES',
      400
    )
  }
  if (status === 413 || status === 414) {
    return new PayloadValidationError(`The request is too large for Salesforce while ${what} (${status})${detail}.`)
  }
  if (has(DATA_CODES) || (status === 400 && codes.every((c) => !c))) {
    return new PayloadValidationError(`Salesforce rejected the data while ${what}${detail || ' (400)'}.`)
  }
  const code = codes.find((c) => c) ?? `SALESFORCE_${status}`
  const hint =
    status === 403
      ? ' Check that the connected user has API access and permission on this object and its fields.'
      : code === 'INVALID_FIELD' || code === 'NOT_FOUND' || code === 'INVALID_TYPE'
        ? ' Check the object and field API names in the mapping and settings.'
        : ''
  return new IntegrationError(`Salesforce answered ${status} while ${what}${detail}.${hint}`, code, status)
}

/** A request that never got an answer (timeout, reset, DNS): retryable, with no request details in the message. */
export function mapTransportError(err: unknown, what: string): SalesforceError {
  if (isActionError(err)) return err
  const e = err as { code?: string; name?: string }
  const reason = e?.code ?? e?.name ?? 'network error'
  const timeout = /timeout/i.test(reason) || /timed out/i.test((err as Error)?.message ?? '')
  return new RetryableError(
    `No answer from Salesforce while ${what} (${timeout ? 'timeout' : reason}); retrying.`,
    timeout ? 408 : 503
  )
}

export { errorStatus, errorType } from '../../../lib/errors'

/** Whether an error (of any kind) is one of ours — anything else is wrapped before it reaches Segment. */
export const isMapped = isActionError
