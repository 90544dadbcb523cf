// Ortto's typed ids (`<type>:<namespace>:<name>`, e.g. str::email, int:cm:draw-no, act:cm:product-added) and
// the values each type takes. A malformed id or a value of the wrong type is a 400 that names the field.
export const ORTTO_LIMITS = {
  itemsPerRequest: 100,
  requestBytes: 2 * 1024 * 1024,
  activityBytes: 16 * 1024,
  attributesPerActivity: 15,
  mergeKeys: 3,
  stringLength: 255,
  textLength: 4000
} as const

export const FIELD_TYPES = [
  'str',
  'txt',
  'int',
  'dbl',
  'bol',
  'dtz',
  'dat',
  'phn',
  'geo',
  'obj',
  'arr',
  'sst',
  'mst'
] as const

const FIELD_ID = new RegExp(`^(${FIELD_TYPES.join('|')}):([a-z]*):([a-z0-9][a-z0-9_-]*)$`)
const ACTIVITY_ID = /^act:([a-z]*):([a-z0-9][a-z0-9_-]*)$/

export class OrttoInputError extends Error {
  constructor(
    message: string,
    readonly status = 400
  ) {
    super(message)
  }
}

export const isActivityId = (id: unknown): id is string => typeof id === 'string' && ACTIVITY_ID.test(id)

/** Throws unless `id` is a typed field id ('person_id' is accepted where people are merged by id). */
export function checkFieldId(id: string, where: string): void {
  if (!FIELD_ID.test(id)) {
    throw new OrttoInputError(
      `invalid field id "${id}" in ${where}: field ids are <type>:<namespace>:<name>, e.g. str::email or int:cm:draw-no`
    )
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function valueProblem(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'str':
    case 'sst':
      if (typeof value !== 'string') return 'a string'
      return value.length > ORTTO_LIMITS.stringLength ? `at most ${ORTTO_LIMITS.stringLength} characters` : undefined
    case 'txt':
      if (typeof value !== 'string') return 'a string'
      return value.length > ORTTO_LIMITS.textLength ? `at most ${ORTTO_LIMITS.textLength} characters` : undefined
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'an integer'
    case 'dbl':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number'
    case 'bol':
      return typeof value === 'boolean' ? undefined : 'true or false'
    case 'dtz':
    case 'dat':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return undefined
      return isObj(value) && ['year', 'month', 'day'].every((k) => typeof value[k] === 'number')
        ? undefined
        : 'a date ({year, month, day, timezone} or ISO 8601)'
    case 'phn':
      return isObj(value) && (typeof value.n === 'string' || typeof value.phone === 'string')
        ? undefined
        : 'a phone object ({c, n} or {phone, parse_with_country_code})'
    case 'geo':
      return typeof value === 'string' || (isObj(value) && typeof value.name === 'string')
        ? undefined
        : 'a place ({name})'
    case 'mst':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : 'a list of strings'
    default:
      return undefined
  }
}

/** Check every id and value of a fields/attributes object; `where` names it in errors (e.g. "people[2].fields"). */
export function checkFields(fields: unknown, where: string): Record<string, unknown> {
  if (fields === undefined || fields === null) return {}
  if (!isObj(fields)) throw new OrttoInputError(`${where} must be an object`)
  for (const [id, value] of Object.entries(fields)) {
    if (id === 'person_id') continue
    checkFieldId(id, where)
    if (value === null) continue
    const problem = valueProblem(id.slice(0, 3), value)
    if (problem) throw new OrttoInputError(`invalid value for field ${id} in ${where}: expected ${problem}`)
  }
  return fields
}

/** "Product Added" → "product-added" (how Ortto derives ids from names). */
export const kebab = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')

/** Field type prefix for an activity-definition display type. */
export const DISPLAY_TYPE_PREFIX: Record<string, string> = {
  text: 'str',
  large_text: 'txt',
  integer: 'int',
  decimal: 'int',
  currency: 'int',
  bool: 'bol',
  boolean: 'bol',
  date: 'dtz',
  time: 'dtz',
  phone: 'phn',
  geo: 'geo',
  object: 'obj',
  single_select: 'sst',
  multi_select: 'mst',
  email: 'str',
  link: 'str'
}
