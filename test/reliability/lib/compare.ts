// Compare what a faulty, at-least-once run left in the vendor with what a clean, once-only run left: records
// the faulty run has twice (duplicates), records it never wrote (lost) or wrote but the clean run did not
// (unexpected), and money totals. Vendor-neutral: a state is rows per object; rules say what identifies a row.

export type Row = Record<string, unknown>
/** Object name (e.g. "Contact", "ortto:activity") → its rows. */
export type State = Record<string, Row[]>

export interface IdentityRule {
  /** Fields that identify a record (external ids, merge keys), in order of preference: the first one a row has
   * a value for is its identity. Rows with none of them fall back to their content. */
  fields: string[]
  /** Fields left out of this object's content identity (besides the system fields), e.g. values the vendor
   * computes. */
  ignore?: string[]
}

export interface TotalRule {
  label: string
  object: string
  field: string
}

export interface CompareRules {
  identity: Record<string, IdentityRule>
  /** Fields left out of a content identity (ids the vendor assigns, timestamps it sets). */
  systemFields: readonly string[]
  totals: readonly TotalRule[]
  /** A value that is a record id (for references, resolved to the referenced record's identity). */
  isRecordId?: (value: unknown) => boolean
}

export interface ObjectComparison {
  object: string
  clean: number
  faulty: number
  /** Extra copies of one record in the faulty run. */
  duplicates: number
  /** Records of the clean run the faulty run does not have. */
  lost: number
  /** Records only the faulty run has (not copies of a clean record). */
  unexpected: number
  /** Records both runs have (by identity) whose values differ. */
  changed: number
  /** Duplicates within the clean run itself (a destination that duplicates even without faults). */
  cleanDuplicates: number
  /** A few identities behind the numbers above, for the report. */
  examples: string[]
}

export interface TotalComparison extends TotalRule {
  clean: number
  faulty: number
  equal: boolean
}

export interface Comparison {
  objects: ObjectComparison[]
  totals: TotalComparison[]
  duplicates: number
  lost: number
  unexpected: number
  changed: number
  /** No duplicates, nothing lost, unexpected or changed, every total equal. */
  ok: boolean
}

const stable = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as Row)
            .sort()
            .map((k) => [k, (v as Row)[k]])
        )
      : v
  )

export interface Identified {
  /** What makes the row the same record in another run (its business key, or its content when it has none). */
  id: string
  /** What the row holds (system and ignored fields left out, references as the referenced records' identities). */
  content: string
}

/** Identity and content of every row, by object; references to other records are replaced with those records'
 * identities, so two runs whose vendors assigned different ids compare equal. */
export function identified(state: State, rules: CompareRules): Map<string, Identified[]> {
  const isId = rules.isRecordId ?? (() => false)
  const byId = new Map<string, { object: string; row: Row }>()
  for (const [object, rows] of Object.entries(state)) {
    for (const row of rows) if (typeof row.Id === 'string') byId.set(row.Id, { object, row })
  }
  const memo = new Map<Row, string>()
  const visiting = new Set<Row>()
  const resolve = (value: unknown): unknown => {
    const target = isId(value) ? byId.get(value as string) : undefined
    return target ? `→${identify(target.object, target.row)}` : value
  }
  const contentOf = (object: string, row: Row): Row => {
    const ignore = rules.identity[object]?.ignore ?? []
    return Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => !rules.systemFields.includes(k) && !ignore.includes(k))
        .map(([k, v]) => [k, resolve(v)])
    )
  }
  function identify(object: string, row: Row): string {
    const known = memo.get(row)
    if (known !== undefined) return known
    if (visiting.has(row)) return `${object}#cycle`
    visiting.add(row)
    const rule = rules.identity[object]
    const keyed = rule?.fields.find((f) => row[f] !== undefined && row[f] !== null && row[f] !== '')
    const id = `${object}${stable(keyed !== undefined ? { [keyed]: resolve(row[keyed]) } : contentOf(object, row))}`
    visiting.delete(row)
    memo.set(row, id)
    return id
  }
  const out = new Map<string, Identified[]>()
  for (const [object, rows] of Object.entries(state))
    out.set(
      object,
      rows.map((row) => ({ id: identify(object, row), content: stable(contentOf(object, row)) }))
    )
  return out
}

/** Identity of every row, by object (see identified). */
export const identities = (state: State, rules: CompareRules): Map<string, string[]> =>
  new Map([...identified(state, rules)].map(([object, rows]) => [object, rows.map((r) => r.id)]))

function total(state: State, rule: TotalRule): number {
  const sum = (state[rule.object] ?? []).reduce((acc, row) => {
    const v = Number(row[rule.field])
    return Number.isFinite(v) ? acc + v : acc
  }, 0)
  return Math.round(sum * 100) / 100
}

/** Rows by identity, each identity with the sorted contents of its rows. */
function byIdentity(rows: readonly Identified[]): Map<string, string[]> {
  const m = new Map<string, string[]>()
  for (const r of rows) (m.get(r.id) ?? m.set(r.id, []).get(r.id)!).push(r.content)
  for (const contents of m.values()) contents.sort()
  return m
}

export function compareStates(clean: State, faulty: State, rules: CompareRules): Comparison {
  const cleanRows = identified(clean, rules)
  const faultyRows = identified(faulty, rules)
  const objects = [...new Set([...Object.keys(clean), ...Object.keys(faulty)])].sort()
  const compared: ObjectComparison[] = objects.map((object) => {
    const c = byIdentity(cleanRows.get(object) ?? [])
    const f = byIdentity(faultyRows.get(object) ?? [])
    const examples: string[] = []
    const note = (what: string, key: string) => examples.length < 5 && examples.push(`${what}: ${key}`)
    let duplicates = 0
    let lost = 0
    let unexpected = 0
    let changed = 0
    let cleanDuplicates = 0
    for (const [key, contents] of f) {
      const expected = c.get(key)
      const n = contents.length
      if (!expected) {
        unexpected += 1
        note('unexpected', key)
      }
      const extra = n - Math.max(1, expected?.length ?? 0)
      if (extra > 0) {
        duplicates += extra
        note(`×${n}`, key)
      }
      if (expected && extra <= 0 && stable(expected) !== stable(contents)) {
        changed += 1
        note('changed', `${key} ${difference(expected, contents)}`)
      }
    }
    for (const [key, contents] of c) {
      if (contents.length > 1) cleanDuplicates += contents.length - 1
      if (!f.has(key)) {
        lost += 1
        note('lost', key)
      }
    }
    return {
      object,
      clean: clean[object]?.length ?? 0,
      faulty: faulty[object]?.length ?? 0,
      duplicates,
      lost,
      unexpected,
      changed,
      cleanDuplicates,
      examples
    }
  })
  const totals = rules.totals.map((rule) => {
    const a = total(clean, rule)
    const b = total(faulty, rule)
    return { ...rule, clean: a, faulty: b, equal: a === b }
  })
  const sum = (k: 'duplicates' | 'lost' | 'unexpected' | 'changed') => compared.reduce((n, o) => n + o[k], 0)
  const duplicates = sum('duplicates')
  const lost = sum('lost')
  const unexpected = sum('unexpected')
  const changed = sum('changed')
  return {
    objects: compared,
    totals,
    duplicates,
    lost,
    unexpected,
    changed,
    ok: duplicates === 0 && lost === 0 && unexpected === 0 && changed === 0 && totals.every((t) => t.equal)
  }
}

/** The comparison without some objects (e.g. Flow runs, which are at least once by nature), totals recounted. */
export function leaving(comparison: Comparison, out: (object: string) => boolean): Comparison {
  const objects = comparison.objects.filter((o) => !out(o.object))
  const sum = (k: 'duplicates' | 'lost' | 'unexpected' | 'changed') => objects.reduce((n, o) => n + o[k], 0)
  const [duplicates, lost, unexpected, changed] = [sum('duplicates'), sum('lost'), sum('unexpected'), sum('changed')]
  const ok = duplicates + lost + unexpected + changed === 0 && comparison.totals.every((t) => t.equal)
  return { ...comparison, objects, duplicates, lost, unexpected, changed, ok }
}

/** The fields whose values differ between the first content of each side, e.g. `Status__c: "Active" → "Cancelled"`. */
function difference(clean: readonly string[], faulty: readonly string[]): string {
  const a = JSON.parse(clean[0]) as Row
  const b = JSON.parse(faulty[0]) as Row
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => stable(a[k]) !== stable(b[k]))
    .map((k) => `${k}: ${stable(a[k]) ?? '–'} → ${stable(b[k]) ?? '–'}`)
    .join(', ')
}

/** The comparison as lines of a table, for the console and the reports. */
export function formatComparison(comparison: Comparison, labels: [string, string] = ['clean', 'faulty']): string {
  const [a, b] = labels
  const lines = [`${'object'.padEnd(25)} ${a.padStart(6)} ${b.padStart(7)}  duplicates  lost  unexpected  changed`]
  for (const o of comparison.objects) {
    lines.push(
      `${o.object.padEnd(25)} ${String(o.clean).padStart(Math.max(6, a.length))} ${String(o.faulty).padStart(Math.max(7, b.length))} ` +
        `${String(o.duplicates).padStart(11)} ${String(o.lost).padStart(5)} ${String(o.unexpected).padStart(11)} ${String(o.changed).padStart(8)}`
    )
    for (const e of o.examples) lines.push(`    ${e.length > 160 ? `${e.slice(0, 157)}…` : e}`)
  }
  for (const t of comparison.totals) {
    lines.push(`total ${t.label}: ${a} ${t.clean}, ${b} ${t.faulty} ${t.equal ? '(equal)' : '(DIFFERENT)'}`)
  }
  lines.push(
    `=> ${comparison.duplicates} duplicates, ${comparison.lost} lost, ${comparison.unexpected} unexpected, ` +
      `${comparison.changed} changed, ` +
      `totals ${comparison.totals.every((t) => t.equal) ? 'equal' : 'different'}: ${comparison.ok ? 'OK' : 'FAILED'}`
  )
  return lines.join('\n')
}
