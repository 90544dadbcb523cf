// `npm run serve` with the real destinations and the sandbox behind them: the upstream routes, a batch, and
// authentication failures, as curl or the Actions Tester would use them.
import { serveCommand, type Serving } from '@jlp/runner'
import { getSample, samples } from '@jlp/tracking-plan'
import { realRun, type Run } from './harness'

let run: Run
let serving: Serving

beforeAll(async () => {
  run = realRun()
  const started = await serveCommand(['--port', '0'], run.ctx)
  if (typeof started === 'number') throw new Error('serve did not start')
  serving = started
}, 60_000)
afterAll(async () => {
  await serving.close()
  await run.stop()
})

const post = async (route: string, body: unknown) => {
  const res = await fetch(`${serving.server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json()) as any } // eslint-disable-line @typescript-eslint/no-explicit-any
}

it('lists both destinations and their actions', async () => {
  const manifest = (await (await fetch(`${serving.server.url}/manifest`)).json()) as {
    destinations: Record<string, { name: string; actions: Record<string, unknown> }>
  }
  expect(Object.keys(manifest.destinations)).toEqual(['jlp-salesforce', 'jlp-ortto'])
  expect(Object.keys(manifest.destinations['jlp-ortto'].actions)).toContain('trackOrttoActivity')
})

it('runs an Ortto batch against the sandbox: one request, a result per event', async () => {
  const events = Object.values(samples.productAdded)
  const before = run.sandbox!.audit.calls('ortto')
  const { status, body } = await post('/jlp-ortto/trackOrttoActivity?detail=1', {
    payload: events,
    mapping: { enable_batching: true }
  })
  expect(status).toBe(200)
  expect(body.results.map((r: { status: number }) => r.status)).toEqual(events.map(() => 200))
  expect(run.sandbox!.audit.calls('ortto') - before).toBe(1)
  expect(run.sandbox!.records.ortto().activities).toHaveLength(events.length)
  expect(JSON.stringify(body)).not.toContain(run.sandbox!.ortto.apiKey)
})

it('runs one Salesforce event with the sandbox as default settings and redacts the token', async () => {
  const { body } = await post('/jlp-salesforce/syncEventCampaign', {
    payload: getSample('Ticket Purchase Completed', 'three-tickets')
  })
  expect(body.length).toBeGreaterThan(0)
  expect(body.every((x: { response?: unknown }) => x.response)).toBe(true)
  const composite = body.find((x: { request: { url: string } }) => x.request.url.includes('/composite'))
  expect(composite.request.headers.authorization).toBe('<redacted>')
  expect(run.sandbox!.records.salesforce('Opportunity').length).toBeGreaterThanOrEqual(3)
})

it('accepts the sandbox credentials and refuses wrong ones, naming the problem', async () => {
  expect((await post('/jlp-ortto/authenticate', {})).body).toEqual({ ok: true })
  expect((await post('/jlp-salesforce/authenticate', {})).body).toEqual({ ok: true })

  const ortto = await post('/jlp-ortto/authenticate', { settings: { apiKey: 'not-the-key-42' } })
  expect(ortto.body.ok).toBe(false)
  expect(ortto.body.error).toMatch(/API key/)
  expect(JSON.stringify(ortto.body)).not.toContain('not-the-key-42')

  const salesforce = await post('/jlp-salesforce/authenticate', { settings: { clientSecret: 'wrong-secret-42' } })
  expect(salesforce.body.ok).toBe(false)
  expect(JSON.stringify(salesforce.body)).not.toContain('wrong-secret-42')
})
