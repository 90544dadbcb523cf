// Ortto's CDP, in memory: people (found by merge keys), the activities recorded against them, and custom
// activity definitions. Merge follows merge_strategy (1 append only, 2 overwrite, 3 ignore existing) and
// find_strategy (0 any key in order, 1 only the first key given, 2 all keys given must match one person).
import type { Clock } from '../clock'
import { DISPLAY_TYPE_PREFIX, OrttoInputError, checkFieldId, kebab } from './fields'

export interface OrttoPerson {
  id: string
  fields: Record<string, unknown>
  created: string
  updated: string
}

export interface OrttoActivityRecord {
  /** Ortto's id for this activity event. */
  id: string
  activityId: string
  personId: string
  attributes: Record<string, unknown>
  /** When it happened (`created` of the request, else when received). */
  created: string
  key?: string
  location?: unknown
}

export interface OrttoActivityDefinition {
  activity_field_id: string
  name: string
  icon_id?: string
  track_conversion_value?: boolean
  touch?: boolean
  filterable?: boolean
  visible_in_feeds?: boolean
  display_style?: unknown
  attributes: Array<{ name: string; display_type: string; field_id: string }>
}

export type MergeStrategy = 1 | 2 | 3
export type FindStrategy = 0 | 1 | 2

const hexId = (prefix: string, n: number) => prefix + n.toString(16).padStart(24 - prefix.length, '0')

const present = (v: unknown) => v !== undefined && v !== null && v !== ''

export class OrttoStore {
  private people = new Map<string, OrttoPerson>()
  private activities: OrttoActivityRecord[] = []
  private definitions = new Map<string, OrttoActivityDefinition>()
  private personCounter = 0
  private activityCounter = 0

  constructor(private readonly clock: Clock) {}

  reset(): void {
    this.people.clear()
    this.activities = []
    this.definitions.clear()
    this.personCounter = 0
    this.activityCounter = 0
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString()
  }

  find(fields: Record<string, unknown>, mergeBy: string[], findStrategy: FindStrategy): OrttoPerson | undefined {
    if (mergeBy.length === 1 && mergeBy[0] === 'person_id') return this.people.get(String(fields.person_id))
    const given = mergeBy.filter((k) => present(fields[k]))
    const matching = (key: string) =>
      [...this.people.values()].filter((p) => present(p.fields[key]) && same(key, p.fields[key], fields[key]))
    if (findStrategy === 2) {
      const candidates = given.map((k) => new Set(matching(k)))
      return candidates[0] && [...candidates[0]].find((p) => candidates.every((set) => set.has(p)))
    }
    const keys = findStrategy === 1 ? given.slice(0, 1) : given
    for (const key of keys) {
      const hit = matching(key)[0]
      if (hit) return hit
    }
    return undefined
  }

  /** Create or update one person; answers the person and whether it was created. */
  merge(
    fields: Record<string, unknown>,
    mergeBy: string[],
    mergeStrategy: MergeStrategy,
    findStrategy: FindStrategy
  ): { person: OrttoPerson; created: boolean } {
    if (!mergeBy.some((k) => present(fields[k]))) {
      throw new OrttoInputError(`the person has no value for any merge_by field (${mergeBy.join(', ')})`)
    }
    const { person_id: _personId, ...values } = fields
    const existing = this.find(fields, mergeBy, findStrategy)
    const now = this.now()
    if (!existing) {
      if (mergeBy[0] === 'person_id')
        throw new OrttoInputError(`no person with person_id ${String(fields.person_id)}`, 404)
      const person: OrttoPerson = {
        id: hexId('006', ++this.personCounter),
        fields: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)),
        created: now,
        updated: now
      }
      this.people.set(person.id, person)
      return { person, created: true }
    }
    if (mergeStrategy !== 3) {
      for (const [k, v] of Object.entries(values)) {
        if (mergeStrategy === 1 && present(existing.fields[k])) continue
        if (v === null) delete existing.fields[k]
        else existing.fields[k] = v
      }
      existing.updated = now
    }
    return { person: existing, created: false }
  }

  /** Record an activity; a repeated `key` for the same activity and person is the same event (no second record). */
  addActivity(a: Omit<OrttoActivityRecord, 'id' | 'created'> & { created?: string }): OrttoActivityRecord {
    if (a.key) {
      const dupe = this.activities.find(
        (x) => x.key === a.key && x.activityId === a.activityId && x.personId === a.personId
      )
      if (dupe) return dupe
    }
    const record: OrttoActivityRecord = {
      ...a,
      id: hexId('006a', ++this.activityCounter),
      created: a.created ?? this.now()
    }
    this.activities.push(record)
    return record
  }

  definition(activityId: string): OrttoActivityDefinition | undefined {
    return this.definitions.get(activityId)
  }

  /** Store a definition from the definitions API body; `replace` for modify (must exist), else create (must not). */
  define(body: Record<string, unknown>, replace: boolean): OrttoActivityDefinition {
    const name = typeof body.name === 'string' ? body.name.trim() : ''
    const byId = typeof body.activity_field_id === 'string' ? body.activity_field_id : undefined
    if (!name && !byId) throw new OrttoInputError('name is required')
    const id = byId ?? `act:cm:${kebab(name)}`
    if (!replace && this.definitions.has(id)) throw new OrttoInputError(`activity ${id} already exists`, 409)
    const previous = this.definitions.get(id)
    if (replace && !previous) throw new OrttoInputError(`activity ${id} does not exist`, 404)
    const attributes = (Array.isArray(body.attributes) ? body.attributes : []).map((raw, i) => {
      const attr = (raw ?? {}) as Record<string, unknown>
      const display = String(attr.display_type ?? 'text')
      const prefix = DISPLAY_TYPE_PREFIX[display]
      if (typeof attr.name !== 'string' || !attr.name || !prefix) {
        throw new OrttoInputError(`attributes[${i}] needs a name and a known display_type (got ${display})`)
      }
      const fieldId = typeof attr.field_id === 'string' ? attr.field_id : `${prefix}:cm:${kebab(attr.name)}`
      checkFieldId(fieldId, `attributes[${i}]`)
      return { name: attr.name, display_type: display, field_id: fieldId }
    })
    const definition: OrttoActivityDefinition = {
      ...(previous ?? {}),
      ...(body as Partial<OrttoActivityDefinition>),
      activity_field_id: id,
      name: name || previous!.name,
      attributes
    }
    this.definitions.set(id, definition)
    return definition
  }

  /** People with the requested fields (all when `fields` is empty), for person/get. */
  list(): OrttoPerson[] {
    return [...this.people.values()]
  }

  dump() {
    return {
      people: this.list().map((p) => ({ ...p, fields: { ...p.fields } })),
      activities: this.activities.map((a) => ({ ...a, attributes: { ...a.attributes } })),
      definitions: [...this.definitions.values()].map((d) => ({
        ...d,
        attributes: d.attributes.map((x) => ({ ...x }))
      }))
    }
  }
}

/** Equality of person field values: emails and other strings case-insensitive. */
function same(key: string, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string')
    return key.startsWith('str') ? a.toLowerCase() === b.toLowerCase() : a === b
  return JSON.stringify(a) === JSON.stringify(b)
}
