// Property-based fuzzing of events and mappings through every preset of both destinations, against the sandbox
// (400 cases in CI; `npm run test:reliability` sets RELIABILITY_FUZZ_RUNS=10000). Wrong types, missing ids, huge
// strings, unicode, SOQL metacharacters and prototype-pollution keys: every failure must be an actions-core error
// with a readable message, nothing may crash or pollute a prototype, the sandbox's parsers must refuse nothing,
// and every SOQL query must mean what ordinary input makes it mean.
import { destinations } from '@jlp/destinations'
import { presetSubscriptions, type Target } from '@jlp/runner'
import { outcomeProblems, soqlProblems, vendorErrorsIn, vendorProblems, type SeenRequest } from './lib/checks'
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

describe('what the fuzz counts as a problem', () => {
  const seen = (status: number, url: string, data: unknown): SeenRequest => {
    const errors = vendorErrorsIn(data)
    return { method: 'POST', url, status, errorCodes: errors.map((e) => e.code), errors }
  }
  const sf = 'http://127.0.0.1:1/services/data/v66.0/composite/sobjects'

  it('a request the vendor could not parse, but not a value of the wrong type for its field', () => {
    const body = (fields: string[]) => [{ statusCode: 'JSON_PARSER_ERROR', message: 'Cannot deserialize', fields }]
    expect(vendorProblems([seen(400, sf, body([]))])).toEqual([expect.stringMatching(/refused .*JSON_PARSER_ERROR/)])
    expect(vendorProblems([seen(200, sf, [{ success: false, errors: body(['Amount__c']) }])])).toEqual([])
    expect(vendorProblems([seen(400, sf, [{ errorCode: 'MALFORMED_QUERY', message: 'unexpected token' }])])).toEqual([
      expect.stringMatching(/MALFORMED_QUERY unexpected token/)
    ])
  })

  it('any request Ortto refuses whole (it bans a sender after 15 in 15 s)', () => {
    const refused = seen(400, 'http://127.0.0.1:1/v1/person/merge', { code: 400, error: 'merge_by is required' })
    expect(refused.errorCodes).toEqual(['ortto'])
    expect(vendorProblems([refused])).toEqual([expect.stringMatching(/Ortto refused .*merge_by is required/)])
  })

  it('a batch answer without a result for an event, but not events the preset no longer matches', () => {
    const item = (errortype: string) => ({ ok: false, errortype, message: 'no result for this event' })
    expect(outcomeProblems({ items: [item('MISSING')] })).toEqual([expect.stringMatching(/has no result/)])
    expect(outcomeProblems({ items: [item('NOT_SUBSCRIBED')] })).toEqual([])
  })

  it('a payload stored by an earlier case, kept with _ for blanks, is still whole in its literal', () => {
    const query = (literal: string) => [
      seen(200, `${sf}/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE F__c = '${literal}'`)}`, {})
    ]
    const payload = "x%' OR Id != null OR Email = 'zq"
    expect(soqlProblems(query("x%\\'_OR_Id_!=_null_OR_Email_=_\\'zq ORD-1"), [payload])).toEqual([])
    expect(soqlProblems(query('zq'), [payload])).toEqual([expect.stringMatching(/split across literals/)])
  })
})
