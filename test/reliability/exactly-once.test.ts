// Exactly-once under faults (CI size): a generated stream with every event type goes through both destinations
// twice — cleanly, and with 20% injected faults (503, 429, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW,
// INVALID_SESSION_ID, connection reset, slow, lost response), every event delivered 1–3 times in shuffled order and
// retried as Segment retries. The two sandboxes must end with the same records: no duplicate, nothing lost, the
// same money. A build whose writes are not idempotent must fail the same comparison.
// The full-size run (2,000 events) is `npm run test:reliability` (scripts/reliability.ts).
import { destinations } from '@jlp/destinations'
import { dropOrttoActivityKeys, freshReceiptKeys, rewrites, upsertsAsCreates, withRequestRewrite } from './lib/builds'
import { leaving } from './lib/compare'
import { exactlyOnce, formatExactlyOnce, type ExactlyOnceOptions } from './lib/replay'
import { openSandboxVendor, sandboxRules } from './lib/sandbox'

const COUNT = Number(process.env.RELIABILITY_EVENTS ?? 150)
/** A broken build fails at any size: the full run keeps those at CI size. */
const BROKEN_COUNT = Math.min(COUNT, 150)
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261123)

async function rules() {
  const vendor = await openSandboxVendor({ faultRate: 0, seed: 0 })
  try {
    return sandboxRules(vendor.sandbox)
  } finally {
    await vendor.close()
  }
}

async function options(overrides: Partial<ExactlyOnceOptions> = {}): Promise<ExactlyOnceOptions> {
  return {
    count: COUNT,
    seed: SEED,
    destinations,
    openVendor: openSandboxVendor,
    rules: await rules(),
    faultRate: 0.2,
    ...overrides
  }
}

jest.setTimeout(Math.max(240_000, COUNT * 400))

const isFlowRun = (object: string) => object.startsWith('flow run:')
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

describe('exactly-once under faults, at-least-once delivery and shuffled order', () => {
  it('ends with the same records as a clean once-only run: no duplicates, nothing lost, equal totals', async () => {
    const result = await exactlyOnce(await options())
    console.log(formatExactlyOnce(result))
    expect(result.eventTypes).toBe(13)
    expect(result.duplicatedEvents).toBeGreaterThan(COUNT / 3)
    expect(sum(result.faulty.faults)).toBeGreaterThan(0)
    expect(Object.keys(result.faulty.faults).length).toBeGreaterThanOrEqual(6)
    expect(result.faulty.retried).toBeGreaterThan(0)
    // Against the once-only reference: nothing twice, nothing missing, the same money. A Flow run is the one write
    // that can repeat (Salesforce ran it, its answer was lost): counted apart, never lost.
    const records = leaving(result.comparison, isFlowRun)
    expect(records.duplicates).toBe(0)
    expect(result.comparison.lost).toBe(0)
    expect(result.comparison.totals.filter((t) => !t.equal)).toEqual([])
    // Every value the same: a late copy of an older event never overwrites a newer one.
    expect(result.comparison.changed).toBe(0)
    // The one thing a later copy may add: the Task of an activity whose supporter Salesforce did not know at the
    // first delivery but knows by a later one (with its receipt). Anything else is a defect.
    const extra = result.comparison.objects.filter((o) => o.unexpected > 0).map((o) => o.object)
    expect(extra.filter((o) => o !== 'Task' && o !== 'JLP_Event_Receipt__c')).toEqual([])
    // Against the same deliveries without faults: every record and every value the same.
    expect(leaving(result.faultsEffect, isFlowRun)).toMatchObject({
      duplicates: 0,
      lost: 0,
      unexpected: 0,
      changed: 0,
      ok: true
    })
    expect(result.faultsEffect.lost).toBe(0)
    expect(result.faultyOnlyFailures).toEqual([])
  })

  it('catches a Salesforce build that creates instead of upserting and keys receipts afresh', async () => {
    const broken = await exactlyOnce(
      await options({
        count: BROKEN_COUNT,
        faultyBuild: (key, def) =>
          key === 'jlp-salesforce'
            ? withRequestRewrite(def, 'not idempotent', rewrites(upsertsAsCreates, freshReceiptKeys()))
            : def
      })
    )
    console.log(`deliberately broken build (Salesforce not idempotent):\n${formatExactlyOnce(broken)}`)
    const salesforce = leaving(broken.comparison, (o) => o.startsWith('ortto:') || isFlowRun(o))
    expect(salesforce.duplicates).toBeGreaterThan(0)
    expect(broken.comparison.objects.find((o) => o.object === 'Task')?.duplicates).toBeGreaterThan(0)
  })

  it('catches an Ortto build that records activities without their deduplication key', async () => {
    const broken = await exactlyOnce(
      await options({
        count: BROKEN_COUNT,
        faultyBuild: (key, def) =>
          key === 'jlp-ortto' ? withRequestRewrite(def, 'keyless', dropOrttoActivityKeys) : def
      })
    )
    console.log(`deliberately broken build (Ortto activities without key):\n${formatExactlyOnce(broken)}`)
    const activities = broken.comparison.objects.find((o) => o.object === 'ortto:activity')
    expect(activities?.duplicates).toBeGreaterThan(0)
    expect(broken.comparison.totals.find((t) => t.object === 'ortto:activity')?.equal).toBe(false)
  })
})
