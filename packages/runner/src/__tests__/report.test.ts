import { presetSubscriptions } from '../presets'
import { buildReport, exitCodeFor, formatReport, objectLabel } from '../report'
import { deliver, type Target } from '../session'
import { fixture, GOOD_KEY, startFixtureVendor, track, type FixtureVendor } from './fixture'

let vendor: FixtureVendor
let target: Target

beforeAll(async () => {
  vendor = await startFixtureVendor()
  target = {
    key: 'fixture',
    def: fixture,
    settings: { baseUrl: vendor.url, apiKey: GOOD_KEY, region: 'default' },
    presets: presetSubscriptions(fixture)
  }
})
afterAll(() => vendor.close())
beforeEach(() => {
  vendor.calls.length = 0
  vendor.supporters.clear()
  vendor.flaky.clear()
})

const journey = [
  track('Signed Up', 'jane@x.org'),
  track('Page Viewed', 'jane@x.org'),
  track('Plan Changed', 'jane@x.org', 'weekly'),
  track('Signed Up', 'sam@x.org'),
  track('Plan Renewed', 'broken-address')
]

describe('deliver + report', () => {
  it('says per event which preset fired and what happened, and totals match the vendor’s own count', async () => {
    const progress: Array<[number, number]> = []
    const events = await deliver(journey, [target], { onProgress: (d, t) => progress.push([d, t]) })
    const report = buildReport({
      target: 'fixture vendor',
      destinations: ['fixture'],
      events,
      auditedApiCalls: { fixture: vendor.calls.length }
    })
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5]
    ])
    expect(report.unmatched).toBe(1)
    expect(report.totals).toEqual([
      {
        key: 'fixture',
        runs: 4,
        failed: 1,
        retried: 0,
        records: { 'fixture:supporter': { created: 2, updated: 1 } },
        apiCalls: 3,
        auditedApiCalls: 3
      }
    ])
    // The vendor holds exactly what the report says was created.
    expect(vendor.supporters.size).toBe(report.totals[0].records['fixture:supporter'].created)
    expect(report.errors).toEqual([
      expect.objectContaining({
        index: 4,
        preset: 'Remember plan changes',
        name: 'PayloadValidationError',
        retryable: false
      })
    ])
    expect(exitCodeFor(report)).toBe(1)

    const text = formatReport(report)
    expect(text).toContain(
      '  1  Signed Up  jane@x.org\n       ✓ fixture  Remember signups: Supporter created · 1 API call'
    )
    expect(text).toContain('  2  Page Viewed  jane@x.org  — no preset fired')
    expect(text).toContain('✓ fixture  Remember plan changes: Supporter updated · 1 API call')
    expect(text).toContain('Totals: 5 events, 4 fired a preset, 1 error')
    expect(text).toContain(
      '\n  fixture: 3 API calls (sandbox audit: 3) · 4 preset runs, 1 failed\n    Fixture supporter  2 created, 1 updated\n'
    )
    expect(text).toContain(
      '#5 fixture "Remember plan changes": PayloadValidationError 400 — "broken-address" is not an email address (not retryable)'
    )
  })

  it('retries a retryable failure like Segment and counts it once', async () => {
    vendor.flaky.add('sam@x.org')
    const report = buildReport({
      target: 'fixture vendor',
      destinations: ['fixture'],
      events: await deliver(journey.slice(0, 4), [target])
    })
    expect(report.errors).toEqual([])
    expect(report.totals[0]).toMatchObject({ runs: 3, retried: 1, failed: 0, apiCalls: 3 })
    expect(vendor.calls.map((c) => c.status)).toEqual([200, 200, 503, 200])
    expect(formatReport(report)).toContain('Remember signups: Supporter created · 1 API call (after 2 attempts)')
    expect(exitCodeFor(report)).toBe(0)
  })

  it('gives up after the retries and reports the error as retryable (exit code 0)', async () => {
    vendor.flaky.add('sam@x.org')
    const report = buildReport({
      target: 'fixture vendor',
      destinations: ['fixture'],
      events: await deliver([track('Signed Up', 'sam@x.org')], [target], { retries: 0 })
    })
    expect(report.errors).toEqual([expect.objectContaining({ name: 'RetryableError', retryable: true, attempts: 1 })])
    expect(exitCodeFor(report)).toBe(0)
  })

  it('batches: one vendor call per preset and group, the same totals as one by one', async () => {
    const events = await deliver(journey, [target], { batchSize: 5 })
    const report = buildReport({
      target: 'x',
      destinations: ['fixture'],
      events,
      auditedApiCalls: { fixture: vendor.calls.length }
    })
    expect(vendor.calls).toHaveLength(2)
    expect(report.totals[0].records).toEqual({ 'fixture:supporter': { created: 2, updated: 1 } })
    expect(report.totals[0].auditedApiCalls).toBe(2)
    expect(report.errors.map((e) => e.index)).toEqual([4])
  })

  it('lists identical failures once, with every event they hit', async () => {
    const events = [track('Signed Up', 'no-at-1'), track('Signed Up', 'ok@x.org'), track('Signed Up', 'no-at-1')]
    const report = buildReport({ target: 'x', destinations: ['fixture'], events: await deliver(events, [target]) })
    expect(report.errors).toHaveLength(2)
    expect(formatReport(report)).toContain(
      '\nErrors (2)\n  2× (#1, #3) fixture "Remember signups": PayloadValidationError 400 — "no-at-1" is not an email address (not retryable)'
    )
  })

  it('limits the per-event list but not the totals', async () => {
    const report = buildReport({ target: 'x', destinations: ['fixture'], events: await deliver(journey, [target]) })
    const text = formatReport(report, { maxEvents: 2 })
    expect(text).toContain('… 3 more events')
    expect(text).not.toContain('Plan Changed')
    expect(text).toContain('Totals: 5 events')
  })
})

it('labels vendor objects for people', () => {
  expect(objectLabel('ortto:activity')).toBe('Ortto activity')
  expect(objectLabel('Opportunity')).toBe('Opportunity')
})
