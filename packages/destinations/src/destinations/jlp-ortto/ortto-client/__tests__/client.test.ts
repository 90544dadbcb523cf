import {
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError,
  createRequestClient
} from '@segment/actions-core'
import nock from 'nock'
import {
  ORTTO_HOSTS,
  OrttoClient,
  chunkWrites,
  onlyResult,
  orttoBaseUrl,
  toMultiStatus,
  type OrttoActivity,
  type OrttoWrite
} from '..'

const SECRET = 'ortto-test-key-SECRET-7f3a'
const request = createRequestClient()
const client = (settings: Record<string, string> = {}) => new OrttoClient(request, { apiKey: SECRET, ...settings })

const activity = (i: number, extra: Partial<OrttoActivity> = {}): OrttoWrite<OrttoActivity> => ({
  body: {
    activity_id: 'act:cm:product-added',
    attributes: { 'str:cm:draw-no': `D${i}` },
    fields: { 'str::email': `s${i}@example.org` },
    key: `msg-${i}`,
    ...extra
  },
  mergeBy: ['str::email']
})

const ingested = (n: number) => ({
  activities: Array.from({ length: n }, (_, i) => ({
    person_id: `p${i}`,
    status: 'ingested',
    person_status: 'updated',
    activity_id: 'act:cm:product-added'
  }))
})

describe('hosts', () => {
  it.each([
    ['default', 'https://api.ap3api.com'],
    ['au', 'https://api.au.ap3api.com'],
    ['eu', 'https://api.eu.ap3api.com']
  ])('region %s sends to %s with the API key header', async (region, host) => {
    const scope = nock(host, { reqheaders: { 'x-api-key': SECRET, 'content-type': /application\/json/ } })
      .post('/v1/activities/create')
      .reply(200, ingested(1))
    await client({ region }).createActivities([activity(1)])
    expect(scope.isDone()).toBe(true)
  })

  it('accepts an override that is an Ortto host', () => {
    expect(orttoBaseUrl({ region: 'default', baseUrl: 'https://api.eu.ap3api.com/' })).toBe(ORTTO_HOSTS.eu)
  })

  it('accepts loopback only when JLP_ALLOW_LOOPBACK=1', () => {
    const settings = { baseUrl: 'http://127.0.0.1:4010' }
    expect(() => orttoBaseUrl(settings, {})).toThrow(IntegrationError)
    expect(orttoBaseUrl(settings, { JLP_ALLOW_LOOPBACK: '1' })).toBe('http://127.0.0.1:4010')
    expect(orttoBaseUrl({ baseUrl: 'http://localhost:9' }, { JLP_ALLOW_LOOPBACK: '1' })).toBe('http://localhost:9')
  })

  it.each([
    'https://evil.example.com',
    'http://api.ap3api.com',
    'https://api.ap3api.com.evil.io',
    'http://10.0.0.1:80'
  ])('refuses %s before any request carries the key', (baseUrl) => {
    expect(() => client({ baseUrl })).toThrow(/is not an Ortto host/)
  })

  it('refuses an unknown region', () => {
    expect(() => client({ region: 'mars' })).toThrow(/Unknown Ortto region "mars"/)
  })
})

describe('chunking', () => {
  it('sends 250 activities as 3 requests of 100, 100 and 50, results in input order', async () => {
    const sizes: number[] = []
    nock(ORTTO_HOSTS.default)
      .post('/v1/activities/create', (body) => {
        sizes.push(body.activities.length)
        return body.merge_by[0] === 'str::email' && body.async === false
      })
      .times(3)
      .reply(200, (_uri, body) => ingested((body as { activities: unknown[] }).activities.length))
    const c = client()
    const results = await c.createActivities(Array.from({ length: 250 }, (_, i) => activity(i)))
    expect(sizes).toEqual([100, 100, 50])
    expect(c.apiCalls).toBe(3)
    expect(results).toHaveLength(250)
    expect(results.every((r) => r.ok)).toBe(true)
    expect(results[149]).toMatchObject({ ok: true, personId: 'p49' })
  })

  it('splits by bytes before Ortto’s 2 MB request limit', () => {
    const big = (i: number) => ({ index: i, write: activity(i, { attributes: { 'txt:cm:d': 'x'.repeat(15_000) } }) })
    const chunks = chunkWrites(Array.from({ length: 150 }, (_, i) => big(i)))
    expect(chunks.length).toBe(2)
    expect(chunks[0].length).toBeLessThan(150)
    expect(chunks.flat()).toEqual(Array.from({ length: 150 }, (_, i) => i))
  })

  it('sends items with different merge keys in separate requests', () => {
    const byId = { index: 1, write: { ...activity(1), mergeBy: ['str::ei'] } }
    expect(chunkWrites([{ index: 0, write: activity(0) }, byId, { index: 2, write: activity(2) }])).toEqual([
      [0, 2],
      [1]
    ])
  })

  it('merges people in requests of 100 with the merge strategy', async () => {
    const bodies: Array<{ people: unknown[]; merge_strategy: number; merge_by: string[] }> = []
    nock(ORTTO_HOSTS.default)
      .post('/v1/person/merge', (body) => {
        bodies.push(body)
        return true
      })
      .times(2)
      .reply(200, (_uri, body) => ({
        people: (body as { people: unknown[] }).people.map((_, i) => ({ person_id: `p${i}`, status: 'merged' }))
      }))
    const people = Array.from({ length: 101 }, (_, i) => ({
      body: { fields: { 'str::email': `s${i}@example.org` } },
      mergeBy: ['str::email']
    }))
    const results = await client().mergePeople(people, 1)
    expect(bodies.map((b) => b.people.length)).toEqual([100, 1])
    expect(bodies[0]).toMatchObject({ merge_strategy: 1, merge_by: ['str::email'], async: false })
    expect(results[100]).toMatchObject({ ok: true, status: 'merged' })
  })
})

describe('errors', () => {
  const send = () =>
    client()
      .createActivities([activity(1)])
      .then(onlyResult)
  const answer = (status: number, body: unknown) =>
    nock(ORTTO_HOSTS.default)
      .post('/v1/activities/create')
      .reply(status, body as nock.Body)

  it.each([401, 403])('%s is an authentication error that names the key, never its value', async (status) => {
    answer(status, { error: 'invalid api key' })
    const err = await send().catch((e) => e)
    expect(err).toBeInstanceOf(InvalidAuthenticationError)
    expect(err.message).toMatch(/refused the API key .*invalid api key/)
    expect(JSON.stringify(err)).not.toContain(SECRET)
    expect(err.message).not.toContain(SECRET)
  })

  it('429 is retryable and says when Ortto asks to retry', async () => {
    answer(429, { error: { code: 'rate-limit', message: 'rate limit', 'try-in-seconds': 10 } })
    const err = await send().catch((e) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.status).toBe(429)
    expect(err.message).toMatch(/retry in 10s/)
  })

  it.each([500, 502, 503, 504])('%s is retryable', async (status) => {
    answer(status, 'upstream hiccup')
    await expect(send()).rejects.toBeInstanceOf(RetryableError)
  })

  it('400 is a payload error naming the field Ortto complained about', async () => {
    answer(400, { error: 'invalid value for field int:cm:draw-no: expected integer' })
    const err = await send().catch((e) => e)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message).toMatch(/\(field int:cm:draw-no\)/)
  })

  it('a 400 whose message quotes a 5,000-character value gives a short message', async () => {
    answer(400, { error: `invalid value for field str:cm:note: ${'x'.repeat(5_000)}` })
    const err = await send().catch((e) => e)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message.length).toBeLessThan(500)
    expect(err.message).toMatch(/\(field str:cm:note\): invalid value for field str:cm:note: x+…\.$/)
  })

  it('413 says the request is over 2 MB', async () => {
    answer(413, '')
    await expect(send()).rejects.toThrow(/over Ortto’s 2 MB limit/)
  })

  it('a connection failure or timeout is retryable and leaks nothing of the request', async () => {
    // A request client that fails the way actions-core's does: the error carries the request options (and key).
    const failing = (async (_url: string, options: unknown) => {
      throw Object.assign(new Error('Request timed out after 10000ms'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
        options
      })
    }) as unknown as typeof request
    const err = await new OrttoClient(failing, { apiKey: SECRET })
      .createActivities([activity(1)])
      .then(onlyResult)
      .catch((e) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toMatch(/No answer from Ortto .*ETIMEDOUT/)
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(SECRET)
  })

  it('an unexpected status is an integration error with that status', async () => {
    answer(404, { error: 'not found' })
    await expect(send()).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/answered 404/) })
  })

  it('no API key fails before any request', async () => {
    await expect(new OrttoClient(request, { apiKey: '' }).testAuthentication()).rejects.toBeInstanceOf(
      InvalidAuthenticationError
    )
  })
})

describe('per-item results', () => {
  it('a rejected item fails on its own and throws in single mode', async () => {
    nock(ORTTO_HOSTS.default)
      .post('/v1/activities/create')
      .reply(200, { activities: [{ status: 'error', error: 'activity act:cm:product-added is not defined' }] })
    const err = await client()
      .createActivities([activity(1)])
      .then(onlyResult)
      .catch((e) => e)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message).toMatch(/field act:cm:product-added.*is not defined/)
  })

  it('validates items before sending: a missing merge key or too many attributes fails only that item', async () => {
    nock(ORTTO_HOSTS.default)
      .post('/v1/activities/create', (body) => body.activities.length === 1)
      .reply(200, ingested(1))
    const noEmail = { ...activity(2), body: { ...activity(2).body, fields: {} } }
    const attributes = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`str:cm:a${i}`, 'x']))
    const wide = activity(3, { attributes })
    const huge = activity(4, { attributes: { 'txt:cm:d': 'x'.repeat(17_000) } })
    const results = await client().createActivities([activity(1), noEmail, wide, huge])
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false])
    const messages = results.map((r) => (r.ok ? '' : r.error.message))
    expect(messages[1]).toMatch(/no str::email/)
    expect(messages[2]).toMatch(/16 attributes; Ortto takes at most 15/)
    expect(messages[3]).toMatch(/at most 16384 bytes/)
  })

  it('builds a MultiStatusResponse with Ortto’s per-item outcome', async () => {
    nock(ORTTO_HOSTS.default)
      .post('/v1/activities/create')
      .reply(200, {
        activities: [
          { person_id: 'p1', status: 'ingested', person_status: 'created' },
          { status: 'rejected', error: 'attribute str:cm:brand is too long' }
        ]
      })
    const items = [activity(1), activity(2), new PayloadValidationError('no email')]
    const results = await client().createActivities(items)
    const multi = toMultiStatus(results, items, (r) => ({ summary: `ok ${r.personId}`, records: [] }))
    expect(multi.getAllResponses().map((r) => r.value())).toEqual([
      {
        status: 200,
        sent: items[0] && (items[0] as OrttoWrite<OrttoActivity>).body,
        body: { summary: 'ok p1', records: [] }
      },
      expect.objectContaining({
        status: 400,
        errortype: 'PAYLOAD_VALIDATION_FAILED',
        errormessage: expect.stringMatching(/str:cm:brand is too long/)
      }),
      expect.objectContaining({ status: 400, errortype: 'PAYLOAD_VALIDATION_FAILED', errormessage: 'no email' })
    ])
  })

  it('after a rate limit the rest of the batch is not sent and is marked retryable', async () => {
    const scope = nock(ORTTO_HOSTS.default)
      .post('/v1/activities/create')
      .reply(200, ingested(100))
      .post('/v1/activities/create')
      .reply(429, { error: { code: 'rate-limit', message: 'rate limit', 'try-in-seconds': 10 } })
    const c = client()
    const results = await c.createActivities(Array.from({ length: 250 }, (_, i) => activity(i)))
    expect(scope.isDone()).toBe(true)
    expect(c.apiCalls).toBe(2)
    expect(results.slice(0, 100).every((r) => r.ok)).toBe(true)
    expect(results.slice(100).every((r) => !r.ok && r.error instanceof RetryableError)).toBe(true)
  })

  it('an authentication failure in a batch fails the whole batch', async () => {
    nock(ORTTO_HOSTS.default).post('/v1/activities/create').reply(401, { error: 'unauthorised' })
    await expect(client().createActivities([activity(1), activity(2)])).rejects.toBeInstanceOf(
      InvalidAuthenticationError
    )
  })

  it('a missing item in Ortto’s answer is a retryable failure, not a success', async () => {
    nock(ORTTO_HOSTS.default).post('/v1/activities/create').reply(200, ingested(1))
    const results = await client().createActivities([activity(1), activity(2)])
    expect(results[0].ok).toBe(true)
    expect(results[1]).toMatchObject({ ok: false, error: expect.any(RetryableError) })
  })
})

describe('authentication test and definitions', () => {
  it('checks the key with one cheap read', async () => {
    const scope = nock(ORTTO_HOSTS.au)
      .post('/v1/person/get', { limit: 1, fields: ['str::email'] })
      .reply(200, { contacts: [] })
    await client({ region: 'au' }).testAuthentication()
    expect(scope.isDone()).toBe(true)
  })

  it('creates and modifies activity definitions', async () => {
    const def = {
      name: 'product-added',
      icon_id: 'happy-illustration-icon',
      track_conversion_value: true,
      touch: true,
      filterable: true,
      visible_in_feeds: true,
      display_style: { type: 'activity' as const },
      attributes: [{ name: 'draw-no', display_type: 'text', field_id: 'do-not-map' }]
    }
    const scope = nock(ORTTO_HOSTS.default)
      .post('/v1/definitions/activity/create', def)
      .reply(200, { custom_activity: { activity_field_id: 'act:cm:product-added' } })
      .put('/v1/definitions/activity/modify', def)
      .reply(200, {})
    await client().createActivityDefinition(def)
    await client().modifyActivityDefinition(def)
    expect(scope.isDone()).toBe(true)
  })
})
