// What every fuzz case must satisfy: a failure is an actions-core error with a message a person can read, nothing
// pollutes Object.prototype, and every request the vendor saw is well formed — each SOQL query has a shape the
// action builds for ordinary input and literals that are the event's own values (no injection changed its meaning).
import {
  IntegrationError,
  InvalidAuthenticationError,
  RetryableError,
  type JSONObject,
  type SegmentEvent
} from '@segment/actions-core'
import { destinationFor, type Target } from '@jlp/runner'
import type { FuzzCase } from './fuzz'
import { lexSoql, queriesInRequest, soqlLiterals, soqlShape } from './soql-lexer'

/** A request as the vendor (the sandbox) saw it. */
export interface SeenRequest {
  method: string
  url: string
  body?: unknown
  status: number
  /** The vendor's own error code when it refused the request (e.g. MALFORMED_QUERY). */
  errorCode?: string
}

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

/** Why a message is not readable by a customer-success manager, or undefined when it is. */
export function unreadable(message: unknown): string | undefined {
  if (typeof message !== 'string') return `message is ${typeof message}`
  const text = message.trim()
  if (text.length < 8) return `message too short: "${text}"`
  if (text.length > 1000) return `message is ${text.length} characters long`
  for (const [pattern, why] of UNREADABLE) if (pattern.test(text)) return `message ${why}: "${text.slice(0, 200)}"`
  return undefined
}

/** Problems with what a case threw or returned. Against a fault-free vendor, a retryable or auth error is one. */
export function outcomeProblems(result: CaseResult): string[] {
  const problems: string[] = []
  if (result.thrown !== undefined) {
    const err = result.thrown as { message?: string }
    if (!isActionsCoreError(err)) problems.push(`threw ${errorClass(err)} (not an actions-core error): ${err?.message}`)
    else if (err instanceof RetryableError) problems.push(`vendor trouble (RetryableError): ${err.message}`)
    else if (err instanceof InvalidAuthenticationError) problems.push(`auth refused: ${err.message}`)
    const why = unreadable(err?.message)
    if (why) problems.push(`${errorClass(err)}: ${why}`)
  }
  result.items.forEach((item, i) => {
    if (item.ok) return
    if (!item.errortype) problems.push(`batch item ${i} failed without an error type`)
    if (item.errortype === 'RETRYABLE_ERROR') problems.push(`batch item ${i}: vendor trouble: ${item.message}`)
    const why = unreadable(item.message)
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
  try {
    if (!c.batch) {
      await destination.onEvent(c.events[0], settings)
      return { items: [{ ok: true }] }
    }
    const results = await destination.onBatch(c.events, settings)
    const multistatus = (results[0] as { multistatus?: Array<Record<string, unknown>> })?.multistatus ?? []
    return {
      items: c.events.map((_, i) => {
        const node = multistatus[i] ?? { status: 500, errortype: 'MISSING', errormessage: 'no result for this event' }
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

/** Strings of an event, and the forms a client may fairly send them in (trimmed, lower-cased). */
export function eventStrings(events: readonly SegmentEvent[]): Set<string> {
  const out = new Set<string>()
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      out.add(v)
      out.add(v.trim())
      out.add(v.trim().toLowerCase())
    } else if (typeof v === 'number' || typeof v === 'boolean') out.add(String(v))
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  events.forEach(walk)
  return out
}

/**
 * Learns, from ordinary events, the query shapes each action builds and the constant literals they use; then
 * judges the queries of fuzzed cases against them.
 */
export class QueryOracle {
  private readonly shapes = new Map<string, Set<string>>()
  private readonly constants = new Set<string>()
  queries = 0

  private queriesOf(requests: readonly SeenRequest[]) {
    return requests.flatMap((r) => queriesInRequest(r.url, r.body))
  }

  learn(action: string, requests: readonly SeenRequest[], events: readonly SegmentEvent[]): string[] {
    const problems: string[] = []
    const strings = eventStrings(events)
    for (const q of this.queriesOf(requests)) {
      try {
        const tokens = lexSoql(q)
        if (!this.shapes.has(action)) this.shapes.set(action, new Set())
        this.shapes.get(action)!.add(soqlShape(tokens))
        for (const literal of soqlLiterals(tokens)) if (!strings.has(literal)) this.constants.add(literal)
      } catch (err) {
        problems.push(`ordinary input built a malformed query: ${(err as Error).message}`)
      }
    }
    return problems
  }

  check(action: string, requests: readonly SeenRequest[], events: readonly SegmentEvent[]): string[] {
    const problems: string[] = []
    const strings = eventStrings(events)
    const known = this.shapes.get(action) ?? new Set()
    for (const q of this.queriesOf(requests)) {
      this.queries++
      let tokens
      try {
        tokens = lexSoql(q)
      } catch (err) {
        problems.push(`malformed SOQL sent: ${(err as Error).message}`)
        continue
      }
      const shape = soqlShape(tokens)
      if (!known.has(shape)) problems.push(`query shape never built for ordinary input: ${shape.slice(0, 300)}`)
      for (const literal of soqlLiterals(tokens)) {
        const explained =
          strings.has(literal) || this.constants.has(literal) || [...strings].some((s) => s.includes(literal))
        if (!explained)
          problems.push(`query literal is not a value of the event: ${JSON.stringify(literal).slice(0, 120)}`)
      }
    }
    return problems
  }
}

/** Requests the vendor refused as malformed (its parser's error codes), or answered with a server error. */
export function vendorProblems(requests: readonly SeenRequest[]): string[] {
  return requests.flatMap((r) => {
    if (r.status >= 500) return [`vendor answered ${r.status} to ${r.method} ${r.url.slice(0, 120)}`]
    if (r.errorCode && /MALFORMED|INVALID_QUERY|JSON_PARSER|INVALID_FIELD|UNEXPECTED_TOKEN/.test(r.errorCode)) {
      return [`vendor refused ${r.method} ${r.url.slice(0, 120)}: ${r.errorCode}`]
    }
    return []
  })
}
