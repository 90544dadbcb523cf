// Field values as Salesforce takes them from JSON or CSV: coerced to the field's type, or a Salesforce error
// (JSON_PARSER_ERROR, STRING_TOO_LONG, INVALID_EMAIL_ADDRESS, MALFORMED_ID) naming the field.
import { SfError } from './errors'
import { to15, to18 } from './ids'
import type { SfField } from './schema'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

const deserializeError = (f: SfField, value: unknown, as: string) =>
  new SfError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${as} from VALUE_STRING value ${String(value)} or request may be missing a required field`,
    [f.name]
  )

/** Salesforce's datetime format: 2024-05-01T09:30:00.000+0000. */
export const formatDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000')

export function parseDateTime(value: string): number | undefined {
  const trimmed = value.trim()
  if (DATE.test(trimmed)) return Date.parse(`${trimmed}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined
  const iso = trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : ms
}

function validDate(value: string): string | undefined {
  const m = DATE.exec(value.trim())
  if (!m) return undefined
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? value.trim() : undefined
}

function toNumber(f: SfField, value: unknown, as: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC.test(value.trim()) ? +value : NaN
  if (!Number.isFinite(n)) throw deserializeError(f, value, as)
  return n
}

/** The stored value for `value` written to field `f` (null clears). */
export function coerce(f: SfField, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'object') {
    throw new SfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${f.type} from START_OBJECT value`, [
      f.name
    ])
  }
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        return value.trim().toLowerCase() === 'true'
      throw deserializeError(f, value, 'boolean')
    case 'int': {
      const n = toNumber(f, value, 'int')
      if (!Number.isInteger(n)) throw deserializeError(f, value, 'int')
      return n
    }
    case 'currency':
    case 'double':
    case 'percent':
      return toNumber(f, value, 'double')
    case 'date': {
      const s = String(value)
      const date =
        validDate(s) ?? (parseDateTime(s) !== undefined ? formatDateTime(parseDateTime(s)!).slice(0, 10) : undefined)
      if (!date) throw deserializeError(f, value, 'date')
      return date
    }
    case 'datetime': {
      const ms = parseDateTime(String(value))
      if (ms === undefined) throw deserializeError(f, value, 'datetime')
      return formatDateTime(ms)
    }
    case 'id':
    case 'reference': {
      if (value === '') return null
      const id = to15(value)
      if (!id)
        throw new SfError(400, 'MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(value)}`, [f.name])
      return to18(id)
    }
    default: {
      const s = String(value)
      if (s === '') return null
      if (f.length && s.length > f.length) {
        throw new SfError(
          400,
          'STRING_TOO_LONG',
          `${f.label}: data value too large: ${s.slice(0, 80)} (max length=${f.length})`,
          [f.name]
        )
      }
      if (f.type === 'email' && !EMAIL.test(s)) {
        throw new SfError(400, 'INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name])
      }
      return s
    }
  }
}

/** A value normalised for equality (unique indexes, upsert matching, SOQL =). */
export function comparable(f: SfField | undefined, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null
  if (f && (f.type === 'id' || f.type === 'reference')) return to15(value) ?? String(value)
  if (typeof value === 'number' || typeof value === 'boolean') return value
  return f?.caseSensitive ? String(value) : String(value).toLowerCase()
}
