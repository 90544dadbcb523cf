// Ortto's typed ids and values. Every field and activity attribute is addressed as `<type>:<namespace>:<name>`:
// built-in person fields have an empty namespace (`str::email`), custom ones `cm` (`int:cm:plan-amount`).
// Values follow the type: decimals travel as integers ×1000, dates as {year, month, day, timezone}, phones and
// places as objects. Limits from Ortto's docs: strings 255 characters, long text 4,000.
import { PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'

/** What a value is, in our words; each kind maps to one Ortto type prefix and one activity-definition display type. */
export type OrttoValueKind =
  'text' | 'longtext' | 'integer' | 'decimal' | 'boolean' | 'date' | 'phone' | 'geo' | 'object'

/** Ortto's type prefixes. Decimals (money too) are `int` ×1000: Ortto documents no separate decimal prefix. */
export const ORTTO_TYPE_PREFIX: Record<OrttoValueKind, string> = {
  text: 'str',
  longtext: 'txt',
  integer: 'int',
  decimal: 'int',
  boolean: 'bol',
  date: 'dtz',
  phone: 'phn',
  geo: 'geo',
  object: 'obj'
}

/** `display_type` of an attribute in an activity definition (POST /v1/definitions/activity/create). */
export const ORTTO_DISPLAY_TYPE: Record<OrttoValueKind, string> = {
  text: 'text',
  longtext: 'large_text',
  integer: 'integer',
  decimal: 'decimal',
  boolean: 'bool',
  date: 'date',
  phone: 'phone',
  geo: 'text',
  object: 'object'
}

export const ORTTO_STRING_MAX = 255
export const ORTTO_TEXT_MAX = 4000
/** Ortto stores decimals as integers multiplied by 1,000. */
export const ORTTO_DECIMAL_SCALE = 1000

const TYPED_ID = /^[a-z]{3}:[a-z]*:[a-z0-9][a-z0-9_-]*$/

/** True when `name` is already an Ortto typed id such as `str:cm:brand` or `int::v`. */
export function isOrttoFieldId(name: string): boolean {
  return TYPED_ID.test(name)
}

/** "Recurring Purchase Enabled", "recurring_purchase_enabled", "recurringPurchaseEnabled" → "recurring-purchase-enabled". */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The typed id of a field or attribute: toOrttoFieldId('draw_no', 'integer') → 'int:cm:draw-no'. */
export function toOrttoFieldId(name: string, kind: OrttoValueKind, namespace = 'cm'): string {
  if (isOrttoFieldId(name)) return name
  const slug = kebab(name)
  if (!slug)
    throw new PayloadValidationError(`${quoted(name)} cannot be an Ortto field name: it has no letters or digits.`)
  return `${ORTTO_TYPE_PREFIX[kind]}:${namespace}:${slug}`
}

/** The activity id an event name stands for: 'Product Added' → 'act:cm:product-added'; ids are kept. */
export function toOrttoActivityId(nameOrId: string): string {
  const trimmed = nameOrId.trim()
  if (/^act:[a-z]*:[a-z0-9][a-z0-9_-]*$/.test(trimmed)) return trimmed
  const slug = kebab(trimmed)
  if (!slug)
    throw new PayloadValidationError(`${quoted(nameOrId)} cannot be an Ortto activity: it has no letters or digits.`)
  return `act:cm:${slug}`
}

/** The kind a typed id's prefix implies (int → integer); used for values whose kind is not declared. */
export function kindOfFieldId(id: string): OrttoValueKind {
  const prefix = id.slice(0, 3)
  const kind = (Object.keys(ORTTO_TYPE_PREFIX) as OrttoValueKind[]).find((k) => ORTTO_TYPE_PREFIX[k] === prefix)
  return kind ?? 'text'
}

/** The kind a free-form value suggests, for custom attributes whose type nobody declared. */
export function inferKind(value: unknown): OrttoValueKind {
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal'
  if (typeof value === 'object' && value !== null) return 'object'
  if (typeof value === 'string' && value.length > ORTTO_STRING_MAX) return 'longtext'
  return 'text'
}

export type OrttoJson = string | number | boolean | null | OrttoJson[] | { [key: string]: OrttoJson }

function invalid(label: string, value: unknown, expected: string): never {
  throw new PayloadValidationError(`${label} must be ${expected}; got ${quoted(value, 40)}.`)
}

function toNumber(label: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n)) invalid(label, value, 'a number')
  return n
}

const TRUE = new Set(['true', '1', 'yes', 'y'])
const FALSE = new Set(['false', '0', 'no', 'n'])

function toDateObject(label: string, value: unknown): OrttoJson {
  const date =
    value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : NaN
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) invalid(label, value, 'a date (ISO 8601)')
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), timezone: 'UTC' }
}

/** An activity's time as Ortto takes it (ISO 8601); a time no calendar has (e.g. -1e308 ms) is the data's fault. */
export function toOrttoTime(value: string | number, label: string): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) invalid(label, value, 'a date and time (ISO 8601)')
  return date.toISOString()
}

/**
 * The value Ortto expects for a kind. `label` names the field in errors (e.g. 'int:cm:plan-amount').
 * null clears a field (Ortto's documented way); undefined never reaches here (callers drop it).
 */
export function toOrttoValue(kind: OrttoValueKind, value: unknown, label: string): OrttoJson {
  if (value === null) return null
  switch (kind) {
    case 'text':
      return (typeof value === 'object' ? JSON.stringify(value) : String(value)).slice(0, ORTTO_STRING_MAX)
    case 'longtext':
      return (typeof value === 'object' ? JSON.stringify(value) : String(value)).slice(0, ORTTO_TEXT_MAX)
    case 'integer':
      return Math.round(toNumber(label, value))
    case 'decimal':
      return Math.round(toNumber(label, value) * ORTTO_DECIMAL_SCALE)
    case 'boolean': {
      if (typeof value === 'boolean') return value
      const s = String(value).trim().toLowerCase()
      if (TRUE.has(s)) return true
      if (FALSE.has(s)) return false
      return invalid(label, value, 'true or false')
    }
    case 'date':
      return toDateObject(label, value)
    case 'phone': {
      const digits = String(value).replace(/[^\d+]/g, '')
      if (digits.replace('+', '').length < 5) invalid(label, value, 'a phone number')
      return { phone: digits.replace(/^\+/, ''), parse_with_country_code: digits.startsWith('+') }
    }
    case 'geo':
      return { name: String(value).slice(0, ORTTO_STRING_MAX) }
    case 'object':
      if (typeof value !== 'object') invalid(label, value, 'an object')
      // Ortto's object type holds a JSON object: a list travels as {items: [...]}.
      return (Array.isArray(value) ? { items: value } : value) as OrttoJson
  }
}

/** One value to send, with what it is. `namespace` '' marks a built-in field such as str::email. */
export interface TypedValue {
  name: string
  kind: OrttoValueKind
  value: unknown
  namespace?: string
}

/** Typed values → Ortto's `{id: value}` map, dropping undefined and empty strings. */
export function toOrttoFields(values: readonly TypedValue[]): Record<string, OrttoJson> {
  const out: Record<string, OrttoJson> = {}
  for (const v of values) {
    if (v.value === undefined || v.value === '') continue
    const id = toOrttoFieldId(v.name, v.kind, v.namespace ?? 'cm')
    out[id] = toOrttoValue(v.kind, v.value, id)
  }
  return out
}
