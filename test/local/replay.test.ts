// `npm run replay` end to end: a file of generated events, then a generated stream with injected faults. The
// report's totals must agree with the sandbox's audit (API calls) and store (records).
import { generateEvents } from '@jlp/tracking-plan'
import { replayCommand } from '@jlp/runner'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { created, held, realRun, vendorOf, type Run } from './harness'

const COUNT = 120

describe('replay --file', () => {
  let run: Run
  let code: number
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-replay-')), 'events.ndjson')

  beforeAll(async () => {
    fs.writeFileSync(
      file,
      generateEvents({ seed: 11, count: COUNT })
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n'
    )
    run = realRun()
    code = await replayCommand(['--file', file], run.ctx)
  }, 180_000)
  afterAll(() => run.stop())

  it('sends every event of the file and ends with the report and the sandbox audit', () => {
    const report = run.report!
    expect(report.events).toHaveLength(COUNT)
    expect(report.errors.map((e) => `#${e.index + 1} ${e.destination} "${e.preset}": ${e.message}`)).toEqual([])
    expect(code).toBe(0)
    const text = run.out.join('')
    expect(text).toContain(`Totals: ${COUNT} events`)
    expect(text).toContain(`… ${COUNT - 20} more events`)
    expect(text).toMatch(/\nSandbox audit\n {2}Salesforce API calls {2}\d+/)
  })

  it('totals every API call the sandbox counted and every record it holds', () => {
    const report = run.report!
    const sandbox = run.sandbox!
    for (const t of report.totals) {
      const audited = sandbox.audit.cost(vendorOf(t.key))
      expect({ destination: t.key, reported: t.apiCalls, audited: t.auditedApiCalls }).toEqual({
        destination: t.key,
        reported: audited,
        audited
      })
      const holds = held(sandbox, t.key)
      for (const [object, count] of Object.entries(created(report, t.key))) {
        expect({ destination: t.key, object, count }).toEqual({ destination: t.key, object, count: holds[object] ?? 0 })
      }
    }
  })
})

describe('replay --generate --faults', () => {
  let run: Run
  let code: number

  beforeAll(async () => {
    run = realRun()
    code = await replayCommand(['--generate', String(COUNT), '--seed', '7', '--faults', '0.2'], run.ctx)
  }, 180_000)
  afterAll(() => run.stop())

  it('injects faults, retries what Segment would retry, and says what was left', () => {
    const report = run.report!
    const sandbox = run.sandbox!
    const faulted = sandbox.audit.log().filter((e) => e.fault).length
    expect(faulted).toBeGreaterThan(0)
    const text = run.out.join('')
    expect(text).toContain(`Faults injected       ${faulted} (`)
    expect(report.totals.reduce((n, t) => n + t.retried, 0)).toBeGreaterThan(0)
    // Whether a failure is left is the destinations' business (the reliability suite holds them to exactly
    // once); the report must list every one, and only a failure a retry cannot fix makes the exit code 1.
    expect(text.includes('\nErrors (')).toBe(report.errors.length > 0)
    expect(code).toBe(report.errors.some((e) => !e.retryable) ? 1 : 0)
  })

  it('counts the calls the sandbox saw, faulted ones included, and never reports more records than it holds', () => {
    const report = run.report!
    const sandbox = run.sandbox!
    for (const t of report.totals) {
      expect(t.auditedApiCalls).toBe(sandbox.audit.cost(vendorOf(t.key)))
      expect(t.apiCalls ?? 0).toBeLessThanOrEqual(t.auditedApiCalls!)
      const holds = held(sandbox, t.key)
      for (const [object, count] of Object.entries(created(report, t.key))) {
        expect(count).toBeLessThanOrEqual(holds[object] ?? 0)
      }
    }
  })
})
