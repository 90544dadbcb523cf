// `npm start` as a new user runs it: the tracking plan's sample journeys through both destinations on a fresh
// sandbox. It must finish with no errors, and its report must agree with what the sandbox saw and holds.
import { DESTINATIONS_DIR, startCommand, touchesFromModules } from '@jlp/runner'
import { sampleJourneys } from '@jlp/runner/src/context'
import { created, held, realRun, vendorOf, type Run } from './harness'

let run: Run
let code: number

beforeAll(async () => {
  run = realRun()
  code = await startCommand([], run.ctx)
}, 120_000)
afterAll(() => run.stop())

it('sends every sample journey event and finishes without errors (exit 0)', () => {
  const report = run.report!
  expect(report.events).toHaveLength(sampleJourneys().length)
  expect(report.errors.map((e) => `#${e.index + 1} ${e.destination} "${e.preset}": ${e.message}`)).toEqual([])
  expect(code).toBe(0)
  expect(run.out.join('')).toContain(`Totals: ${report.events.length} events`)
})

it('reports per destination the API calls the sandbox counted and the records it holds', () => {
  const report = run.report!
  const sandbox = run.sandbox!
  for (const t of report.totals) {
    expect({ destination: t.key, audited: t.auditedApiCalls }).toEqual({
      destination: t.key,
      audited: sandbox.audit.cost(vendorOf(t.key))
    })
    // Every call an action made is one its outcome reported.
    expect({ destination: t.key, reported: t.apiCalls }).toEqual({ destination: t.key, reported: t.auditedApiCalls })
    // Every record the report says was created is in the sandbox, and nothing else of those objects is.
    const holds = held(sandbox, t.key)
    for (const [object, count] of Object.entries(created(report, t.key))) {
      expect({ destination: t.key, object, count }).toEqual({ destination: t.key, object, count: holds[object] ?? 0 })
    }
  }
})

it('every object an action reports touching is one its `touches` declares (when it declares them)', () => {
  const touchesFor = touchesFromModules(DESTINATIONS_DIR)
  const undeclared = new Set<string>()
  for (const delivered of run.report!.events) {
    for (const r of delivered.runs) {
      const declared = touchesFor(r.destination, r.action)
      if (!declared) continue
      for (const record of r.outcome?.records ?? []) {
        if (!(record.object in declared)) undeclared.add(`${r.destination}/${r.action}: ${record.object}`)
      }
    }
  }
  expect([...undeclared]).toEqual([])
})
