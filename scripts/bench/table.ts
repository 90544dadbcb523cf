// The benchmark tables: Markdown for scripts/bench/results.md, plain text for the console, from the same rows.
import * as os from 'os'

export type Cell = string | number | undefined

export interface Table {
  title: string
  /** One sentence on what was measured and how. */
  note?: string
  headers: string[]
  rows: Cell[][]
}

/** A number as people read it: thousands separated, at most `digits` decimals; undefined as an en dash. */
export function fmt(value: Cell, digits = 1): string {
  if (value === undefined) return '–'
  if (typeof value === 'string') return value
  if (!Number.isFinite(value)) return String(value)
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

/** "1.8×" — how many times `ours` beats `theirs` (higher is better for `ours` when `higherIsBetter`). */
export function ratio(ours: number | undefined, theirs: number | undefined, higherIsBetter = true): string {
  if (!ours || !theirs) return '–'
  const r = higherIsBetter ? ours / theirs : theirs / ours
  return `${fmt(r, 2)}×`
}

/** A number, a formatted one, or a missing one (shown as –): right-aligned. */
const isNumeric = (c: Cell) =>
  c === undefined || typeof c === 'number' || (typeof c === 'string' && /^[\d,.]+(×| ms| KiB| kB)?$/.test(c))

/** The table without columns that are empty in every row (e.g. a Notes column when nothing needed a note). */
export function withoutEmptyColumns(table: Table): Table {
  const keep = table.headers.map((_, i) => table.rows.some((r) => r[i] !== undefined && r[i] !== ''))
  const pick = <T>(cells: T[]) => cells.filter((_, i) => keep[i])
  return { ...table, headers: pick(table.headers), rows: table.rows.map(pick) }
}

export function markdownTable(table: Table): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const numeric = table.headers.map((_, i) => table.rows.length > 0 && table.rows.every((r) => isNumeric(r[i])))
  const lines = [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((r) => `| ${r.map((c) => escape(fmt(c))).join(' | ')} |`)
  ]
  return [`### ${table.title}`, '', ...(table.note ? [table.note, ''] : []), ...lines].join('\n')
}

export function textTable(table: Table): string {
  const cells = [table.headers, ...table.rows.map((r) => r.map((c) => fmt(c)))]
  const widths = table.headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)))
  const line = (r: string[]) => r.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ')
  return [table.title, line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n'
  )
}

/** The machine a run happened on, for the README's quote. */
export function machine(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  return `${model}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`
}

export interface ResultsDocument {
  date: Date
  machine: string
  commit?: string
  command: string
  tables: Table[]
  notes?: string[]
}

export function resultsMarkdown(doc: ResultsDocument): string {
  return [
    '# Benchmark results',
    '',
    `Measured ${doc.date.toISOString().replace('T', ' ').slice(0, 16)} UTC on ${doc.machine}` +
      `${doc.commit ? ` at commit ${doc.commit}` : ''}, with \`${doc.command}\`. Written by the command: rerun it ` +
      'rather than editing this file. Everything ran in one process against the in-memory sandbox on 127.0.0.1 ' +
      '(loopback), so latencies are our own overhead plus a local round trip, not Salesforce or Ortto response times.',
    '',
    ...doc.tables.flatMap((t) => [markdownTable(t), '']),
    ...(doc.notes && doc.notes.length > 0 ? ['### Notes', '', ...doc.notes.map((n) => `- ${n}`), ''] : [])
  ].join('\n')
}

/** Median and 95th percentile of a sample (nearest rank). */
export function percentiles(samples: readonly number[]): { p50: number; p95: number } {
  if (samples.length === 0) return { p50: NaN, p95: NaN }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
  return { p50: rank(0.5), p95: rank(0.95) }
}
