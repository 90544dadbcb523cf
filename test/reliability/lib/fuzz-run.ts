// The fuzzing run: learn what ordinary input does (query shapes), then run N fast-check cases and check each.
// Used by the CI-sized test and by the full `scripts/reliability.ts` run (≥10,000 cases).
import fc from 'fast-check'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import type { Target } from '@jlp/runner'
import {
  QueryOracle,
  errorClass,
  outcomeProblems,
  pollution,
  runCase,
  vendorProblems,
  type CaseResult,
  type SeenRequest
} from './checks'
import { ID_PATHS, fuzzCases, poolByPreset, withoutPath, type FuzzCase } from './fuzz'

/** The vendor side of a fuzz run: what it received since the last call. */
export interface FuzzBackend {
  take(): SeenRequest[]
}

export interface FuzzOptions {
  targets: readonly Target[]
  pool: readonly SegmentEvent[]
  backend: FuzzBackend
  numRuns: number
  seed: number
  /** Called with every case's result (e.g. to collect error messages for the secrets scan). */
  onCase?: (c: FuzzCase, result: CaseResult) => void
}

export interface FuzzReport {
  seed: number
  cases: number
  batchCases: number
  events: number
  /** Events that went through (the hostile value was acceptable data, e.g. O'Brien). */
  accepted: number
  /** Failures by error class (thrown or batch item errortype). */
  rejected: Record<string, number>
  requests: number
  queries: number
  /** Vendor answers by status, e.g. { "200": 812, "400 INVALID_EMAIL": 3 }. */
  vendorStatuses: Record<string, number>
  calibrationProblems: string[]
  /** The first failing case, shrunk, with what went wrong. */
  failure?: string
}

const actionKey = (c: { target: string }, partnerAction: string) => `${c.target}:${partnerAction}`

/** Benign variants of one event and mapping: as is, each id removed, each mapping field removed. */
function benignVariants(event: SegmentEvent, mapping: JSONObject): Array<{ event: SegmentEvent; mapping: JSONObject }> {
  const out = [{ event, mapping }]
  for (const path of ID_PATHS) {
    const { event: copy, removed } = withoutPath(event, path)
    if (removed) out.push({ event: copy, mapping })
  }
  for (const key of Object.keys(mapping)) {
    const { [key]: _dropped, ...rest } = mapping
    out.push({ event, mapping: rest as JSONObject })
  }
  return out
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { targets, pool, backend } = options
  const byKey = new Map(targets.map((t) => [t.key, t]))
  const oracle = new QueryOracle()
  const report: FuzzReport = {
    seed: options.seed,
    cases: 0,
    batchCases: 0,
    events: 0,
    accepted: 0,
    rejected: {},
    requests: 0,
    queries: 0,
    vendorStatuses: {},
    calibrationProblems: []
  }
  const count = (requests: readonly SeenRequest[]) => {
    report.requests += requests.length
    for (const r of requests) {
      const key = r.errorCode ? `${r.status} ${r.errorCode}` : String(r.status)
      report.vendorStatuses[key] = (report.vendorStatuses[key] ?? 0) + 1
    }
  }

  // 1. What ordinary input builds: a few events per preset, with benign variations.
  backend.take()
  for (const { target, preset, events } of poolByPreset(targets, pool)) {
    for (const event of events.slice(0, 3)) {
      for (const variant of benignVariants(event, preset.mapping)) {
        const c: FuzzCase = {
          target,
          preset: preset.name,
          batch: false,
          events: [variant.event],
          mapping: variant.mapping,
          notes: []
        }
        await runCase(c, byKey.get(target)!)
        const seen = backend.take()
        report.calibrationProblems.push(...oracle.learn(actionKey(c, preset.partnerAction), seen, c.events))
      }
    }
  }

  // 2. The fuzz cases.
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const property = fc.asyncProperty(fuzzCases(targets, pool), async (c) => {
      const target = byKey.get(c.target)!
      const preset = target.presets.find((p) => p.name === c.preset)!
      const result = await runCase(c, target)
      const seen = backend.take()
      options.onCase?.(c, result)
      report.cases++
      if (c.batch) report.batchCases++
      report.events += c.events.length
      count(seen)
      if (result.thrown !== undefined) {
        const name = errorClass(result.thrown)
        report.rejected[name] = (report.rejected[name] ?? 0) + 1
      } else {
        for (const item of result.items) {
          if (item.ok) report.accepted++
          else report.rejected[item.errortype ?? 'unknown'] = (report.rejected[item.errortype ?? 'unknown'] ?? 0) + 1
        }
      }
      const problems = [
        ...outcomeProblems(result),
        ...pollution(),
        ...vendorProblems(seen),
        ...oracle.check(actionKey(c, preset.partnerAction), seen, c.events),
        ...unhandled.splice(0).map((r) => `unhandled rejection: ${(r as Error)?.message ?? String(r)}`)
      ]
      if (problems.length > 0) throw new Error(problems.join('\n'))
    })
    const details = await fc.check(property, { numRuns: options.numRuns, seed: options.seed, endOnFailure: false })
    if (details.failed) {
      const c = details.counterexample?.[0] as FuzzCase | undefined
      report.failure =
        `${(details.errorInstance as Error)?.message ?? String(details.errorInstance)}\n` +
        `case: ${c?.target} "${c?.preset}"${c?.batch ? ` batch of ${c.events.length}` : ''}; ${c?.notes.join('; ')}\n` +
        `replay with seed ${details.seed}, path "${details.counterexamplePath}"`
    }
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
  report.queries = oracle.queries
  return report
}

export function formatFuzzReport(r: FuzzReport): string {
  const rejected = Object.entries(r.rejected)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
  const statuses = Object.entries(r.vendorStatuses)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')
  return [
    `fuzz (seed ${r.seed}): ${r.cases} cases (${r.batchCases} batches), ${r.events} events`,
    `  accepted ${r.accepted}; rejected: ${rejected || 'none'}`,
    `  vendor saw ${r.requests} requests (${statuses || 'none'}), ${r.queries} SOQL queries checked`,
    ...(r.calibrationProblems.length > 0
      ? [`  calibration problems: ${r.calibrationProblems.slice(0, 5).join(' | ')}`]
      : []),
    r.failure
      ? `  FAILED:\n${r.failure}`
      : '  every failure an actions-core error with a readable message; no malformed request'
  ].join('\n')
}
