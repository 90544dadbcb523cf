// The fuzzing run: N fast-check cases through the presets, each checked (./checks). Used by the CI-sized test and by
// the full `scripts/reliability.ts` run (≥10,000 cases).
import fc from 'fast-check'
import type { SegmentEvent } from '@segment/actions-core'
import type { Target } from '@jlp/runner'
import { withRequestObserver } from './builds'
import {
  errorClass,
  errorCodesIn,
  outcomeProblems,
  pollution,
  runCase,
  soqlProblems,
  vendorProblems,
  type CaseResult,
  type SeenRequest
} from './checks'
import { fuzzCases, type FuzzCase } from './fuzz'
import { sortProblems } from './known'
import { queriesInRequest } from './soql-lexer'

/** The vendor side of a fuzz run: what it received since the last call. */
export interface FuzzBackend {
  take(): SeenRequest[]
}

/** The targets with every request their actions make recorded with its answer: what the vendor saw. */
export function observedTargets(targets: readonly Target[]): { targets: Target[]; backend: FuzzBackend } {
  let seen: SeenRequest[] = []
  const observed = targets.map((t) => ({
    ...t,
    def: withRequestObserver(t.def, (url, options, outcome) => {
      seen.push({
        method: String(options.method ?? 'GET').toUpperCase(),
        url,
        body: options.json,
        status: outcome.status ?? 0,
        errorCodes: errorCodesIn(outcome.data)
      })
    })
  }))
  return {
    targets: observed,
    backend: {
      take: () => {
        const out = seen
        seen = []
        return out
      }
    }
  }
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
  /** Cases that hit a known, reported finding (./known), by finding id. */
  known: Record<string, number>
  /** The first failing case, shrunk, with what went wrong. */
  failure?: string
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { targets, pool, backend } = options
  const byKey = new Map(targets.map((t) => [t.key, t]))
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
    known: {}
  }
  const count = (requests: readonly SeenRequest[]) => {
    report.requests += requests.length
    for (const r of requests) {
      const key = [r.status, ...new Set(r.errorCodes)].join(' ')
      report.vendorStatuses[key] = (report.vendorStatuses[key] ?? 0) + 1
    }
  }

  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const property = fc.asyncProperty(fuzzCases(targets, pool), async (c) => {
      const target = byKey.get(c.target)!
      const result = await runCase(c, target)
      const seen = backend.take()
      options.onCase?.(c, result)
      report.cases++
      if (c.batch) report.batchCases++
      report.events += c.events.length
      count(seen)
      report.queries += seen.flatMap((r) => queriesInRequest(r.url, r.body)).length
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
        // A value the case itself supplied (e.g. "NaN", "[object Object]") may be quoted back in a message.
        ...outcomeProblems(
          result,
          [...c.injected, ...seen.map((r) => `${r.url} ${JSON.stringify(r.body)}`)].join('\n')
        ),
        ...pollution(),
        ...vendorProblems(seen),
        ...soqlProblems(seen, c.injected),
        ...unhandled.splice(0).map((r) => `unhandled rejection: ${(r as Error)?.message ?? String(r)}`)
      ]
      const { fresh, known } = sortProblems(problems)
      for (const id of new Set(known)) report.known[id] = (report.known[id] ?? 0) + 1
      if (fresh.length > 0) throw new Error(fresh.join('\n'))
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
    ...Object.entries(r.known).map(([id, n]) => `  known finding ${id} (reported, not fixed yet): ${n} cases`),
    r.failure
      ? `  FAILED:\n${r.failure}`
      : '  every failure an actions-core error with a readable message; no malformed request'
  ].join('\n')
}
