import { createServer } from 'http'
import type { AddressInfo } from 'net'
import { startServer, type RunningServer } from '../serve'
import { UsageError } from '../usage-error'
import { fixture, GOOD_KEY, startFixtureVendor, type FixtureVendor } from './fixture'

let vendor: FixtureVendor
let server: RunningServer
let rootServer: RunningServer
const log: string[] = []

beforeAll(async () => {
  vendor = await startFixtureVendor()
  const defaultSettings = () => ({ baseUrl: vendor.url, apiKey: GOOD_KEY })
  server = await startServer({ destinations: { fixture }, defaultSettings, port: 0, log: (l) => log.push(l) })
  rootServer = await startServer({ destinations: { fixture }, defaultSettings, port: 0, root: 'fixture' })
})

afterAll(async () => {
  await server.close()
  await rootServer.close()
  await vendor.close()
})

beforeEach(() => {
  vendor.calls.length = 0
  vendor.supporters.clear()
  log.length = 0
})

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json()) as any, headers: res.headers } // eslint-disable-line @typescript-eslint/no-explicit-any
}

const track = (event: string, properties: Record<string, unknown>) => ({
  type: 'track',
  event,
  properties,
  messageId: `m-${event}-${String(properties.email)}`,
  timestamp: '2026-11-01T10:00:00Z'
})

describe('serve: manifests', () => {
  it('lists every destination at /manifest and one at /{destination}/manifest, without functions', async () => {
    const all = (await (await fetch(`${server.url}/manifest`)).json()) as any // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(all.destinations)).toEqual(['fixture'])
    const one = (await (await fetch(`${server.url}/fixture/manifest`)).json()) as any // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(one).toMatchObject({ name: 'Fixture', directoryName: 'fixture' })
    expect(one.actions.remember.title).toBe('Remember supporter')
    expect(one.actions.remember.perform).toBeUndefined()
  })

  it('answers the unprefixed upstream routes for the root destination (the Actions Tester)', async () => {
    const one = (await (await fetch(`${rootServer.url}/manifest`)).json()) as any // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(one.name).toBe('Fixture')
    const { body } = await post(`${rootServer.url}/remember`, { payload: track('Signed Up', { email: 'root@x.org' }) })
    expect(body).toHaveLength(1)
    expect(vendor.supporters.has('root@x.org')).toBe(true)
  })
})

describe('serve: actions', () => {
  it('runs one payload with the default mapping and returns the HTTP exchanges with the key redacted', async () => {
    const { status, body } = await post(`${server.url}/fixture/remember`, {
      payload: track('Signed Up', { email: 'jane@x.org', plan: 'monthly' })
    })
    expect(status).toBe(200)
    expect(body).toHaveLength(1)
    expect(body[0].request).toMatchObject({ method: 'POST', url: `${vendor.url}/people` })
    expect(body[0].request.headers['x-api-key']).toBe('<redacted>')
    expect(body[0].request.body).toEqual({ people: [{ email: 'jane@x.org', plan: 'monthly' }] })
    expect(body[0].response.statusCode).toBe(200)
    expect(JSON.stringify(body)).not.toContain(GOOD_KEY)
    expect(vendor.supporters.get('jane@x.org')).toEqual({ plan: 'monthly', writes: 1 })
    expect(log).toEqual(['POST /fixture/remember 200 — Supporter created'])
  })

  it('uses a mapping sent in the request over the field defaults', async () => {
    await post(`${server.url}/fixture/remember`, {
      payload: track('Signed Up', { email: 'jane@x.org', tier: 'weekly' }),
      mapping: { plan: { '@path': '$.properties.tier' } }
    })
    expect(vendor.supporters.get('jane@x.org')?.plan).toBe('weekly')
  })

  it('runs a batch when the payload is an array: one vendor call, a status per event', async () => {
    const { body } = await post(`${server.url}/fixture/remember?detail=1`, {
      payload: [
        track('Signed Up', { email: 'a@x.org' }),
        track('Signed Up', { plan: 'no email' }),
        track('Signed Up', { email: 'b@x.org' })
      ]
    })
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([200, 400, 200])
    expect(body.results[0].body).toMatchObject({ summary: 'Supporter created' })
    expect(body.results[1].errormessage).toMatch(/email/)
    expect(body.exchanges).toHaveLength(1)
    expect(vendor.calls).toEqual([{ method: 'POST', path: '/people', status: 200 }])
    expect([...vendor.supporters.keys()]).toEqual(['a@x.org', 'b@x.org'])
    expect(log[0]).toBe('POST /fixture/remember 200 — batch of 3: 2 ok, 1 failed')
  })

  it('reports an action failure in upstream’s error shape', async () => {
    const { status, body } = await post(`${server.url}/fixture/remember`, {
      payload: track('Signed Up', { email: 'not-an-email' })
    })
    expect(status).toBe(200)
    expect(body).toEqual([
      expect.objectContaining({
        statusCode: 400,
        name: 'PayloadValidationError',
        message: '"not-an-email" is not an email address',
        requestError: true
      })
    ])
  })

  it('lists a dynamic field’s choices', async () => {
    const { status, body } = await post(`${server.url}/fixture/remember/plan`, {})
    expect(status).toBe(200)
    expect(body.choices).toEqual([
      { label: 'monthly', value: 'monthly' },
      { label: 'weekly', value: 'weekly' }
    ])
  })
})

describe('serve: authentication', () => {
  it('accepts good credentials, sent as {settings} or as the body itself (upstream)', async () => {
    expect((await post(`${server.url}/fixture/authenticate`, { settings: { apiKey: GOOD_KEY } })).body).toEqual({
      ok: true
    })
    expect((await post(`${server.url}/fixture/authenticate`, { apiKey: GOOD_KEY })).body).toEqual({ ok: true })
    expect(vendor.calls).toEqual([
      { method: 'GET', path: '/me', status: 200 },
      { method: 'GET', path: '/me', status: 200 }
    ])
  })

  it('reports rejected credentials without echoing them', async () => {
    const { status, body } = await post(`${server.url}/fixture/authenticate`, { settings: { apiKey: 'wrong-key-123' } })
    expect(status).toBe(200)
    expect(body.ok).toBe(false)
    expect(body.error).toMatch(/Credentials are invalid: 401/)
    expect(JSON.stringify(body)).not.toContain('wrong-key-123')
    expect(log[0]).toMatch(/^POST \/fixture\/authenticate 200 — authentication failed/)
  })

  it('says refreshAccessToken needs OAuth for a destination that has none', async () => {
    const { status, body } = await post(`${server.url}/fixture/refreshAccessToken`, { settings: {} })
    expect(status).toBe(400)
    expect(body).toEqual({ ok: false, error: 'refreshAccessToken is only valid with oauth2 authentication scheme' })
  })
})

describe('serve: CORS for the hosted Actions Tester', () => {
  it('answers a preflight from app.segment.com, including Chrome’s private-network question', async () => {
    const res = await fetch(`${server.url}/fixture/remember`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.segment.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
        'Access-Control-Request-Private-Network': 'true'
      }
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.segment.com')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-private-network')).toBe('true')
  })

  it('gives other origins no CORS headers', async () => {
    const res = await fetch(`${server.url}/manifest`, { headers: { Origin: 'https://evil.example' } })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${server.url}/manifest`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example' }
    })
    expect(preflight.status).toBe(403)
  })
})

describe('serve: bad requests', () => {
  it('names an unknown destination and the known ones', async () => {
    const { status, body } = await post(`${server.url}/jlp-nowhere/remember`, {})
    expect(status).toBe(404)
    expect(body.error).toBe('Unknown destination "jlp-nowhere". Available: fixture')
  })

  it('names an unknown action and lists the actions', async () => {
    const { status, body } = await post(`${server.url}/fixture/forget`, {})
    expect(status).toBe(404)
    expect(body.error).toBe(
      'fixture has no action "forget". Actions: remember; other routes: manifest, authenticate, refreshAccessToken'
    )
  })

  it('says when the body is not JSON', async () => {
    const { status, body } = await post(`${server.url}/fixture/remember`, '{"payload": ')
    expect(status).toBe(400)
    expect(body.error).toMatch(/^The request body is not valid JSON/)
  })

  it('says when the port is busy', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    const attempt = startServer({ destinations: { fixture }, port })
    await expect(attempt).rejects.toThrow(UsageError)
    await expect(attempt).rejects.toThrow(
      `The serve port ${port} is busy (another program is using it): pass --port <n> (or PORT=<n>), or stop the other program`
    )
    await new Promise((resolve) => blocker.close(resolve))
  })
})
