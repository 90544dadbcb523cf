// What every fuzz case must satisfy: a failure is an actions-core error with a message a person can read, nothing
// pollutes Object.prototype, and every request the vendor saw is well formed — each SOQL query lexes under
// Salesforce's rules and keeps every injection payload whole inside one string literal (its meaning unchanged).
import { IntegrationError, InvalidAuthenticationError, RetryableError, type JSONObject } from '@segment/actions-core'
import { destinationFor, type Target } from '@jlp/runner'
import type { FuzzCase } from './fuzz'
import { lexSoql, queriesInRequest } from './soql-lexer'

/** A request as the vendor (the sandbox) saw it. */
export interface SeenRequest {
  method: string
  url: string
  body?: unknown
  status: number
  /** The vendor's own error codes in its answer (e.g. MALFORMED_QUERY), subrequests' included. */
  errorCodes: string[]
  /** Those errors in full (code, message, the fields they name), when recorded. */
  errors?: VendorError[]
}

/** One error in a vendor's answer: Salesforce's `errorCode` (per record `statusCode`), an OAuth `error`, or Ortto's
 * `error` message (code "ortto"). */
export interface VendorError {
  code: string
  message?: string
  fields?: string[]
}

/** Every error in an answer, at any depth (composite subrequests, collections records). */
export function vendorErrorsIn(data: unknown): VendorError[] {
  if (Array.isArray(data)) return data.flatMap(vendorErrorsIn)
  if (!data || typeof data !== 'object') return []
  const d = data as Record<string, unknown>
  if (typeof d.error === 'string') {
    const oauth = typeof d.error_description === 'string'
    return [oauth ? { code: d.error, message: d.error_description as string } : { code: 'ortto', message: d.error }]
  }
  const code = typeof d.errorCode === 'string' ? d.errorCode : typeof d.statusCode === 'string' ? d.statusCode : ''
  if (code) {
    const fields = Array.isArray(d.fields) ? d.fields.map(String) : []
    return [{ code, ...(typeof d.message === 'string' ? { message: d.message } : {}), fields }]
  }
  return Object.values(d).flatMap(vendorErrorsIn)
}

/** Every error code in an answer. */
export const errorCodesIn = (data: unknown): string[] => vendorErrorsIn(data).map((e) => e.code)

/** What the vendor's parsers refuse: a request our clients should never build. */
export const MALFORMED_CODES = new Set([
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_API_INPUT',
  'METHOD_NOT_ALLOWED',
  'JSON_PARSER_ERROR',
  'MALFORMED_ID'
])

/** Codes that mean a malformed request unless they name a field: then one value was of the wrong type for its field
 * (e.g. `true` mapped into a number field through a free-form "values" object), which is the data's fault. */
const MALFORMED_UNLESS_A_FIELD = new Set(['JSON_PARSER_ERROR', 'MALFORMED_ID'])

/** The errors of an answer that say the request itself was malformed. */
export function malformedErrors(errors: readonly VendorError[]): VendorError[] {
  return errors.filter(
    (e) => MALFORMED_CODES.has(e.code) && !(MALFORMED_UNLESS_A_FIELD.has(e.code) && (e.fields ?? []).length > 0)
  )
}

/** Ortto validates a whole request and refuses it with a 400 (or 413 over 2 MB) before writing anything, and bans a
 * sender after 15 such answers in 15 s: the client must refuse bad data itself. */
const isOrttoRefusal = (r: SeenRequest) =>
  /\/v1\/(person|activities|definitions)\//.test(r.url) && [400, 413].includes(r.status)

export interface CaseResult {
  /** What onEvent/onBatch threw, if anything. */
  thrown?: unknown
  /** Per event: ok, or the error name and message a batch item carried. */
  items: Array<{ ok: boolean; errortype?: string; message?: string; status?: number }>
}

/** actions-core's payload validation (mapping-kit and the schema check) throws these two by name. */
const FRAMEWORK_VALIDATION = new Set(['AggregateAjvError', 'ValidationError'])

export function errorClass(err: unknown): string {
  const e = err as { name?: string; constructor?: { name?: string } }
  return e?.name ?? e?.constructor?.name ?? typeof err
}

/** actions-core error classes a destination may throw for bad input (retryable/auth errors are vendor trouble). */
export function isActionsCoreError(err: unknown): boolean {
  return (
    err instanceof IntegrationError ||
    err instanceof RetryableError ||
    err instanceof InvalidAuthenticationError ||
    FRAMEWORK_VALIDATION.has(errorClass(err))
  )
}

const UNREADABLE: Array<[RegExp, string]> = [
  [/\[object Object\]/, 'prints [object Object]'],
  [/Cannot read propert|is not a function|is not iterable|undefined is not|of undefined|of null\b/, 'a JS crash'],
  [/\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/, 'names a JS error class'],
  [/\bat .+:\d+:\d+\)?$/m, 'contains a stack trace'],
  [/Unexpected token|JSON at position/, 'a JSON parser message'],
  [/\bNaN\b/, 'says NaN']
]

/** Why a message is not readable by a customer-success manager, or undefined when it is. `sent` is what went to the
 * vendor: a value the mapping itself produced (e.g. "[object Object]") may be quoted back. */
export function unreadable(message: unknown, sent = ''): string | undefined {
  if (typeof message !== 'string') return `message is ${typeof message}`
  const text = message.trim()
  if (text.length < 8) return `message too short: "${text}"`
  if (text.length > 1000) return `message is ${text.length} characters long: "${text.slice(0, 80)}…${text.slice(-120)}"`
  for (const [pattern, why] of UNREADABLE) {
    const m = pattern.exec(text)
    if (m && !sent.includes(m[0])) return `message ${why}: "${text.slice(0, 200)}"`
  }
  return undefined
}

/** Item error types of the fuzz's own: an event actions-core did not pass on, and a batch answer without a result
 * for an event. */
export const NOT_SUBSCRIBED = 'NOT_SUBSCRIBED'
const MISSING = 'MISSING'

/** Problems with what a case threw or returned. Against a fault-free vendor, a retryable or auth error is one. */
export function outcomeProblems(result: CaseResult, sent = ''): string[] {
  const problems: string[] = []
  if (result.thrown !== undefined) {
    const err = result.thrown as { message?: string }
    if (!isActionsCoreError(err)) problems.push(`threw ${errorClass(err)} (not an actions-core error): ${err?.message}`)
    else if (err instanceof RetryableError) problems.push(`vendor trouble (RetryableError): ${err.message}`)
    else if (err instanceof InvalidAuthenticationError) problems.push(`auth refused: ${err.message}`)
    const why = unreadable(err?.message, sent)
    if (why) problems.push(`${errorClass(err)}: ${why}`)
  }
  result.items.forEach((item, i) => {
    if (item.ok || item.errortype === NOT_SUBSCRIBED) return
    if (item.errortype === MISSING) problems.push(`batch item ${i} has no result in the MultiStatusResponse`)
    if (!item.errortype) problems.push(`batch item ${i} failed without an error type`)
    if (item.errortype === 'RETRYABLE_ERROR') problems.push(`batch item ${i}: vendor trouble: ${item.message}`)
    const why = unreadable(item.message, sent)
    if (why) problems.push(`batch item ${i}: ${why}`)
  })
  return problems
}

/** Runs a case exactly as Segment would: onEvent with the subscription, or onBatch with batching on. */
export async function runCase(c: FuzzCase, target: Target): Promise<CaseResult> {
  const destination = destinationFor(target.def)
  const preset = target.presets.find((p) => p.name === c.preset)!
  const mapping = c.batch ? { ...c.mapping, enable_batching: true } : c.mapping
  const settings = { ...target.settings, subscription: { ...preset, mapping } as unknown as JSONObject }
  // A mutation can make every event miss the preset's trigger (e.g. its event name): actions-core then answers
  // "not subscribed" and Segment would not have sent them.
  const notSubscribed = (results: unknown[]) =>
    (results[0] as { output?: string })?.output === 'not subscribed'
      ? { items: c.events.map(() => ({ ok: false, errortype: NOT_SUBSCRIBED, message: 'not subscribed' })) }
      : undefined
  try {
    if (!c.batch) {
      const results = await destination.onEvent(c.events[0], settings)
      return notSubscribed(results) ?? { items: [{ ok: true }] }
    }
    const results = await destination.onBatch(c.events, settings)
    const skipped = notSubscribed(results)
    if (skipped) return skipped
    const multistatus = (results[0] as { multistatus?: Array<Record<string, unknown>> })?.multistatus ?? []
    return {
      items: c.events.map((_, i) => {
        const node = multistatus[i] ?? { status: 500, errortype: MISSING, errormessage: 'no result for this event' }
        const status = Number(node.status ?? 500)
        return status >= 200 && status < 300
          ? { ok: true, status }
          : { ok: false, status, errortype: node.errortype as string, message: node.errormessage as string }
      })
    }
  } catch (thrown) {
    return { thrown, items: [] }
  } finally {
    ;(destination.responses as unknown[]).length = 0
  }
}

const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype]
]
const baseline = new Map(PROTOTYPES.map(([name, proto]) => [name, Object.getOwnPropertyNames(proto).join(',')]))

/** Whether a prototype gained or lost a property (a polluting merge). */
export function pollution(): string[] {
  const found = PROTOTYPES.flatMap(([name, proto]) =>
    Object.getOwnPropertyNames(proto).join(',') === baseline.get(name) ? [] : [`${name} changed`]
  )
  const probe = {} as Record<string, unknown>
  if (probe.polluted !== undefined || probe.isAdmin !== undefined) found.push('{} has a polluted property')
  return found
}

/** Marks every injection payload the fuzzer builds (see SOQL_METACHARACTERS): wherever a query carries it, it must
 * sit inside a string literal that holds a whole injected value — never in the query's own words, never split. */
export const INJECTION_MARKER = 'zq'

/**
 * What is wrong with the SOQL a case sent: a query Salesforce's lexical rules refuse, a payload's words among the
 * query's own (it broke out of its literal), or a literal holding only a piece of a payload (it was split).
 * `injected` are the strings the case's mutations put in.
 */
export function soqlProblems(requests: readonly SeenRequest[], injected: readonly string[]): string[] {
  const problems: string[] = []
  // Compared without case, blanks and underscores: an action may keep a value in another form (e.g. a purchase id
  // with its spaces as _ in a list of ids) and the payload is still whole.
  const norm = (text: string) => text.toLowerCase().replace(/[\s_]+/g, '')
  const payloads = injected.filter((s) => s.toLowerCase().includes(INJECTION_MARKER)).map(norm)
  for (const q of requests.flatMap((r) => queriesInRequest(r.url, r.body))) {
    let tokens
    try {
      tokens = lexSoql(q)
    } catch (err) {
      problems.push(`malformed SOQL sent: ${(err as Error).message}`)
      continue
    }
    for (const t of tokens) {
      if (t.kind === 'string') {
        const value = norm(t.value)
        if (value.includes(INJECTION_MARKER) && !payloads.some((p) => value.includes(p))) {
          problems.push(`a payload was split across literals: ${JSON.stringify(t.value)} in ${q.slice(0, 300)}`)
        }
      } else if (t.kind === 'word' && t.text.toLowerCase().includes(INJECTION_MARKER)) {
        problems.push(`a payload became part of the query: ${q.slice(0, 300)}`)
      }
    }
  }
  return problems
}

/** Requests the vendor refused as malformed (its parsers' error codes, or Ortto's whole-request refusal), or answered
 * with a server error. */
export function vendorProblems(requests: readonly SeenRequest[]): string[] {
  return requests.flatMap((r) => {
    const where = `${r.method} ${r.url.slice(0, 120)}`
    if (r.status >= 500) return [`vendor answered ${r.status} to ${where}`]
    if (isOrttoRefusal(r)) return [`Ortto refused ${where} (${r.status}): ${JSON.stringify(r.errors ?? r.errorCodes)}`]
    const malformed = malformedErrors(r.errors ?? r.errorCodes.map((code) => ({ code })))
    return malformed.length > 0
      ? [`vendor refused ${where}: ${malformed.map((e) => `${e.code} ${e.message ?? ''}`.trim()).join('; ')}`]
      : []
  })
}
