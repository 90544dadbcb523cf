// The fuzzing run: N fast-check cases through the presets, each checked (./checks). fuzz.test.ts runs 400 in CI and
// RELIABILITY_FUZZ_RUNS (10,000 in `npm run test:reliability`) otherwise.
import fc from 'fast-check'
import type { SegmentEvent } from '@segment/actions-core'
import type { Target } from '@jlp/runner'
import { withRequestObserver } from './builds'
import {
  INJECTION_MARKER,
  errorClass,
  outcomeProblems,
  pollution,
  runCase,
  soqlProblems,
  vendorErrorsIn,
  vendorProblems,
  type CaseResult,
  type SeenRequest
} from './checks'
import { fuzzCases, type FuzzCase } from './fuzz'
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
      const errors = vendorErrorsIn(outcome.data)
      seen.push({
        method: String(options.method ?? 'GET').toUpperCase(),
        url,
        body: options.json,
        status: outcome.status ?? 0,
        errorCodes: errors.map((e) => e.code),
        errors
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
  /** Stop (as a failure) after this long, shrinking included; default: no limit. */
  timeLimitMs?: number
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
  /** For each vendor error code seen: the first request that got it and the vendor's message. */
  vendorErrors: Record<string, string>
  /** The first failing case, shrunk, with what went wrong. */
  failure?: string
}

/** Longest a case may take: a few requests to a local sandbox take milliseconds. */
export const CASE_TIMEOUT_MS = 20_000

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
    vendorErrors: {}
  }
  const count = (requests: readonly SeenRequest[]) => {
    report.requests += requests.length
    for (const r of requests) {
      const key = [r.status, ...new Set(r.errorCodes)].join(' ')
      report.vendorStatuses[key] = (report.vendorStatuses[key] ?? 0) + 1
      for (const e of r.errors ?? []) {
        const path = r.url.replace(/^https?:\/\/[^/]+/, '').slice(0, 100)
        report.vendorErrors[e.code] ??= `${r.status} ${r.method} ${path}: ${(e.message ?? '').slice(0, 160)}`
      }
    }
  }

  // Payloads stay in the vendor's records and come back in later cases' queries (e.g. a compare-and-swap on a
  // field an earlier case wrote): a literal may hold any payload injected so far.
  const payloads = new Set<string>()
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const property = fc.asyncProperty(fuzzCases(targets, pool), async (c) => {
      const target = byKey.get(c.target)!
      const result = await runCase(c, target)
      const seen = backend.take()
      for (const s of c.injected) if (s.toLowerCase().includes(INJECTION_MARKER)) payloads.add(s)
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
        // A value the case itself supplied (e.g. "NaN", "[object Object]") may be quoted back in a message, and so
        // may what mapping-kit makes of a template over an object or a list: the string "[object Object]".
        ...outcomeProblems(
          result,
          [
            ...c.injected,
            ...(JSON.stringify(c.mapping).includes('"@template"') ? ['[object Object]'] : []),
            ...seen.map((r) => `${r.url} ${JSON.stringify(r.body)}`)
          ].join('\n')
        ),
        ...pollution(),
        ...vendorProblems(seen),
        ...soqlProblems(seen, [...payloads]),
        ...unhandled.splice(0).map((r) => `unhandled rejection: ${(r as Error)?.message ?? String(r)}`)
      ]
      if (problems.length > 0) throw new Error(problems.join('\n'))
    })
    const details = await fc.check(property, {
      numRuns: options.numRuns,
      seed: options.seed,
      endOnFailure: false,
      // A case that never ends (a request left hanging) fails instead of stalling the run.
      timeout: CASE_TIMEOUT_MS,
      ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: true } : {})
    })
    if (details.failed) {
      const c = details.counterexample?.[0] as FuzzCase | undefined
      const why = details.errorInstance
        ? ((details.errorInstance as Error)?.message ?? String(details.errorInstance))
        : `stopped after ${options.timeLimitMs} ms at case ${report.cases}: the run is too slow`
      report.failure = c
        ? `${why}\n` +
          `case: ${c.target} "${c.preset}"${c.batch ? ` batch of ${c.events.length}` : ''}; ${c.notes.join('; ')}\n` +
          `replay with seed ${details.seed}, path "${details.counterexamplePath}"`
        : why
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
    ...Object.entries(r.vendorErrors).map(([code, example]) => `  ${code}, first seen: ${example}`),
    r.failure
      ? `  FAILED:\n${r.failure}`
      : '  every failure an actions-core error with a readable message; no malformed request'
  ].join('\n')
}
