// Runs a parsed SOQL query against the store: resolves object, fields and parent paths (Account.Name) with
// Salesforce's INVALID_TYPE / INVALID_FIELD errors, type-checks literals, filters, orders, limits, and shapes
// the answer as {totalSize, done, records} with attributes on every record.
import { SfError } from './errors'
import { to15 } from './ids'
import type { SfField, SfObject } from './schema'
import { parseSoql, type Condition, type Literal } from './soql'
import type { SalesforceStore, SfRecord } from './store'
import { comparable, parseDateTime } from './values'

interface Resolved {
  /** Reference fields walked, then the final field. */
  hops: SfField[]
  field: SfField
}

export interface QueryResult {
  totalSize: number
  done: boolean
  records: SfRecord[]
}

const NUMERIC = new Set(['currency', 'double', 'int', 'percent'])
const TEXT_LIKE = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'id',
  'reference'
])

const invalidField = (name: string, obj: SfObject) =>
  new SfError(
    400,
    'INVALID_FIELD',
    `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to ` +
      `append the '__c' after the custom field name. Please reference your WSDL or the describe call for the ` +
      `appropriate names.`
  )

const filterType = (f: SfField, expected: string, quoted: boolean) =>
  new SfError(
    400,
    'INVALID_FIELD',
    `value of filter criterion for field '${f.name}' must be of type ${expected} and should ${quoted ? '' : 'not '}` +
      `be enclosed in quotes`
  )

export class QueryRunner {
  constructor(private readonly store: SalesforceStore) {}

  run(soql: string): QueryResult {
    const query = parseSoql(soql)
    const obj = this.store.schema.object(query.from)
    if (!obj || obj.kind !== 'sobject') {
      throw new SfError(
        400,
        'INVALID_TYPE',
        `sObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to ` +
          `append the '__c' after the entity name. Please reference your WSDL or the describe call for the ` +
          `appropriate names.`
      )
    }
    const select = query.fields.map((p) => ({ path: p, resolved: this.resolve(obj, p) }))
    if (query.where) this.check(obj, query.where)
    const order = query.orderBy.map((o) => ({ ...o, resolved: this.resolve(obj, o.path) }))
    let rows = this.store.rows(obj).filter((r) => !query.where || this.matches(obj, r, query.where))
    if (order.length > 0) {
      rows = [...rows].sort((a, b) => {
        for (const o of order) {
          const x = this.value(obj, a, o.resolved)
          const y = this.value(obj, b, o.resolved)
          if (x == null || y == null) {
            if (x == null && y == null) continue
            return (x == null ? -1 : 1) * (o.nullsLast ? -1 : 1)
          }
          const c = compareValues(x, y)
          if (c !== 0) return o.descending ? -c : c
        }
        return 0
      })
    }
    const offset = query.offset ?? 0
    rows = rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit)
    if (query.count) return { totalSize: rows.length, done: true, records: [] }
    return { totalSize: rows.length, done: true, records: rows.map((r) => this.shape(obj, r, select)) }
  }

  private resolve(obj: SfObject, path: string[]): Resolved {
    const hops: SfField[] = []
    let current = obj
    for (let i = 0; i < path.length - 1; i++) {
      const rel = current.relationships.get(path[i].toLowerCase())
      const target = rel && this.store.schema.object(rel.referenceTo[0])
      if (!rel || !target) throw invalidField(path.slice(0, i + 1).join('.'), current)
      hops.push(rel)
      current = target
    }
    const field = this.store.schema.field(current, path[path.length - 1])
    if (!field) throw invalidField(path.join('.'), obj)
    return { hops, field }
  }

  /** Resolve every path in a condition and type-check its literals before any row is read. */
  private check(obj: SfObject, c: Condition): void {
    switch (c.kind) {
      case 'and':
      case 'or':
        return c.parts.forEach((p) => this.check(obj, p))
      case 'not':
        return this.check(obj, c.part)
      case 'like': {
        const { field } = this.resolve(obj, c.path)
        if (!TEXT_LIKE.has(field.type)) {
          throw new SfError(400, 'INVALID_FIELD', `invalid operator on field '${field.name}': LIKE on ${field.type}`)
        }
        return
      }
      case 'compare':
        return checkLiteral(this.resolve(obj, c.path).field, c.value)
      case 'in':
        return c.values.forEach((v) => checkLiteral(this.resolve(obj, c.path).field, v))
    }
  }

  /** The parent record a reference field of `row` points to, with its object. */
  private parent(row: SfRecord | undefined, hop: SfField): { obj: SfObject; row: SfRecord } | undefined {
    const id: unknown = row?.[hop.name]
    const obj = typeof id === 'string' ? this.store.schema.objectOfId(to15(id) ?? '') : undefined
    const parentRow = obj ? safeGet(this.store, obj, id) : undefined
    return obj && parentRow ? { obj, row: parentRow } : undefined
  }

  /** The value at a path for a stored row (undefined parents give null). */
  private value(obj: SfObject, row: SfRecord, r: Resolved): unknown {
    let current = { obj, row }
    for (const hop of r.hops) {
      const next = this.parent(current.row, hop)
      if (!next) return null
      current = next
    }
    const field = this.store.schema.field(current.obj, r.field.name)
    return field ? this.store.valueOf(current.row, field) : null
  }

  private matches(obj: SfObject, row: SfRecord, c: Condition): boolean {
    switch (c.kind) {
      case 'and':
        return c.parts.every((p) => this.matches(obj, row, p))
      case 'or':
        return c.parts.some((p) => this.matches(obj, row, p))
      case 'not':
        return !this.matches(obj, row, c.part)
      case 'like': {
        const v = this.value(obj, row, this.resolve(obj, c.path))
        const hit = v !== null && v !== undefined && c.pattern.test(String(v))
        return c.negate ? !hit : hit
      }
      case 'in': {
        const r = this.resolve(obj, c.path)
        const v = this.value(obj, row, r)
        const hit = c.values.some((lit) => compare(r.field, v, lit) === 0)
        return c.negate ? !hit : hit
      }
      case 'compare': {
        const r = this.resolve(obj, c.path)
        const v = this.value(obj, row, r)
        if (c.value.type === 'null') return c.op === '=' ? v == null : c.op === '!=' ? v != null : false
        const cmp = compare(r.field, v, c.value)
        if (cmp === undefined) return c.op === '!='
        return { '=': cmp === 0, '!=': cmp !== 0, '<': cmp < 0, '<=': cmp <= 0, '>': cmp > 0, '>=': cmp >= 0 }[c.op]
      }
    }
  }

  private shape(obj: SfObject, row: SfRecord, select: Array<{ path: string[]; resolved: Resolved }>): SfRecord {
    const out = this.store.toApi(obj, row, [])
    for (const { resolved } of select) {
      // Parent fields nest: {Account: {attributes, Name}}; a missing parent is null.
      let target = out
      let current: { obj: SfObject; row: SfRecord } | undefined = { obj, row }
      for (const hop of resolved.hops) {
        current = this.parent(current.row, hop)
        const key = hop.relationshipName!
        if (!current) {
          target[key] = target[key] ?? null
          break
        }
        if (!target[key]) target[key] = this.store.toApi(current.obj, current.row, [])
        target = target[key] as SfRecord
      }
      if (current) target[resolved.field.name] = this.value(obj, row, resolved)
    }
    return out
  }
}

function safeGet(store: SalesforceStore, obj: SfObject, id: unknown): SfRecord | undefined {
  try {
    return store.get(obj.name, id)
  } catch {
    return undefined
  }
}

function checkLiteral(f: SfField, lit: Literal): void {
  if (lit.type === 'null') return
  if (NUMERIC.has(f.type) && lit.type !== 'number') throw filterType(f, 'number', false)
  if (f.type === 'boolean' && lit.type !== 'boolean') throw filterType(f, 'boolean', false)
  if (f.type === 'date' && lit.type !== 'date') throw filterType(f, 'date', false)
  if (f.type === 'datetime' && lit.type !== 'datetime' && lit.type !== 'date') throw filterType(f, 'datetime', false)
  if (TEXT_LIKE.has(f.type) && lit.type !== 'string') throw filterType(f, 'string', true)
  if ((f.type === 'id' || f.type === 'reference') && lit.type === 'string' && !to15(lit.value)) {
    throw new SfError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${lit.value}`)
  }
}

/** -1/0/1 comparing a field value with a literal; undefined when the value is null. */
function compare(f: SfField, value: unknown, lit: Literal): number | undefined {
  if (value === null || value === undefined || lit.type === 'null') return undefined
  let a: unknown = value
  let b: unknown
  switch (lit.type) {
    case 'datetime':
      a = parseDateTime(String(value))
      b = lit.value
      break
    case 'date':
      a = f.type === 'datetime' ? String(value).slice(0, 10) : value
      b = lit.value
      break
    case 'string':
      a = comparable(f, value)
      b = comparable(f, lit.value)
      break
    default:
      b = lit.value
  }
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1
}

function compareValues(a: unknown, b: unknown): number {
  const x = typeof a === 'string' ? a.toLowerCase() : a
  const y = typeof b === 'string' ? b.toLowerCase() : b
  return x === y ? 0 : (x as number) < (y as number) ? -1 : 1
}
