// jlp-ortto end to end against the sandbox's Ortto: the activity definitions `npm run ortto:activities` creates,
// then the tracking plan's samples through the presets in time order, as Segment would deliver them. The
// sandbox runs in strict mode: an activity or attribute without a definition is refused, so these tests also
// prove the definitions cover everything the presets send.
import { jlpOrtto } from '@jlp/destinations'
import { presetSubscriptions, runBatch, runEvent, type PresetRun } from '@jlp/runner'
import { startSandbox, type Sandbox } from '@jlp/sandbox'
import { listSamples, samples, type JlpEvent } from '@jlp/tracking-plan'
import type { JSONObject } from '@segment/actions-core'
import { run as orttoActivities } from '../../scripts/ortto-activities'

let sandbox: Sandbox
let settings: JSONObject
const presets = presetSubscriptions(jlpOrtto)
const byTime = (a: JlpEvent, b: JlpEvent) => a.timestamp.localeCompare(b.timestamp)
const ALL = listSamples()
  .map((s) => s.sample)
  .sort(byTime)

/** Events that change the subscription fields, the last purchase date or a marketing permission cost one more call:
 * the read that keeps a late event from undoing them. */
const GUARDED = [
  'Recurring Payment Created',
  'Subscription Cancelled',
  'Order Completed',
  'Purchase Completed',
  'Ticket Purchase Completed'
]
/** An event that says whether the supporter agrees to marketing email or SMS also reads the consent stamp first. */
const setsConsent = (e: JlpEvent) => {
  const said = { ...(e.type === 'identify' ? e.traits : {}), ...(e.type === 'track' ? e.properties : {}) } as Record<
    string,
    unknown
  >
  return typeof said.email_opt_in === 'boolean' || typeof said.sms_opt_in === 'boolean'
}
const costOf = (events: readonly JlpEvent[]) =>
  events.length + events.filter((e) => (e.type === 'track' && GUARDED.includes(e.event)) || setsConsent(e)).length

/** A fixed shuffle (no Math.random): every event 1–2 times, in an order unrelated to time. */
function shuffled(events: readonly JlpEvent[]): JlpEvent[] {
  const twice = events.flatMap((e, i) => (i % 3 === 0 ? [e, e] : [e]))
  return twice
    .map((e, i) => ({ e, k: (i * 7919) % 101 }))
    .sort((a, b) => a.k - b.k)
    .map(({ e }) => e)
}

const emailOf = (e: JlpEvent) => (e.type === 'identify' ? e.traits.email : (e.context.traits?.email ?? ''))
const person = (email: string) => sandbox.records.ortto().people.find((p) => p.fields['str::email'] === email)
const activitiesOf = (email: string, activityId?: string) => {
  const id = person(email)?.id
  return sandbox.records
    .ortto()
    .activities.filter((a) => a.personId === id && (!activityId || a.activityId === activityId))
}

async function defineActivities(): Promise<string[]> {
  const out: string[] = []
  const io = {
    env: { ORTTO_API_KEY: sandbox.ortto.apiKey, ORTTO_BASE_URL: sandbox.ortto.url },
    log: (l: string) => out.push(l),
    error: (l: string) => out.push(l)
  }
  expect(await orttoActivities(['--create'], io)).toBe(0)
  return out
}

async function deliver(events: readonly JlpEvent[]): Promise<PresetRun[]> {
  const runs: PresetRun[] = []
  for (const event of events) runs.push(...(await runEvent(jlpOrtto, event as never, settings, presets)))
  return runs
}

/** What journeys see: people's fields and each activity's content (ids and arrival times left out). */
function state() {
  const { people, activities } = sandbox.records.ortto()
  const emails = new Map(people.map((p) => [p.id, p.fields['str::email']]))
  return {
    people: people.map((p) => p.fields).sort((a, b) => String(a['str::email']).localeCompare(String(b['str::email']))),
    activities: activities
      .map((a) => JSON.stringify([emails.get(a.personId), a.activityId, a.created, a.key, a.attributes]))
      .sort()
  }
}

beforeAll(async () => {
  process.env.JLP_ALLOW_LOOPBACK = '1'
  sandbox = await startSandbox({ orttoStrictActivities: true })
  settings = { apiKey: sandbox.ortto.apiKey, region: 'default', baseUrl: sandbox.ortto.url }
})

afterAll(async () => {
  await sandbox.stop()
  delete process.env.JLP_ALLOW_LOOPBACK
})

beforeEach(async () => {
  sandbox.reset()
})

describe('jlp-ortto against the sandbox', () => {
  it('npm run ortto:activities defines every activity with the field ids the presets send', async () => {
    const out = await defineActivities()
    expect(out.at(-1)).toBe('ortto:activities: 12 of 12 activities ready in Ortto')
    expect(out.filter((l) => l.includes('Ortto made no'))).toEqual([])
    const definitions = sandbox.records.ortto().definitions
    expect(definitions.map((d) => d.activity_field_id)).toContain('act:cm:recurring-payment-created')
    expect(definitions.find((d) => d.activity_field_id === 'act:cm:product-added')?.attributes).toContainEqual({
      name: 'draw-no',
      display_type: 'integer',
      field_id: 'int:cm:draw-no'
    })
    // Running it again updates rather than failing on the existing definitions.
    const again = await defineActivities()
    expect(again.filter((l) => l.endsWith(' updated'))).toHaveLength(12)
  })

  it('delivers every sample as one activity, in one API call (two for subscription, purchase and consent changes)', async () => {
    await defineActivities()
    sandbox.audit.reset()
    const runs = await deliver(ALL)
    expect(runs.filter((r) => !r.ok)).toEqual([])
    const tracks = ALL.filter((e) => e.type === 'track')
    expect(runs).toHaveLength(ALL.length)
    expect(sandbox.audit.cost('ortto')).toBe(costOf(ALL))
    console.log(`jlp-ortto: ${ALL.length} events → ${costOf(ALL)} Ortto requests unbatched`)
    expect(sandbox.records.ortto().activities).toHaveLength(tracks.length)
    const aisha = samples.cartViewed.abandoned
    const [cart] = activitiesOf(emailOf(aisha), 'act:cm:cart-viewed')
    expect(cart).toMatchObject({
      created: aisha.timestamp,
      key: aisha.messageId,
      attributes: {
        'str:cm:cart-id': aisha.properties.cart_id,
        'int:cm:order-value': Math.round(aisha.properties.value * 1000),
        'obj:cm:products': { items: aisha.properties.products }
      }
    })
  })

  it('keeps the four journeys’ person fields true as the supporters’ events arrive', async () => {
    await defineActivities()
    const priya = samples.recurringPaymentCreated.monthlyTwoLines
    const email = emailOf(priya)
    const cancelled = samples.subscriptionCancelled.bySupporter
    expect(emailOf(cancelled)).toBe(email)

    // Abandoned cart: Aisha viewed her cart and bought nothing afterwards.
    await deliver(ALL.filter((e) => e.timestamp <= samples.cartViewed.abandoned.timestamp))
    const aisha = emailOf(samples.cartViewed.abandoned)
    expect(activitiesOf(aisha, 'act:cm:cart-viewed')).toHaveLength(1)
    const afterCart = (a: { created: string }) => a.created > samples.cartViewed.abandoned.timestamp
    expect(activitiesOf(aisha, 'act:cm:purchase-completed').filter(afterCart)).toEqual([])

    // VIP welcome and loyalty: after her first month Priya is a subscriber with her plan, and her purchase counted.
    await deliver(
      ALL.filter((e) => e.timestamp > samples.cartViewed.abandoned.timestamp && e.timestamp < cancelled.timestamp)
    )
    expect(person(email)?.fields).toMatchObject({
      'bol:cm:recurring-subscriber': true,
      'int:cm:plan-amount': Math.round(priya.properties.amount * 1000),
      'str:cm:subscription-plan': priya.properties.plan,
      'dtz:cm:last-purchase-date': { year: 2026, month: 7, day: 10, timezone: 'UTC' }
    })
    const [order] = activitiesOf(email, 'act:cm:order-completed')
    expect(order.attributes['int::v']).toBe(Math.round(samples.orderCompleted.subscription.properties.value * 1000))
    expect(activitiesOf(email, 'act:cm:purchase-completed')[0].attributes['int::v']).toBeUndefined()

    // Win-back: the cancellation clears the flag and stamps the date the journey waits from.
    await deliver(ALL.filter((e) => e.timestamp >= cancelled.timestamp))
    expect(person(email)?.fields).toMatchObject({
      'bol:cm:recurring-subscriber': false,
      'dtz:cm:subscription-cancelled-date': { year: 2026, month: 7, day: 14, timezone: 'UTC' }
    })
    // Loyalty/upgrade: Tom orders and has never subscribed.
    expect(person(emailOf(samples.identify.tom))?.fields['bol:cm:recurring-subscriber']).toBeUndefined()
  })

  it('a redelivered event is not counted twice: same activities, same person fields', async () => {
    await defineActivities()
    await deliver(ALL)
    const once = state()
    sandbox.audit.reset()
    const runs = await deliver(ALL)
    expect(runs.every((r) => r.ok)).toBe(true)
    expect(sandbox.audit.cost('ortto')).toBe(costOf(ALL))
    expect(state()).toEqual(once)
  })

  it('shuffled, repeated delivery ends with the same activities and subscription fields as in-order delivery', async () => {
    const subscription = (fields: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(fields).filter(([k]) => /subscri|plan-amount/.test(k)))
    await defineActivities()
    await deliver(ALL)
    const inOrder = state()
    sandbox.reset()
    await defineActivities()
    const runs = await deliver(shuffled(ALL))
    expect(runs.every((r) => r.ok)).toBe(true)
    const after = state()
    expect(after.activities).toEqual(inOrder.activities)
    expect(after.people.map(subscription)).toEqual(inOrder.people.map(subscription))
    expect(inOrder.people.filter((p) => p['bol:cm:recurring-subscriber'] === false)).toHaveLength(2)
  })

  it('batch mode ends in the same state with fewer requests than one event at a time', async () => {
    await defineActivities()
    await deliver(ALL)
    const single = state()
    sandbox.reset()
    await defineActivities()
    sandbox.audit.reset()
    // Batches arrive over time: consecutive slices of the stream, each sent preset by preset.
    const results = []
    for (let i = 0; i < ALL.length; i += 12) {
      results.push(...(await runBatch(jlpOrtto, ALL.slice(i, i + 12) as never, settings, presets)))
    }
    expect(results.filter((r) => !r.ok)).toEqual([])
    expect(results).toHaveLength(ALL.length)
    const calls = sandbox.audit.cost('ortto')
    console.log(`jlp-ortto: ${ALL.length} events → ${calls} Ortto requests in batches of 12 (${costOf(ALL)} unbatched)`)
    expect(calls).toBeLessThan(costOf(ALL))
    expect(state()).toEqual(single)
  })

  it('an activity Ortto refuses fails its event instead of reporting success', async () => {
    // No definitions: the strict sandbox refuses every activity, as Ortto does an undefined one.
    const [run] = await deliver([samples.productAdded.lotteryLine])
    expect(run).toMatchObject({ ok: false, error: { name: 'PayloadValidationError', retryable: false } })
    expect(run.error?.message).toMatch(/act:cm:product-added/)
    expect(sandbox.records.ortto().activities).toEqual([])
  })
})
