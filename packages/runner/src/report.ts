// The report every local runtime prints: per event, which preset fired and what its action said happened,
// then totals per destination. Everything comes from the actions' outcomes (summary, records, apiCalls);
// nothing here knows a vendor.
import type { TouchedRecord } from '@jlp/destinations'
import { describeEvent } from './events'
import type { DeliveredEvent, DeliveredRun } from './session'

export type Change = TouchedRecord['change']
const CHANGES: Change[] = ['created', 'updated', 'unchanged', 'skipped', 'invoked']

export interface DestinationTotals {
  key: string
  /** Presets run (each matching preset of each event, counted once however often it was retried). */
  runs: number
  failed: number
  /** Runs that needed more than one attempt. */
  retried: number
  /** Object → change → count, e.g. { Lead: { created: 2 } }. */
  records: Record<string, Partial<Record<Change, number>>>
  /** API calls the actions reported (undefined when none reported any). */
  apiCalls?: number
  /** API calls an independent counter saw (the sandbox audit), when there is one. */
  auditedApiCalls?: number
}

export interface ReportError {
  index: number
  destination: string
  preset: string
  name: string
  message: string
  status?: number
  retryable: boolean
  attempts: number
}

export interface Report {
  /** Where the events went, e.g. "sandbox at http://127.0.0.1:4010". */
  target: string
  events: DeliveredEvent[]
  /** Events no preset of any destination matched. */
  unmatched: number
  totals: DestinationTotals[]
  errors: ReportError[]
  /** Extra labelled figures, e.g. the sandbox audit. */
  audit?: Array<[label: string, value: string | number]>
  /** Things to know before reading the events, e.g. preset fields filled in for this run. */
  notes?: string[]
}

export interface ReportInput {
  target: string
  destinations: readonly string[]
  events: readonly DeliveredEvent[]
  /** Per destination key, API calls counted outside the actions (e.g. by the sandbox). */
  auditedApiCalls?: Record<string, number>
  audit?: Report['audit']
  notes?: string[]
}

export function buildReport(input: ReportInput): Report {
  const totals: DestinationTotals[] = input.destinations.map((key) => ({
    key,
    runs: 0,
    failed: 0,
    retried: 0,
    records: {},
    auditedApiCalls: input.auditedApiCalls?.[key]
  }))
  const errors: ReportError[] = []
  for (const delivered of input.events) {
    for (const run of delivered.runs) {
      const t = totals.find((x) => x.key === run.destination)
      if (!t) continue
      t.runs++
      if (run.attempts > 1) t.retried++
      if (!run.ok) {
        t.failed++
        errors.push({
          index: delivered.index,
          destination: run.destination,
          preset: run.preset,
          name: run.error?.name ?? 'Error',
          message: run.error?.message ?? 'failed',
          status: run.error?.status,
          retryable: run.error?.retryable ?? false,
          attempts: run.attempts
        })
        continue
      }
      for (const record of run.outcome?.records ?? []) {
        const byChange = (t.records[record.object] ??= {})
        byChange[record.change] = (byChange[record.change] ?? 0) + 1
      }
      if (typeof run.outcome?.apiCalls === 'number') t.apiCalls = (t.apiCalls ?? 0) + run.outcome.apiCalls
    }
  }
  return {
    target: input.target,
    events: [...input.events],
    unmatched: input.events.filter((e) => e.runs.length === 0).length,
    totals,
    errors,
    audit: input.audit,
    notes: input.notes
  }
}

/** "ortto:activity" → "Ortto activity"; "Opportunity" stays. */
export function objectLabel(object: string): string {
  const [vendor, rest] = object.includes(':') ? object.split(':', 2) : ['', object]
  return vendor ? `${vendor[0].toUpperCase()}${vendor.slice(1)} ${rest}` : rest
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The per-event list keeps one line per run; the Errors section has the whole message. */
function shorten(message: string, max = 100): string {
  const first = message.split(/(?<=[.!?])\s/)[0]
  return first.length <= max ? first : `${first.slice(0, max - 1)}…`
}

/** Identical failures (same destination, preset and message) once, with the events they hit. */
function groupErrors(errors: readonly ReportError[]): Array<ReportError & { events: number[] }> {
  const groups = new Map<string, ReportError & { events: number[] }>()
  for (const e of errors) {
    const key = JSON.stringify([e.destination, e.preset, e.name, e.status, e.message, e.retryable])
    const group = groups.get(key)
    if (group) group.events.push(e.index + 1)
    else groups.set(key, { ...e, events: [e.index + 1] })
  }
  return [...groups.values()]
}

function runLine(run: DeliveredRun, width: number): string {
  const retried = run.attempts > 1 ? ` (after ${plural(run.attempts, 'attempt')})` : ''
  const head = `${run.ok ? '✓' : '✗'} ${run.destination.padEnd(width)}  ${run.preset}: `
  if (!run.ok) {
    const status = run.error?.status ? ` ${run.error.status}` : ''
    return `${head}${run.error?.name ?? 'Error'}${status} — ${shorten(run.error?.message ?? 'failed')}${retried}`
  }
  const calls = typeof run.outcome?.apiCalls === 'number' ? ` · ${plural(run.outcome.apiCalls, 'API call')}` : ''
  return `${head}${run.outcome?.summary ?? 'done'}${calls}${retried}`
}

/** One line per object: "    Opportunity      19 created, 6 updated". */
function recordLines(records: DestinationTotals['records']): string[] {
  const rows = Object.entries(records)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([object, byChange]) => {
      const [first, ...rest] = CHANGES.filter((c) => byChange[c]).map((c) => [byChange[c]!, c] as const)
      return { label: objectLabel(object), first, rest: rest.map(([n, c]) => `${n} ${c}`) }
    })
  if (rows.length === 0) return ['    no records']
  const w = Math.max(...rows.map((r) => r.label.length))
  const n = Math.max(...rows.map((r) => String(r.first?.[0] ?? '').length))
  return rows.map(
    (r) => `    ${r.label.padEnd(w)}  ${String(r.first?.[0] ?? '').padStart(n)} ${[r.first?.[1], ...r.rest].join(', ')}`
  )
}

export interface FormatOptions {
  /** Show at most this many events in the per-event list (failures are listed under Errors anyway). */
  maxEvents?: number
  /** At most this many errors listed one by one. Default 20. */
  maxErrors?: number
}

export function formatReport(report: Report, options: FormatOptions = {}): string {
  const lines: string[] = []
  const width = Math.max(0, ...report.totals.map((t) => t.key.length))

  const shown = report.events.slice(0, options.maxEvents ?? report.events.length)
  for (const note of report.notes ?? []) lines.push(`Note: ${note}`)
  lines.push(`Events (${report.events.length}, sent to ${report.target})`)
  const number = String(report.events.length).length
  for (const delivered of shown) {
    const { name, who } = describeEvent(delivered.event)
    const none = delivered.runs.length === 0 ? '  — no preset fired' : ''
    lines.push(`  ${String(delivered.index + 1).padStart(number)}  ${name}${who ? `  ${who}` : ''}${none}`)
    for (const run of delivered.runs) lines.push(`  ${' '.repeat(number)}    ${runLine(run, width)}`)
  }
  if (shown.length < report.events.length) lines.push(`  … ${report.events.length - shown.length} more events`)

  const fired = report.events.length - report.unmatched
  lines.push(
    '',
    `Totals: ${plural(report.events.length, 'event')}, ${fired} fired a preset, ${plural(report.errors.length, 'error')}`
  )
  for (const t of report.totals) {
    const calls = t.apiCalls ?? t.auditedApiCalls
    const audited =
      t.apiCalls !== undefined && t.auditedApiCalls !== undefined ? ` (sandbox audit: ${t.auditedApiCalls})` : ''
    const retried = t.retried > 0 ? `, ${t.retried} retried` : ''
    lines.push(
      `  ${t.key}: ${calls === undefined ? 'API calls not reported' : plural(calls, 'API call')}${audited} · ` +
        `${plural(t.runs, 'preset run')}, ${t.failed} failed${retried}`,
      ...recordLines(t.records)
    )
  }
  if (report.audit && report.audit.length > 0) {
    lines.push('', 'Sandbox audit')
    const w = Math.max(...report.audit.map(([label]) => label.length))
    for (const [label, value] of report.audit) lines.push(`  ${label.padEnd(w)}  ${value}`)
  }
  if (report.errors.length > 0) {
    const max = options.maxErrors ?? 20
    const groups = groupErrors(report.errors)
    lines.push('', `Errors (${report.errors.length})`)
    for (const e of groups.slice(0, max)) {
      const kind = e.retryable ? 'retryable, Segment would retry' : 'not retryable'
      const where = e.events.length === 1 ? `#${e.events[0]}` : `${e.events.length}× (#${e.events.join(', #')})`
      lines.push(
        `  ${where} ${e.destination} "${e.preset}": ${e.name}${e.status ? ` ${e.status}` : ''} — ${e.message} (${kind})`
      )
    }
    if (groups.length > max) lines.push(`  … ${groups.length - max} more kinds of error`)
  }
  return lines.join('\n')
}

/** Exit code for a finished run: 1 when an event failed for a reason retrying cannot fix, else 0. */
export function exitCodeFor(report: Report): number {
  return report.errors.some((e) => !e.retryable) ? 1 : 0
}
