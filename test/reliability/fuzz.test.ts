// Property-based fuzzing of events and mappings through every preset of both destinations, against the sandbox
// (400 cases in CI; `npm run test:reliability` sets RELIABILITY_FUZZ_RUNS=10000). Wrong types, missing ids, huge
// strings, unicode, SOQL metacharacters and prototype-pollution keys: every failure must be an actions-core error
// with a readable message, nothing may crash or pollute a prototype, the sandbox's parsers must refuse nothing,
// and every SOQL query must mean what ordinary input makes it mean.
import { destinations } from '@jlp/destinations'
import { presetSubscriptions, type Target } from '@jlp/runner'
import { formatFuzzReport, observedTargets, runFuzz } from './lib/fuzz-run'
import { fuzzPool } from './lib/fuzz'
import { openSandboxVendor, type SandboxVendor } from './lib/sandbox'

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 400)
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261123)

// A case takes ~10 ms here; the budget allows ten times that on a loaded machine, and the run stops itself (as a
// failure, with its report) a minute before jest would.
const BUDGET_MS = 60_000 + RUNS * 100
jest.setTimeout(BUDGET_MS + 60_000)

let vendor: SandboxVendor
beforeAll(async () => {
  vendor = await openSandboxVendor({ faultRate: 0, seed: SEED })
})
afterAll(() => vendor.close())

it(`${RUNS} hostile events and mappings: readable actions-core errors, no crash, nothing malformed or injected`, async () => {
  const targets: Target[] = Object.entries(destinations).map(([key, def]) => ({
    key,
    def,
    settings: vendor.settingsFor(key) as Target['settings'],
    presets: presetSubscriptions(def)
  }))
  const observed = observedTargets(targets)
  const report = await runFuzz({ ...observed, pool: fuzzPool(SEED), numRuns: RUNS, seed: SEED, timeLimitMs: BUDGET_MS })
  console.log(formatFuzzReport(report))
  expect(report.failure).toBeUndefined()
  expect(report.cases).toBe(RUNS)
  expect(report.batchCases).toBeGreaterThan(0)
  expect(report.requests).toBeGreaterThan(0)
  expect(Object.keys(report.rejected).length).toBeGreaterThan(0)
})
