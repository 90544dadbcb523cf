// Property-based fuzzing of events and mappings through the destinations' presets. Cases start from realistic
// events (the tracking plan's samples and generator) and apply hostile mutations: wrong types, missing ids, huge
// strings, unicode, SOQL metacharacters and prototype-pollution keys. Each case runs through Destination.onEvent
// (or onBatch) exactly as Segment would; checks on the outcome live in ./checks.
import fc from 'fast-check'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { matchingPresets, type PresetSubscription, type Target } from '@jlp/runner'
import { generateEvents, listSamples } from '@jlp/tracking-plan'

/** Strings that break naive SOQL building (payloads carry the marker "zq", see checks.ts), and some that break
 * naive JSON or URL handling. */
export const SOQL_METACHARACTERS = [
  "O'Brienzq",
  "o'brien+zq@example.org",
  '\\',
  "\\'",
  "\\\\'",
  "zq' OR Name != 'zq",
  "zq' OR Email LIKE '%",
  "%' OR Id != null OR Email = 'zq",
  'a%b_czq',
  '"quoted" \\"zq',
  "zq'); DELETE FROM Contact --",
  '\n\r\t\b\f',
  '\\u0027zq',
  '\u2019 curly',
  "abczq\\' OR 'zq1'='zq1",
  'tailzq\\',
  '&q=SELECT Id FROM User WHERE Name = zq',
  '../../sobjects/User',
  '#fragment?x=zq'
] as const

/** Keys that pollute a naive merge. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const

/** Where an event carries the ids and keys the destinations rely on. */
export const ID_PATHS = [
  'userId',
  'anonymousId',
  'messageId',
  'timestamp',
  'traits.email',
  'context.traits.email',
  'context.traits.supporter_id',
  'properties.email',
  'properties.order_id',
  'properties.draw_id',
  'properties.tickets',
  'properties.subscription_id',
  'properties.amount',
  'properties.value'
] as const

const unicodeStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'nul\u0000inside',
    '\ud800',
    'lone \udfff surrogate',
    '\u202eevil\u202c',
    'e\u0301',
    '👩‍👩‍👧‍👦',
    '\ufeffbom',
    'İstanbul ß ﬀ',
    'زكاة',
    '日本語のメール@例え.jp'
  )
)

const metaStrings = fc.oneof(
  fc.constantFrom(...SOQL_METACHARACTERS),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...SOQL_METACHARACTERS), fc.string({ maxLength: 8 }))
    .map((parts) => parts.join(''))
)

const hugeStrings = fc
  .tuple(fc.integer({ min: 5_000, max: 300_000 }), fc.constantFrom('a', "'", '\\', 'é', '😀', 'x@'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)))

const wrongTypes: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, -0, 1e308, -1e308, 2 ** 53 + 1),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.constant('   '),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  // Keys starting with @ would be mapping directives, which Segment validates when a mapping is saved.
  fc.dictionary(
    fc.string({ maxLength: 6 }).filter((k) => !k.startsWith('@')),
    fc.string({ maxLength: 6 }),
    { maxKeys: 3 }
  ),
  fc.constantFrom('not-a-date', '2026-13-45T25:61:00Z', 'NaN', 'Infinity', '1e999', '-5', 'true')
)

/** Any hostile value, weighted so each family shows up often. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: metaStrings },
  { weight: 3, arbitrary: wrongTypes },
  { weight: 2, arbitrary: unicodeStrings },
  { weight: 1, arbitrary: hugeStrings }
)

export type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'pollute'; at: number; key: (typeof POLLUTION_KEYS)[number] }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('pollute' as const),
      at: fc.nat(),
      key: fc.constantFrom(...POLLUTION_KEYS)
    })
  }
)

type Json = Record<string, unknown>

/** Objects Segment always delivers as objects (its spec; the pipeline fills `context`). actions-core 3.170.0 itself
 * crashes on anything else (audience-membership.js destructures `context.personas` with defaults that only cover
 * undefined: `context: null` is a TypeError before any destination code runs), so a case may delete them or change
 * what is inside, never replace them with a non-object. */
export const ALWAYS_OBJECTS: readonly string[] = ['context', 'context.personas']

const isPlainObject = (v: unknown) => Boolean(v) && typeof v === 'object' && !Array.isArray(v)

/** Every path in a JSON value (objects and leaves), plus the id paths even when absent. */
export function pathsOf(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object') return []
  const out: string[] = []
  for (const [k, v] of Object.entries(value as Json)) {
    const path = prefix ? `${prefix}.${k}` : k
    out.push(path, ...pathsOf(v, path))
  }
  return out
}

const ownSet = (obj: Json, key: string, value: unknown) =>
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })

function parentOf(root: Json, path: string, create: boolean): { parent: Json; key: string } | undefined {
  const parts = path.split('.')
  let node: Json = root
  for (const part of parts.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined
    if (next && typeof next === 'object') node = next as Json
    else if (create) {
      const fresh: Json = {}
      ownSet(node, part, fresh)
      node = fresh
    } else return undefined
  }
  return { parent: node, key: parts[parts.length - 1] }
}

/** Applies mutations to a deep copy; the result went through JSON (as every Segment event does). */
export function applyMutations(
  event: SegmentEvent,
  mutations: readonly Mutation[]
): { event: SegmentEvent; notes: string[]; injected: string[] } {
  const copy = JSON.parse(JSON.stringify(event)) as Json
  const notes: string[] = []
  const injected: string[] = []
  for (const m of mutations) {
    const paths = [...new Set([...pathsOf(copy), ...ID_PATHS])]
    const path = paths[m.at % paths.length]
    if (m.kind === 'set') {
      if (ALWAYS_OBJECTS.includes(path) && !isPlainObject(m.value)) continue
      const target = parentOf(copy, path, true)
      if (!target) continue
      ownSet(target.parent, target.key, m.value)
      injected.push(...stringsIn(m.value))
      notes.push(`set ${path} = ${describeValue(m.value)}`)
    } else if (m.kind === 'delete') {
      const target = parentOf(copy, path, false)
      if (target) delete target.parent[target.key]
      notes.push(`delete ${path}`)
    } else {
      const objects = ['', ...pathsOf(copy).filter((p) => isObject(parentOf(copy, p, false), p))]
      const at = objects[m.at % objects.length]
      const holder = at ? (parentOf(copy, at, false)!.parent[at.split('.').pop()!] as Json) : copy
      ownSet(holder, m.key, { polluted: 'yes', isAdmin: true, Id: '001000000000000AAA' })
      injected.push(m.key)
      notes.push(`pollute ${at || '(root)'}.${m.key}`)
    }
  }
  return { event: JSON.parse(JSON.stringify(copy)) as SegmentEvent, notes, injected }
}

/** Every string in a value, keys included. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (!value || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...stringsIn(v)])
}

/** A copy of the event without one path (and whether it was there). */
export function withoutPath(event: SegmentEvent, path: string): { event: SegmentEvent; removed: boolean } {
  const copy = JSON.parse(JSON.stringify(event)) as Json
  const target = parentOf(copy, path, false)
  const removed = Boolean(target && Object.prototype.hasOwnProperty.call(target.parent, target.key))
  if (removed) delete target!.parent[target!.key]
  return { event: copy as unknown as SegmentEvent, removed }
}

function isObject(target: { parent: Json; key: string } | undefined, path: string): boolean {
  return isPlainObject(target?.parent[path.split('.').pop()!])
}

export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  return text.length > 60 ? `${text.slice(0, 40)}… (${text.length} chars)` : text
}

export type MappingMutation =
  | { kind: 'literal'; at: number; value: unknown }
  | { kind: 'missing-path'; at: number; name: string }
  | { kind: 'template'; at: number; name: string }
  | { kind: 'drop'; at: number }
  | { kind: 'extra'; name: string; value: unknown }

const mappingMutation: fc.Arbitrary<MappingMutation> = fc.oneof(
  fc.record({ kind: fc.constant('literal' as const), at: fc.nat(), value: hostileValue }),
  fc.record({
    kind: fc.constant('missing-path' as const),
    at: fc.nat(),
    name: fc.oneof(
      fc.constantFrom(...POLLUTION_KEYS, 'nope', 'tickets.0.price'),
      fc.stringMatching(/^[a-z_][a-z0-9_]{0,9}$/)
    )
  }),
  fc.record({
    kind: fc.constant('template' as const),
    at: fc.nat(),
    name: fc.constantFrom('email', 'order_id', 'tickets', 'missing')
  }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('extra' as const),
    name: fc.oneof(
      fc.constantFrom(...POLLUTION_KEYS),
      fc.string({ maxLength: 10 }).filter((k) => !k.startsWith('@'))
    ),
    value: hostileValue
  })
)

/** A preset's mapping with mutations; keys are the mapping's top-level fields and one level of object fields. */
export function applyMappingMutations(
  mapping: JSONObject,
  mutations: readonly MappingMutation[]
): { mapping: JSONObject; notes: string[]; injected: string[] } {
  const copy = JSON.parse(JSON.stringify(mapping)) as Json
  const notes: string[] = []
  const injected: string[] = []
  for (const m of mutations) {
    const paths = pathsOf(copy).filter((p) => !p.split('.').some((s) => s.startsWith('@')))
    if (m.kind === 'extra') {
      ownSet(copy, m.name, m.value)
      injected.push(m.name, ...stringsIn(m.value))
      notes.push(`mapping +${m.name} = ${describeValue(m.value)}`)
      continue
    }
    if (paths.length === 0) continue
    const path = paths[m.at % paths.length]
    const target = parentOf(copy, path, false)
    if (!target) continue
    if (m.kind === 'drop') {
      delete target.parent[target.key]
      notes.push(`mapping -${path}`)
    } else {
      const value =
        m.kind === 'literal'
          ? m.value
          : m.kind === 'missing-path'
            ? { '@path': `$.properties.${m.name}` }
            : { '@template': `{{properties.${m.name}}}` }
      ownSet(target.parent, target.key, value)
      injected.push(...stringsIn(value))
      notes.push(`mapping ${path} = ${describeValue(value)}`)
    }
  }
  return { mapping: JSON.parse(JSON.stringify(copy)) as JSONObject, notes, injected }
}

export interface FuzzCase {
  target: string
  preset: string
  batch: boolean
  events: SegmentEvent[]
  mapping: JSONObject
  /** What was changed, for a readable counterexample. */
  notes: string[]
  /** The strings the mutations put in (the only ones that may try to break out of a SOQL literal). */
  injected: string[]
}

/** The events of the pool each preset fires on. */
export function poolByPreset(targets: readonly Target[], pool: readonly SegmentEvent[]) {
  return targets.flatMap((target) =>
    target.presets.flatMap((preset: PresetSubscription) => {
      const events = pool.filter((e) => matchingPresets([preset], e).length > 0)
      return events.length > 0 ? [{ target: target.key, preset, events }] : []
    })
  )
}

/** Fuzz cases over every preset of every target that some pool event fires. */
export function fuzzCases(targets: readonly Target[], pool: readonly SegmentEvent[]): fc.Arbitrary<FuzzCase> {
  const choices = poolByPreset(targets, pool)
  if (choices.length === 0) throw new Error('no preset of the targets fires on any event of the pool')
  return fc.constantFrom(...choices).chain(({ target, preset, events }) => {
    const oneEvent = fc
      .tuple(fc.constantFrom(...events), fc.array(mutation, { minLength: 0, maxLength: 3 }))
      .map(([event, ms]) => applyMutations(event, ms))
    return fc
      .record({
        batched: fc.integer({ min: 0, max: 9 }),
        items: fc.array(oneEvent, { minLength: 1, maxLength: 4 }),
        mapping: fc.option(fc.array(mappingMutation, { minLength: 1, maxLength: 2 }), { freq: 3 })
      })
      .map(({ batched, items, mapping }) => {
        const batch = batched >= 8 && items.length > 1
        const chosen = batch ? items : items.slice(0, 1)
        const mapped = mapping
          ? applyMappingMutations(preset.mapping, mapping)
          : { mapping: preset.mapping, notes: [], injected: [] }
        return {
          target,
          preset: preset.name,
          batch,
          events: chosen.map((i) => i.event),
          mapping: mapped.mapping,
          notes: [...chosen.flatMap((i, k) => i.notes.map((n) => (batch ? `#${k} ${n}` : n))), ...mapped.notes],
          injected: [...chosen.flatMap((i) => i.injected), ...mapped.injected]
        }
      })
  })
}

/** Realistic starting points: every named sample of the tracking plan and a generated stream. */
export function fuzzPool(seed: number, count = 300): SegmentEvent[] {
  const named = listSamples().map((s) => s.sample as unknown as SegmentEvent)
  return [...named, ...(generateEvents({ seed, count }) as unknown as SegmentEvent[])]
}
