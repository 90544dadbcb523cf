// The org's data, in memory: records per object, unique indexes, and an undo journal so that composite,
// graph and collection calls with allOrNone roll back completely. Every rule a real org enforces on DML that our
// destinations can trip over lives here: unknown/read-only fields, types, required fields, references, unique
// and external-id values, campaign membership, the duplicate rule, and the household/individual Account link.
import type { Clock } from '../clock'
import { SfError, notFound } from './errors'
import { IdFactory, to15, to18 } from './ids'
import type { Schema, SfField, SfObject } from './schema'
import { CLOSED_STAGES, WON_STAGES } from './standard'
import { coerce, comparable, formatDateTime } from './values'

export type SfRecord = Record<string, unknown>

/** How a Contact without an Account gets one (NPSP household accounts, one-to-one "individual" accounts, or not). */
export type AccountModel = 'household' | 'individual' | 'none'

export interface StoreOptions {
  clock: Clock
  accountModel: AccountModel
  duplicateRuleOnEmail: boolean
  apiVersion: string
}

export interface PublishedEvent {
  id: string
  type: string
  fields: SfRecord
  publishedAt: string
}

export interface FlowInvocation {
  flow: string
  inputs: Record<string, unknown>
  invokedAt: string
}

interface Row {
  id15: string
  values: SfRecord
  modifiedMs: number
}

type Undo = () => void

interface Table {
  rows: Map<string, Row>
  /** field (lower case) → comparable value → ids. */
  indexes: Map<string, Map<unknown, Set<string>>>
}

const indexed = (f: SfField) => f.externalId || f.unique || f.type === 'email'

export class SalesforceStore {
  readonly ids = new IdFactory()
  private tables = new Map<string, Table>()
  private journal: Undo[] | undefined
  private events: PublishedEvent[] = []
  private flowRuns: FlowInvocation[] = []
  /** The integration user that owns records by default. */
  integrationUserId = ''

  constructor(
    readonly schema: Schema,
    private readonly options: StoreOptions
  ) {
    this.reset()
  }

  reset(): void {
    this.ids.reset()
    this.tables.clear()
    this.events = []
    this.flowRuns = []
    this.journal = undefined
    this.integrationUserId = ''
    const user = this.create('User', {
      Username: 'integration@jlp-sandbox.example',
      FirstName: 'JLP',
      LastName: 'Integration',
      Email: 'integration@jlp-sandbox.example'
    })
    this.integrationUserId = user.Id as string
  }

  // ---- transactions -------------------------------------------------------------------------------------------

  /** Run `fn`; when it throws, every change it made is undone and the error rethrown. */
  atomic<T>(fn: () => T): T {
    const tx = this.begin()
    try {
      const result = fn()
      tx.commit()
      return result
    } catch (err) {
      tx.rollback()
      throw err
    }
  }

  /** Open a transaction; rollback() undoes every change since, commit() keeps them (for an outer transaction). */
  begin(): { commit(): void; rollback(): void } {
    const outer = this.journal
    const journal: Undo[] = []
    this.journal = journal
    let open = true
    const close = () => {
      if (!open) throw new Error('transaction already closed')
      open = false
      this.journal = outer
    }
    return {
      commit: () => {
        close()
        outer?.push(...journal)
      },
      rollback: () => {
        close()
        for (let i = journal.length - 1; i >= 0; i--) journal[i]()
      }
    }
  }

  private record(undo: Undo): void {
    this.journal?.push(undo)
  }

  // ---- reading ------------------------------------------------------------------------------------------------

  object(name: string): SfObject {
    const obj = this.schema.object(name)
    if (!obj || obj.kind !== 'sobject') {
      throw new SfError(404, 'NOT_FOUND', `The requested resource does not exist`)
    }
    return obj
  }

  private table(obj: SfObject): Table {
    let table = this.tables.get(obj.name)
    if (!table) {
      table = { rows: new Map(), indexes: new Map() }
      this.tables.set(obj.name, table)
    }
    return table
  }

  private row(obj: SfObject, id: unknown): Row | undefined {
    const id15 = to15(id)
    return id15 ? this.table(obj).rows.get(id15) : undefined
  }

  /** Raw rows of an object (stored values; computed fields are read through valueOf). */
  rows(obj: SfObject): SfRecord[] {
    return [...this.table(obj).rows.values()].map((r) => r.values)
  }

  /** A field's value on a stored record, computing formula/rollup fields. */
  valueOf(values: SfRecord, f: SfField): unknown {
    switch (f.computed) {
      case 'fullName':
        return [values.FirstName, values.LastName].filter((v) => v).join(' ') || null
      case 'stageClosed':
        return CLOSED_STAGES.has(values.StageName as string)
      case 'stageWon':
        return WON_STAGES.has(values.StageName as string)
      case 'taskClosed':
        return values.Status === 'Completed'
      case 'rollupSum':
        return this.rollup(values, f)
      default:
        return values[f.name] ?? (f.type === 'boolean' ? false : null)
    }
  }

  private rollup(values: SfRecord, f: SfField): number {
    const r = f.rollup!
    const child = this.schema.object(r.object)
    const via = child && this.schema.field(child, r.via)
    const summed = child && this.schema.field(child, r.field)
    if (!child || !via || !summed) return 0
    const me = to15(values.Id)
    let total = 0
    for (const row of this.table(child).rows.values()) {
      if (to15(row.values[via.name]) !== me) continue
      const matches = Object.entries(r.where ?? {}).every(([k, v]) => row.values[k] === v)
      if (matches && typeof row.values[summed.name] === 'number') total += row.values[summed.name] as number
    }
    return Math.round(total * 100) / 100
  }

  /** The record as the REST API returns it: attributes, then every field (or only `fields`). */
  toApi(obj: SfObject, values: SfRecord, fields?: SfField[]): SfRecord {
    const out: SfRecord = {
      attributes: { type: obj.name, url: `/services/data/${this.options.apiVersion}/sobjects/${obj.name}/${values.Id}` }
    }
    for (const f of fields ?? obj.fields.values()) out[f.name] = this.valueOf(values, f)
    return out
  }

  get(objName: string, id: unknown): SfRecord {
    const obj = this.object(objName)
    const row = this.row(obj, id)
    if (!row) throw notFound()
    return row.values
  }

  /** Records whose external-id (or Id) field equals `value`. */
  findBy(obj: SfObject, field: SfField, value: unknown): SfRecord[] {
    if (field.type === 'id') {
      const row = this.row(obj, value)
      return row ? [row.values] : []
    }
    const key = comparable(field, value)
    const table = this.table(obj)
    const index = table.indexes.get(field.name.toLowerCase())
    if (index) return [...(index.get(key) ?? [])].map((id) => table.rows.get(id)!.values)
    return [...table.rows.values()].filter((r) => comparable(field, r.values[field.name]) === key).map((r) => r.values)
  }

  publishedEvents(): PublishedEvent[] {
    return this.events.map((e) => ({ ...e, fields: { ...e.fields } }))
  }

  flowInvocations(): FlowInvocation[] {
    return this.flowRuns.map((f) => ({ ...f, inputs: { ...f.inputs } }))
  }

  /** All records by object name (computed fields included), objects without records left out. */
  dump(objName?: string): Record<string, SfRecord[]> {
    const out: Record<string, SfRecord[]> = {}
    for (const obj of this.schema.objects.values()) {
      if (obj.kind !== 'sobject' || (objName && obj.name.toLowerCase() !== objName.toLowerCase())) continue
      const rows = this.rows(obj)
      if (rows.length > 0 || objName) {
        out[obj.name] = rows.map((values) => {
          const { attributes: _attributes, ...fields } = this.toApi(obj, values)
          return fields
        })
      }
    }
    return out
  }

  // ---- writing ------------------------------------------------------------------------------------------------

  /** Resolve and coerce body fields; `mode` decides which fields may be written. */
  private prepare(obj: SfObject, body: SfRecord, mode: 'create' | 'update', current?: SfRecord): Map<SfField, unknown> {
    const out = new Map<SfField, unknown>()
    for (const [key, value] of Object.entries(body)) {
      if (key === 'attributes') continue
      const f = this.schema.field(obj, key)
      if (!f) {
        throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [])
      }
      const unchanged =
        current !== undefined && f.createable && comparable(f, coerce(f, value)) === comparable(f, current[f.name])
      if (mode === 'create' ? !f.createable : !f.updateable && !unchanged) {
        throw new SfError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify ` +
            `that it is read/write for your profile or permission set.`,
          [f.name]
        )
      }
      out.set(f, coerce(f, value))
    }
    return out
  }

  private checkReferences(obj: SfObject, values: Map<SfField, unknown>): void {
    for (const [f, value] of values) {
      if (f.type !== 'reference' || value === null) continue
      const id15 = to15(value)!
      const target = this.schema.objectOfId(id15)
      const allowed = target && f.referenceTo.some((t) => t.toLowerCase() === target.name.toLowerCase())
      if (!target || !allowed) {
        throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [
          f.name
        ])
      }
      if (!this.table(target).rows.has(id15)) {
        throw new SfError(
          400,
          'INVALID_CROSS_REFERENCE_KEY',
          `${f.label}: invalid cross reference id (${obj.name}.${f.name} = ${value})`,
          [f.name]
        )
      }
    }
  }

  private checkRequired(obj: SfObject, values: SfRecord): void {
    const missing = [...obj.fields.values()].filter((f) => f.required && values[f.name] == null).map((f) => f.name)
    if (missing.length > 0) {
      throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)
    }
    for (const group of obj.requireOneOf) {
      if (!group.some((name) => values[name] != null)) {
        throw new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${group.join(', ')}]`, group)
      }
    }
  }

  private checkUnique(obj: SfObject, values: SfRecord, selfId?: string): void {
    const table = this.table(obj)
    for (const f of obj.fields.values()) {
      if (!f.unique || values[f.name] == null) continue
      const other = [...(table.indexes.get(f.name.toLowerCase())?.get(comparable(f, values[f.name])) ?? [])].find(
        (id) => id !== selfId
      )
      if (other) {
        throw new SfError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${to18(other)}`,
          []
        )
      }
    }
    for (const rule of obj.uniqueTogether) {
      if (rule.fields.some((name) => values[name] == null)) continue
      for (const row of table.rows.values()) {
        if (row.id15 === selfId) continue
        const same = rule.fields.every((name) => {
          const f = this.schema.field(obj, name)
          return comparable(f, row.values[name]) === comparable(f, values[name])
        })
        if (same) throw new SfError(400, 'DUPLICATE_VALUE', rule.message, [])
      }
    }
    if (this.options.duplicateRuleOnEmail && ['Lead', 'Contact'].includes(obj.name) && values.Email != null) {
      const email = this.schema.field(obj, 'Email')!
      const dupe = [...(table.indexes.get('email')?.get(comparable(email, values.Email)) ?? [])].find(
        (id) => id !== selfId
      )
      if (dupe) {
        throw new SfError(
          400,
          'DUPLICATES_DETECTED',
          'Use one of these records?',
          [],
          [
            {
              message: 'Use one of these records?',
              errorCode: 'DUPLICATES_DETECTED',
              fields: [],
              duplicateResult: {
                allowSave: false,
                duplicateRule: `Standard_${obj.name}_Duplicate_Rule`,
                matchResults: [{ entityType: obj.name, matchRecords: [{ record: { Id: to18(dupe) } }] }]
              }
            }
          ]
        )
      }
    }
  }

  private put(obj: SfObject, row: Row): void {
    const table = this.table(obj)
    const previous = table.rows.get(row.id15)
    if (previous) this.unindex(obj, table, previous)
    table.rows.set(row.id15, row)
    this.index(obj, table, row)
    this.record(() => {
      this.unindex(obj, table, row)
      if (previous) {
        table.rows.set(row.id15, previous)
        this.index(obj, table, previous)
      } else {
        table.rows.delete(row.id15)
      }
    })
  }

  private remove(obj: SfObject, row: Row): void {
    const table = this.table(obj)
    table.rows.delete(row.id15)
    this.unindex(obj, table, row)
    this.record(() => {
      table.rows.set(row.id15, row)
      this.index(obj, table, row)
    })
  }

  private index(obj: SfObject, table: Table, row: Row): void {
    for (const f of obj.fields.values()) {
      if (!indexed(f) || row.values[f.name] == null) continue
      const key = f.name.toLowerCase()
      if (!table.indexes.has(key)) table.indexes.set(key, new Map())
      const byValue = table.indexes.get(key)!
      const value = comparable(f, row.values[f.name])
      if (!byValue.has(value)) byValue.set(value, new Set())
      byValue.get(value)!.add(row.id15)
    }
  }

  private unindex(obj: SfObject, table: Table, row: Row): void {
    for (const f of obj.fields.values()) {
      if (!indexed(f) || row.values[f.name] == null) continue
      table.indexes.get(f.name.toLowerCase())?.get(comparable(f, row.values[f.name]))?.delete(row.id15)
    }
  }

  private now(): { ms: number; stamp: string } {
    const ms = this.options.clock.now()
    return { ms, stamp: formatDateTime(ms) }
  }

  create(objName: string, body: SfRecord): SfRecord {
    const obj = this.object(objName)
    if (!obj.createable) throw new SfError(400, 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', `${obj.name}: not createable`)
    return this.atomic(() => {
      const prepared = this.prepare(obj, body, 'create')
      const values: SfRecord = {}
      for (const f of obj.fields.values()) {
        if (f.defaultValue !== undefined && f.createable) values[f.name] = f.defaultValue
      }
      for (const [f, v] of prepared) values[f.name] = v
      if (obj.fields.has('ownerid') && values.OwnerId == null && this.integrationUserId) {
        values.OwnerId = this.integrationUserId
      }
      this.checkRequired(obj, values)
      this.checkReferences(obj, prepared)
      this.linkAccount(obj, values)
      const id = this.ids.next(obj.keyPrefix)
      const { ms, stamp } = this.now()
      Object.assign(values, {
        Id: id,
        IsDeleted: false,
        CreatedDate: stamp,
        CreatedById: this.integrationUserId || id,
        LastModifiedDate: stamp,
        LastModifiedById: this.integrationUserId || id,
        SystemModstamp: stamp
      })
      const row: Row = { id15: to15(id)!, values, modifiedMs: ms }
      this.checkUnique(obj, values)
      this.put(obj, row)
      return values
    })
  }

  /** NPSP-style: a Contact created without an Account gets its own household (or individual) Account. */
  private linkAccount(obj: SfObject, values: SfRecord): void {
    if (obj.name !== 'Contact' || values.AccountId != null || this.options.accountModel === 'none') return
    const name =
      this.options.accountModel === 'household'
        ? `${values.LastName} Household`
        : [values.FirstName, values.LastName].filter((v) => v).join(' ')
    const account = this.create('Account', {
      Name: name,
      Type: this.options.accountModel === 'household' ? 'Household' : 'Other'
    })
    values.AccountId = account.Id
  }

  update(objName: string, id: unknown, body: SfRecord, opts: { ifUnmodifiedSince?: number } = {}): SfRecord {
    const obj = this.object(objName)
    const row = this.row(obj, id)
    if (!row) throw notFound()
    if (
      opts.ifUnmodifiedSince !== undefined &&
      Math.floor(row.modifiedMs / 1000) > Math.floor(opts.ifUnmodifiedSince / 1000)
    ) {
      throw new SfError(
        412,
        'PRECONDITION_FAILED',
        'The requested resource has been modified since the If-Unmodified-Since date.'
      )
    }
    return this.atomic(() => {
      const prepared = this.prepare(obj, body, 'update', row.values)
      const values: SfRecord = { ...row.values }
      for (const [f, v] of prepared) values[f.name] = v
      this.checkRequired(obj, values)
      this.checkReferences(obj, prepared)
      this.checkUnique(obj, values, row.id15)
      const { ms, stamp } = this.now()
      Object.assign(values, { LastModifiedDate: stamp, SystemModstamp: stamp })
      this.put(obj, { id15: row.id15, values, modifiedMs: ms })
      return values
    })
  }

  /** Upsert by an external-id field (or Id): create when nothing matches, update the one match, 300 when several. */
  upsert(objName: string, fieldName: string, value: string, body: SfRecord): { record: SfRecord; created: boolean } {
    const obj = this.object(objName)
    const field = this.schema.field(obj, fieldName)
    if (!field || !field.idLookup) {
      throw new SfError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${fieldName}`
      )
    }
    const inBody = Object.keys(body).find((k) => k.toLowerCase() === field.name.toLowerCase())
    if (inBody && comparable(field, body[inBody]) !== comparable(field, value)) {
      throw new SfError(
        400,
        'INVALID_FIELD',
        `The value of ${field.name} in the request body does not match the value in the URL: ${value}`,
        [field.name]
      )
    }
    const matches = this.findBy(obj, field, value)
    if (matches.length > 1) {
      const urls = matches.map((m) => `/services/data/${this.options.apiVersion}/sobjects/${obj.name}/${m.Id}`)
      throw new SfError(300, 'MULTIPLE_CHOICES', `Multiple records match ${field.name} = ${value}`, [], urls)
    }
    const { [inBody ?? '']: _ignored, ...rest } = body
    if (matches.length === 1) return { record: this.update(obj.name, matches[0].Id, rest), created: false }
    if (field.type === 'id') throw notFound()
    return { record: this.create(obj.name, { ...rest, [field.name]: value }), created: true }
  }

  delete(objName: string, id: unknown): void {
    const obj = this.object(objName)
    const row = this.row(obj, id)
    if (!row) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted')
    this.remove(obj, row)
  }

  /** Publish a platform event (validated like a record create). */
  publish(eventName: string, body: SfRecord): PublishedEvent {
    const obj = this.schema.object(eventName)
    if (!obj || obj.kind !== 'platformEvent') throw notFound()
    const prepared = this.prepare(obj, body, 'create')
    const fields: SfRecord = {}
    for (const [f, v] of prepared) fields[f.name] = v
    this.checkRequired(obj, fields)
    const event: PublishedEvent = {
      id: this.ids.next(obj.keyPrefix),
      type: obj.name,
      fields,
      publishedAt: this.now().stamp
    }
    this.events.push(event)
    this.record(() => this.events.pop())
    return event
  }

  recordFlowRun(flow: string, inputs: Record<string, unknown>): void {
    this.flowRuns.push({ flow, inputs, invokedAt: this.now().stamp })
    this.record(() => this.flowRuns.pop())
  }
}
