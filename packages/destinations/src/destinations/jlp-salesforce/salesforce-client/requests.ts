// Building requests: REST paths (API version, checked names, encoded values, Composite references), the fields
// Salesforce takes, and how work is split within Salesforce's limits.
import { PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import { dataPath } from './hosts'
import type { SfFields } from './results'
import { apiName, soqlString } from './soql'

/** Salesforce's documented limits (REST API Developer Guide). */
export const SALESFORCE_LIMITS = {
  /** Records per sObject Collections request. */
  collectionRecords: 200,
  /** Subrequests per Composite request, and how many of them may be queries or Collections. */
  compositeSubrequests: 25,
  compositeQueries: 5,
  /** URI + headers of a request; a SOQL query in the URL counts. We keep well below. */
  queryUrlChars: 12_000
} as const

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** One Composite subrequest. `url` comes from sobjectPath / queryPath (it carries the API version). */
export interface Subrequest {
  method: Method
  url: string
  referenceId: string
  body?: unknown
  httpHeaders?: Record<string, string>
}

const REFERENCE = /^@\{[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*\}$/

/** A URL path segment: a Composite reference is left for Salesforce to resolve, anything else is encoded. A value
 * with half of a UTF-16 pair (a lone surrogate) has no URL form: refused, since any replacement would change which
 * record the URL names. */
function segment(value: string): string {
  if (REFERENCE.test(value)) return value
  try {
    return encodeURIComponent(value)
  } catch {
    throw new PayloadValidationError(
      `${quoted(value)} contains a broken character (half of an emoji or of another two-part character), so it ` +
        `cannot name a Salesforce record. Correct the value where the event comes from.`
    )
  }
}

/** `/services/data/v66.0/sobjects/{Object}/{segments…}` with the object name checked and segments encoded. */
export function sobjectPath(object: string, ...segments: string[]): string {
  return dataPath(['sobjects', apiName(object, 'object'), ...segments.map(segment)].join('/'))
}

/** `/services/data/v66.0/query?q=…` */
export const queryPath = (soql: string) => `${dataPath('query')}?q=${encodeURIComponent(soql)}`

/** `@{ref.path}`: a value an earlier subrequest of the same Composite request returns (its id by default). */
export const reference = (ref: string, path = 'id') => `@{${ref}.${path}}`

/** The fields as Salesforce takes them: names checked, undefined dropped, NPSP rollups refused. */
export function writableFields(object: string, fields: Record<string, unknown>): SfFields {
  const out: SfFields = {}
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue
    apiName(name)
    if (/^npo02__/i.test(name)) {
      throw new PayloadValidationError(
        `${name} is an NPSP rollup that Salesforce computes: JLP never writes it. Map the value to a JLP field on ` +
          `${object} instead.`
      )
    }
    if (value !== null && typeof value === 'object') {
      throw new PayloadValidationError(`${object}.${name} must be a single value, not an object or a list.`)
    }
    out[name] = value as SfFields[string]
  }
  return out
}

/** Splits values so each SOQL IN list stays within the URL budget and Collections' record limit (a value costs its
 * escaped literal and a comma, URL-encoded). */
export function chunkValues(values: readonly string[], budget = SALESFORCE_LIMITS.queryUrlChars): string[][] {
  const chunks: string[][] = []
  let chunk: string[] = []
  let size = 0
  for (const v of values) {
    const cost = encodeURIComponent(`${soqlString(v)},`).length
    if (chunk.length > 0 && (size + cost > budget || chunk.length >= SALESFORCE_LIMITS.collectionRecords)) {
      chunks.push(chunk)
      chunk = []
      size = 0
    }
    chunk.push(v)
    size += cost
  }
  if (chunk.length) chunks.push(chunk)
  return chunks
}

/** Items in lists of at most `size`. */
export const inChunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/** Indices split into rounds in which no two items find the same record (the second waits for the first). */
export function rounds(keys: ReadonlyArray<string | undefined>): number[][] {
  const out: number[][] = []
  const seen = new Map<string, number>()
  keys.forEach((key, index) => {
    if (key === undefined) return
    const round = seen.get(key) ?? 0
    seen.set(key, round + 1)
    ;(out[round] ??= []).push(index)
  })
  return out
}

/** LastModifiedDate ("2026-06-01T18:23:12.000+0000") as an HTTP date for If-Unmodified-Since. */
export function httpDate(lastModified: unknown): string | undefined {
  if (typeof lastModified !== 'string') return undefined
  const ms = Date.parse(lastModified.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))
  return Number.isNaN(ms) ? undefined : new Date(ms).toUTCString()
}
