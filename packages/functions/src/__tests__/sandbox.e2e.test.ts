// Both bundles end to end: loaded in the vm harness (only the Functions runtime's globals), sending the tracking
// plan's samples through onTrack / onIdentify / onBatch to the sandbox's Salesforce and Ortto on 127.0.0.1.
// Checks the records, the statuses and error classes Segment would get, retries after the sandbox's faults, and
// that a bundle does exactly what the in-process runner does with the same definition.
import { destinations } from '@jlp/destinations'
import { matchingPresets, presetSubscriptions, runEvent, settingDefaults } from '@jlp/runner'
import { startSandbox, type FaultKind, type Sandbox } from '@jlp/sandbox'
import { samples, samplesByEvent } from '@jlp/tracking-plan'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { failureOf } from '../errors'
import { EventNotSupported, memoryCache, RetryError, ValidationError, type HandlerName } from '../harness'
import { loadBundle, timed } from './fixture'

const LOOPBACK = { JLP_ALLOW_LOOPBACK: '1' }
let sandbox: Sandbox

const settingsFor = (s: Sandbox): Record<string, Record<string, unknown>> => ({
  'jlp-salesforce': {
    instanceUrl: s.salesforce.url,
    authMode: 'client_credentials',
    clientId: s.salesforce.clientId,
    clientSecret: s.salesforce.clientSecret
  },
  'jlp-ortto': { apiKey: s.ortto.apiKey, baseUrl: s.ortto.url }
})

const handlerFor = (event: { type: string }): HandlerName => (event.type === 'identify' ? 'onIdentify' : 'onTrack')
const allSamples = Object.entries(samplesByEvent).flatMap(([event, group]) =>
  Object.entries(group).map(([name, sample]) => ({
    label: `${event} / ${name}`,
    event: sample as unknown as SegmentEvent
  }))
)
const registration = samples.registrationStarted.web
const unregistrable = {
  ...registration,
  messageId: 'registration-with-a-bad-email',
  properties: { ...registration.properties, email: 'not an email address' }
}
const purchase = samples.ticketPurchase.threeTickets
const tickets = purchase.properties.tickets.length

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.stop())
beforeEach(() => {
  sandbox.reset()
  sandbox.setFaults()
})

const salesforce = () => settingsFor(sandbox)['jlp-salesforce']
const ortto = () => settingsFor(sandbox)['jlp-ortto']
const sf = (object: string) => sandbox.records.salesforce(object)
const tokenCalls = () => sandbox.audit.calls({ vendor: 'salesforce', endpoint: /oauth2\/token/ })
const once = (vendor: 'salesforce' | 'ortto', kind: FaultKind) =>
  sandbox.setFaults({
    rules: [{ vendor, match: vendor === 'salesforce' ? '/services/data' : '/v1/', sequence: [kind] }]
  })

describe('jlp-salesforce Function on the sandbox', () => {
  it('turns a registration into a Lead and a ticket purchase into a Campaign with an Opportunity per ticket', async () => {
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
    const first = await timed(() => fn.call('onTrack', registration, salesforce()))
    const next = await timed(() => fn.call('onTrack', purchase, salesforce()))
    console.log(
      `jlp-salesforce cold start: load ${fn.loadMs.toFixed(0)} ms + first event ${first.ms.toFixed(0)} ms ` +
        `(sign-in included); next event ${next.ms.toFixed(0)} ms`
    )
    expect(first.value).toMatchObject({
      presets: [
        { preset: 'New registration becomes a Lead', outcome: { records: [{ object: 'Lead', change: 'created' }] } }
      ]
    })
    expect(sf('Lead').map((l) => l.Email)).toEqual([registration.properties.email])
    expect(next.error).toBeUndefined()
    expect(sf('Campaign').map((c) => c.Name)).toContain(purchase.properties.draw_name)
    expect(sf('Opportunity')).toHaveLength(tickets)
  })

  it('keeps its access token in the Functions cache: one sign-in for many events and for a new instance', async () => {
    const cache = memoryCache()
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK, cache })
    await fn.call('onTrack', registration, salesforce())
    await fn.call('onTrack', purchase, salesforce())
    const restarted = await loadBundle('jlp-salesforce', { env: LOOPBACK, cache })
    await restarted.call('onTrack', samples.registrationStarted.app, salesforce())
    expect(tokenCalls()).toBe(1)
    const keys = [...cache.entries.keys()]
    expect(keys).toEqual([expect.stringMatching(/^jlp-salesforce:token:[0-9a-f]{64}$/)])
    expect(keys[0]).not.toContain(sandbox.salesforce.clientSecret)
  })

  it('signs in again when Salesforce says the session is invalid, and delivers the event', async () => {
    const cache = memoryCache()
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK, cache })
    await fn.call('onTrack', registration, salesforce())
    const before = [...cache.entries.values()]
    once('salesforce', 'invalidSession')
    await expect(fn.call('onTrack', samples.registrationStarted.app, salesforce())).resolves.toBeDefined()
    expect(tokenCalls()).toBe(2)
    expect([...cache.entries.values()]).not.toEqual(before)
    expect(sf('Lead')).toHaveLength(2)
  })

  it('answers an outage with a RetryError, and the redelivery writes every record once', async () => {
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
    once('salesforce', 'unavailable')
    const failed = fn.call('onTrack', purchase, salesforce())
    await expect(failed).rejects.toBeInstanceOf(RetryError)
    await expect(failed).rejects.toThrow(/503|unavailable/i)
    sandbox.setFaults()
    await fn.call('onTrack', purchase, salesforce())
    await fn.call('onTrack', purchase, salesforce())
    expect(sf('Opportunity')).toHaveLength(tickets)
    expect(sf('Campaign').filter((c) => c.Name === purchase.properties.draw_name)).toHaveLength(1)
  })

  it.each<FaultKind>(['rateLimited', 'requestLimit', 'lockRow', 'reset'])(
    'answers a %s fault with a RetryError',
    async (kind) => {
      const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
      await fn.call('onTrack', registration, salesforce())
      once('salesforce', kind)
      await expect(fn.call('onTrack', purchase, salesforce())).rejects.toBeInstanceOf(RetryError)
    }
  )

  it('gives up with a RetryError before the 5 s limit when Salesforce is too slow', async () => {
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
    await fn.call('onTrack', registration, salesforce())
    sandbox.setFaults({ slowMs: 4800, rules: [{ match: '/services/data', sequence: ['slow'] }] })
    const call = fn.call('onTrack', purchase, salesforce())
    await expect(call).rejects.toBeInstanceOf(RetryError)
    await expect(call).rejects.toThrow('JLP Salesforce did not finish within 4.5 s; Segment will retry.')
  }, 15_000)

  it('discards a registration with a malformed email with a ValidationError, writing nothing', async () => {
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
    const call = fn.call('onTrack', unregistrable, salesforce())
    await expect(call).rejects.toBeInstanceOf(ValidationError)
    await expect(call).rejects.toThrow(/^New registration becomes a Lead: Email must be a valid email/)
    expect(sf('Lead')).toEqual([])
  })

  it('answers an event no preset handles with EventNotSupported', async () => {
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
    await expect(fn.call('onIdentify', samples.identify.tom, salesforce())).rejects.toBeInstanceOf(EventNotSupported)
  })

  it('returns one status per event of a batch, in order: delivered, discarded, unsupported', async () => {
    const fn = await loadBundle('jlp-salesforce', { env: LOOPBACK })
    const statuses = await fn.call(
      'onBatch',
      [registration, unregistrable, samples.identify.tom, samples.registrationStarted.app, purchase],
      salesforce()
    )
    expect(statuses).toEqual([
      { status: 200 },
      { status: 400, errormessage: expect.stringMatching(/^ValidationError: New registration becomes a Lead: /) },
      { status: 400, errormessage: 'EventNotSupported: no chosen preset handles identify.' },
      { status: 200 },
      { status: 200 }
    ])
    expect(sf('Lead')).toHaveLength(2)
    expect(sf('Opportunity')).toHaveLength(tickets)
  })
})

describe('jlp-ortto Function on the sandbox', () => {
  it('keeps the person and records the activity', async () => {
    const fn = await loadBundle('jlp-ortto', { env: LOOPBACK })
    const first = await timed(() => fn.call('onIdentify', samples.identify.priya, ortto()))
    const next = await timed(() => fn.call('onTrack', samples.recurringPaymentCreated.monthlyTwoLines, ortto()))
    console.log(
      `jlp-ortto cold start: load ${fn.loadMs.toFixed(0)} ms + first event ${first.ms.toFixed(0)} ms; ` +
        `next event ${next.ms.toFixed(0)} ms`
    )
    expect(first.error).toBeUndefined()
    expect(next.error).toBeUndefined()
    const { people, activities } = sandbox.records.ortto()
    expect(people.map((p) => p.fields['str::email'])).toEqual([samples.identify.priya.traits.email])
    expect(activities.map((a) => [a.activityId, a.personId])).toEqual([
      ['act:cm:recurring-payment-created', people[0].id]
    ])
  })

  it.each<FaultKind>(['rateLimited', 'unavailable', 'reset'])('answers a %s fault with a RetryError', async (kind) => {
    const fn = await loadBundle('jlp-ortto', { env: LOOPBACK })
    once('ortto', kind)
    await expect(fn.call('onIdentify', samples.identify.priya, ortto())).rejects.toBeInstanceOf(RetryError)
    sandbox.setFaults()
    await fn.call('onIdentify', samples.identify.priya, ortto())
    expect(sandbox.records.ortto().people).toHaveLength(1)
  })

  it('discards a person without an email, its merge key, with a ValidationError, writing nothing', async () => {
    const fn = await loadBundle('jlp-ortto', { env: LOOPBACK })
    const nobody = { ...samples.identify.tom, messageId: 'no-email', traits: { firstName: 'Nobody' }, context: {} }
    const call = fn.call('onIdentify', nobody, ortto())
    await expect(call).rejects.toBeInstanceOf(ValidationError)
    await expect(call).rejects.toThrow('Identify → Ortto person: The person has no str::email')
    expect(sandbox.records.ortto().people).toEqual([])
  })

  it('marks the events of a batch call that hit an outage retryable, the others delivered', async () => {
    const fn = await loadBundle('jlp-ortto', { env: LOOPBACK })
    sandbox.setFaults({ rules: [{ match: '/v1/activities/create', sequence: ['unavailable'] }] })
    const statuses = (await fn.call(
      'onBatch',
      [registration, samples.identify.priya, samples.registrationStarted.app, samples.identify.tom],
      ortto()
    )) as Array<{ status: number; errormessage?: string }>
    expect(statuses.map((s) => s.status)).toEqual([503, 200, 503, 200])
    expect(statuses[0].errormessage).toMatch(/^RetryError: /)
    expect(sandbox.records.ortto().activities).toEqual([])
  })
})

/** A record as it would be in another run: no timestamps, no random ids. */
function comparable(value: unknown): unknown {
  const volatile = new Set(['CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'created', 'updated'])
  return JSON.parse(
    JSON.stringify(value, (key, v) => (volatile.has(key) ? undefined : v)).replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      '<uuid>'
    )
  )
}

describe.each(Object.keys(destinations))('every tracking-plan sample through the %s bundle', (key) => {
  const def = destinations[key]
  let reference: Sandbox

  beforeAll(async () => {
    reference = await startSandbox()
    process.env.JLP_ALLOW_LOOPBACK = '1'
  })
  afterAll(async () => {
    delete process.env.JLP_ALLOW_LOOPBACK
    await reference.stop()
  })

  it('answers as the in-process runner does and leaves the same records', async () => {
    const fn = await loadBundle(key, { env: LOOPBACK })
    const presets = presetSubscriptions(def)
    const results: string[] = []
    for (const { label, event } of allSamples) {
      const got = await fn.call(handlerFor(event), event, settingsFor(sandbox)[key]).then(
        (value) => ({ value }),
        (error: Error) => ({ error: error.name, message: error.message })
      )
      let expected: unknown
      const settings = { ...settingDefaults(def), ...settingsFor(reference)[key] } as JSONObject
      if (matchingPresets(presets, event).length === 0) {
        const what = event.type === 'track' ? `track "${event.event}"` : event.type
        expected = { error: 'EventNotSupported', message: `No chosen preset of ${def.name} handles ${what}.` }
      } else {
        const runs = await runEvent(def, event, settings, presets)
        const failure = failureOf(runs)
        expected = failure
          ? { error: failure.error, message: failure.message }
          : { value: { presets: runs.map((r) => ({ preset: r.preset, action: r.action, outcome: r.outcome })) } }
      }
      expect({ label, ...(comparable(got) as object) }).toEqual({ label, ...(comparable(expected) as object) })
      results.push('error' in got ? got.error : 'delivered')
    }
    const tally = results.reduce<Record<string, number>>((t, r) => ({ ...t, [r]: (t[r] ?? 0) + 1 }), {})
    console.log(`${key}: ${allSamples.length} samples through the bundle: ${JSON.stringify(tally)}`)
    expect(tally.delivered).toBeGreaterThan(0)
    expect(comparable(sandbox.records.salesforce())).toEqual(comparable(reference.records.salesforce()))
    expect(comparable(sandbox.records.ortto())).toEqual(comparable(reference.records.ortto()))
  }, 60_000)
})
