// The jlp-ortto bundle in the vm harness, with Ortto answered by nock: what it sends, what it returns, and how
// Ortto's failures reach Segment (RetryError is retried; everything else is discarded with a reason).
import nock from 'nock'
import { samples } from '@jlp/tracking-plan'
import { RetryError, ValidationError, EventNotSupported } from '../harness'
import { loadBundle, timed } from './fixture'

const HOST = 'https://api.ap3api.com'
const API_KEY = 'ortto-key-that-stays-secret'
const settings = { apiKey: API_KEY, region: 'default' }
const identify = samples.identify.priya
const registration = samples.registrationStarted.web
const withoutEmail = { ...identify, messageId: 'no-email', traits: { firstName: 'Nobody' }, context: {} }

function ortto(status = 200) {
  const sent: Array<{ path: string; body: Record<string, any> }> = []
  const record = (path: string) => (body: Record<string, any>) => {
    sent.push({ path, body })
    return true
  }
  nock(HOST, { reqheaders: { 'x-api-key': API_KEY } })
    // The consent stamp read before a permission is written (nobody has one yet).
    .post('/v1/person/get', record('person/get'))
    .reply(status, { contacts: [] })
    .persist()
    .post('/v1/person/merge', record('person/merge'))
    .reply(status, (_uri, body: any) =>
      status === 200 ? { people: body.people.map(() => ({ status: 'merged', person_id: 'p-1' })) } : { error: 'down' }
    )
    .persist()
    .post('/v1/activities/create', record('activities/create'))
    .reply(status, (_uri, body: any) =>
      status === 200 ? { activities: body.activities.map(() => ({ status: 'ingested', person_id: 'p-1' })) } : {}
    )
    .persist()
  return sent
}

describe('jlp-ortto as a Destination Function (Ortto answered by nock)', () => {
  it('merges an identified supporter and says what it did; prints cold-start and per-event times', async () => {
    const sent = ortto()
    const load = await timed(() => loadBundle('jlp-ortto'))
    const fn = load.value!
    const first = await timed(() => fn.call('onIdentify', identify, settings))
    const second = await timed(() => fn.call('onTrack', registration, settings))
    console.log(
      `jlp-ortto cold start: load ${fn.loadMs.toFixed(0)} ms + first event ${first.ms.toFixed(0)} ms; ` +
        `next event ${second.ms.toFixed(0)} ms`
    )
    expect(first.error).toBeUndefined()
    expect(first.value).toEqual({
      presets: [
        {
          preset: 'Identify → Ortto person',
          action: 'upsertOrttoPerson',
          outcome: expect.objectContaining({ summary: 'Ortto person p-1 updated' })
        }
      ]
    })
    expect(second.value).toMatchObject({ presets: [{ preset: 'Registration Started → Ortto activity' }] })
    // Each write that carries Priya's email permission first reads the consent stamp.
    expect(sent.map((s) => s.path)).toEqual(['person/get', 'person/merge', 'person/get', 'activities/create'])
    expect(sent[1].body.people[0].fields['str::email']).toBe(identify.traits.email)
    expect(sent[3].body.activities[0].activity_id).toBe('act:cm:registration-started')
  })

  it.each([
    [503, 'Ortto is unavailable (503)'],
    [429, 'Ortto rate limit reached']
  ])('turns Ortto %i into a RetryError', async (status, message) => {
    ortto(status)
    const fn = await loadBundle('jlp-ortto')
    const call = fn.call('onIdentify', identify, settings)
    await expect(call).rejects.toBeInstanceOf(RetryError)
    await expect(call).rejects.toThrow(message)
  })

  it('discards a bad payload with a ValidationError a CSM can read, sending nothing', async () => {
    const sent = ortto()
    const fn = await loadBundle('jlp-ortto')
    const call = fn.call('onIdentify', withoutEmail, settings)
    await expect(call).rejects.toBeInstanceOf(ValidationError)
    await expect(call).rejects.toThrow(/^Identify → Ortto person: /)
    expect(sent).toEqual([])
  })

  it('discards when Ortto refuses the key, without repeating the key', async () => {
    ortto(401)
    const fn = await loadBundle('jlp-ortto')
    const error = (await fn.call('onIdentify', identify, settings).catch((e: Error) => e)) as Error
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.message).toContain('Ortto refused the API key')
    expect(error.message).not.toContain(API_KEY)
  })

  it('runs only the presets chosen in the Function settings', async () => {
    const sent = ortto()
    const fn = await loadBundle('jlp-ortto')
    const only = { ...settings, presets: ['Identify → Ortto person'] }
    await expect(fn.call('onTrack', registration, only)).rejects.toBeInstanceOf(EventNotSupported)
    await fn.call('onIdentify', identify, only)
    expect(sent.map((s) => s.path)).toEqual(['person/get', 'person/merge'])
  })

  it('returns one status per event of a batch, in order, and one request per action', async () => {
    const sent = ortto()
    const fn = await loadBundle('jlp-ortto')
    const statuses = await fn.call(
      'onBatch',
      [identify, registration, { type: 'page', name: 'Home' }, withoutEmail, samples.identify.tom],
      settings
    )
    expect(statuses).toEqual([
      { status: 200 },
      { status: 200 },
      { status: 400, errormessage: 'EventNotSupported: no chosen preset handles page.' },
      { status: 400, errormessage: expect.stringMatching(/^ValidationError: Identify → Ortto person: /) },
      { status: 200 }
    ])
    expect(
      sent.filter((s) => s.path !== 'person/get').map((s) => [s.path, (s.body.people ?? s.body.activities).length])
    ).toEqual([
      ['activities/create', 1],
      ['person/merge', 2]
    ])
  })

  it('marks the events of a failed batch call retryable and leaves the others delivered', async () => {
    nock(HOST)
      .post('/v1/person/get')
      .reply(200, { contacts: [] })
      .persist()
      .post('/v1/person/merge')
      .reply(200, (_uri, body: any) => ({ people: body.people.map(() => ({ status: 'created', person_id: 'p' })) }))
      .post('/v1/activities/create')
      .reply(502, 'Bad Gateway')
    const fn = await loadBundle('jlp-ortto')
    const statuses = (await fn.call('onBatch', [registration, identify], settings)) as Array<{ status: number }>
    expect(statuses.map((s) => s.status)).toEqual([502, 200])
    expect(statuses[0]).toMatchObject({ errormessage: expect.stringMatching(/^RetryError: /) })
  })

  it('cannot be pointed at a loopback host by a setting: only the harness env allows it', async () => {
    const local = { ...settings, baseUrl: 'http://127.0.0.1:9' }
    const fn = await loadBundle('jlp-ortto')
    await expect(fn.call('onIdentify', identify, local)).rejects.toThrow('is not an Ortto host')
    nock('http://127.0.0.1:9')
      .post('/v1/person/get')
      .reply(200, { contacts: [] })
      .post('/v1/person/merge')
      .reply(200, { people: [{ status: 'created', person_id: 'p' }] })
    const harnessed = await loadBundle('jlp-ortto', { env: { JLP_ALLOW_LOOPBACK: '1' } })
    await expect(harnessed.call('onIdentify', identify, local)).resolves.toMatchObject({ presets: [{}] })
  })
})
