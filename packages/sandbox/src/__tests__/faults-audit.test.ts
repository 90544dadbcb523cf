// Fault injection (each kind, vendor shapes, determinism, scoping) and the audit (costs, log without secrets).
import { FAULT_KINDS, startSandbox, type FaultKind, type Sandbox } from '..'
import { orttoClient, salesforceClient, tokenRequest, useSandbox } from './helpers'

const current = useSandbox({ faults: { slowMs: 5 } })
const lead = { LastName: 'Lee', Company: 'Acme' }
const once = (kind: FaultKind | null, match = '/sobjects/Lead') =>
  current().setFaults({ slowMs: 5, rules: [{ match, sequence: [kind] }] })
const leads = () => current().records.salesforce('Lead')

afterEach(() => current().setFaults({ slowMs: 5 }))

describe('faults answer before any write', () => {
  it.each([
    ['unavailable', 503, 'SERVER_UNAVAILABLE'],
    ['rateLimited', 429, 'REQUEST_LIMIT_EXCEEDED'],
    ['requestLimit', 403, 'REQUEST_LIMIT_EXCEEDED'],
    ['lockRow', 400, 'UNABLE_TO_LOCK_ROW'],
    ['invalidSession', 401, 'INVALID_SESSION_ID']
  ] as const)('%s → %d %s, nothing written, not charged', async (kind, status, errorCode) => {
    once(kind)
    const sf = salesforceClient(current())
    const res = await sf('POST', '/sobjects/Lead', lead)
    expect(res.status).toBe(status)
    expect(res.body).toEqual([{ message: expect.any(String), errorCode, fields: [] }])
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/)
    if (kind === 'rateLimited') expect(res.headers.get('retry-after')).toBe('1')
    expect(leads()).toEqual([])
    expect(current().audit.log()).toEqual([
      expect.objectContaining({ status, fault: kind, cost: 0, endpoint: 'POST /sobjects/Lead' })
    ])
    // The rule's sequence is used up: the retry goes through.
    expect((await sf('POST', '/sobjects/Lead', lead)).status).toBe(201)
  })

  it('reset: the connection drops before the handler runs', async () => {
    once('reset')
    await expect(salesforceClient(current())('POST', '/sobjects/Lead', lead)).rejects.toThrow()
    expect(leads()).toEqual([])
    expect(current().audit.log()).toEqual([expect.objectContaining({ status: 0, fault: 'reset', cost: 0 })])
  })

  it('lostResponse: the write is applied, then the connection drops (a retry must be idempotent)', async () => {
    once('lostResponse', '/sobjects/Contact/JLP_Supporter_Id__c')
    const sf = salesforceClient(current())
    const upsert = () => sf('PATCH', '/sobjects/Contact/JLP_Supporter_Id__c/S-1', { LastName: 'Lee' })
    await expect(upsert()).rejects.toThrow()
    expect(current().records.salesforce('Contact')).toHaveLength(1)
    expect((await upsert()).status).toBe(200)
    expect(current().records.salesforce('Contact')).toHaveLength(1)
    expect(
      current()
        .audit.log()
        .map((e) => [e.status, e.fault, e.cost])
    ).toEqual([
      [0, 'lostResponse', 1],
      [200, undefined, 1]
    ])
  })

  it('slow: answers normally after a delay', async () => {
    once('slow')
    expect((await salesforceClient(current())('POST', '/sobjects/Lead', lead)).status).toBe(201)
    expect(current().audit.log()[0]).toMatchObject({ status: 201, fault: 'slow' })
  })

  it('Ortto endpoints get Ortto-shaped 429 and 503; kinds Ortto lacks pass through', async () => {
    const sandbox = current()
    sandbox.setFaults({
      retryAfterSeconds: 7,
      rules: [{ vendor: 'ortto', sequence: ['rateLimited', 'unavailable', 'invalidSession'] }]
    })
    const ortto = orttoClient(sandbox)
    const body = { people: [{ fields: { 'str::email': 'sam@example.org' } }], merge_by: ['str::email'] }
    const limited = await ortto('person/merge', body)
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({ error: { code: 'rate-limit', message: 'rate limit', 'try-in-seconds': 7 } })
    const down = await ortto('person/merge', body)
    expect(down.status).toBe(503)
    expect(down.body).toMatchObject({ code: 503, error: expect.any(String) })
    expect(sandbox.records.ortto().people).toEqual([])
    expect((await ortto('person/merge', body)).status).toBe(200)
    expect(sandbox.records.ortto().people).toHaveLength(1)
  })
})

describe('fault decisions', () => {
  const run = async (sandbox: Sandbox, n: number) => {
    const sf = salesforceClient(sandbox)
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push((await sf('GET', '/limits').catch(() => ({ status: 0 }))).status)
    return out
  }

  it('are deterministic for a seed and differ across seeds', async () => {
    const kinds = ['unavailable', 'rateLimited', 'lockRow', 'reset'] as const
    const make = (seed: number) => startSandbox({ seed, faults: { rate: 0.4, kinds } })
    const [a, b, c] = await Promise.all([make(7), make(7), make(8)])
    try {
      const [ra, rb, rc] = [await run(a, 40), await run(b, 40), await run(c, 40)]
      expect(ra).toEqual(rb)
      expect(ra).not.toEqual(rc)
      const failed = ra.filter((s) => s !== 200).length
      expect(failed).toBeGreaterThan(5)
      expect(failed).toBeLessThan(30)
      expect(new Set(ra)).toEqual(new Set([200, 503, 429, 400, 0]))
    } finally {
      await Promise.all([a, b, c].map((s) => s.stop()))
    }
  })

  it('the global rate spares the token endpoint; a rule can target it', async () => {
    const sandbox = current()
    const s = sandbox.salesforce
    const form = {
      grant_type: 'refresh_token',
      refresh_token: s.refreshToken,
      client_id: s.clientId,
      client_secret: s.clientSecret
    }
    sandbox.setFaults({ rate: 1, kinds: ['unavailable'] })
    expect((await tokenRequest(sandbox, form)).status).toBe(200)
    expect((await salesforceClient(sandbox)('GET', '/limits')).status).toBe(503)
    sandbox.setFaults({ rules: [{ match: '/services/oauth2/token', rate: 1, kinds: { unavailable: 1 } }] })
    expect((await tokenRequest(sandbox, form)).status).toBe(503)
    expect((await salesforceClient(sandbox)('GET', '/limits')).status).toBe(200)
  })

  it('rules scope by path, method and vendor; the first matching rule decides', async () => {
    const sandbox = current()
    sandbox.setFaults({
      rules: [
        { match: /\/composite$/, method: 'POST', rate: 1, kinds: ['lockRow'] },
        { match: '/composite', rate: 0 },
        { vendor: 'ortto', rate: 1, kinds: ['unavailable'] }
      ]
    })
    const sf = salesforceClient(sandbox)
    expect((await sf('POST', '/composite', { compositeRequest: [] })).body[0].errorCode).toBe('UNABLE_TO_LOCK_ROW')
    expect((await sf('POST', '/composite/sobjects', { records: [] })).status).toBe(200)
    expect((await sf('POST', '/sobjects/Lead', lead)).status).toBe(201)
    expect((await orttoClient(sandbox)('person/get', {})).status).toBe(503)
  })

  it('a sequence can let calls through (null) and lists every kind', async () => {
    expect(FAULT_KINDS).toEqual([
      'unavailable',
      'rateLimited',
      'requestLimit',
      'lockRow',
      'invalidSession',
      'reset',
      'slow',
      'lostResponse'
    ])
    current().setFaults({ rules: [{ sequence: [null, 'unavailable', null] }] })
    expect(await run(current(), 4)).toEqual([200, 503, 200, 200])
    expect(current().audit.faults()).toEqual({ unavailable: 1 })
  })

  it('refuses a rate outside 0–1', () => {
    expect(() => current().setFaults({ rate: 1.5 })).toThrow('fault rate must be 0–1')
  })
})

describe('audit', () => {
  it('counts API cost the way Salesforce does: composite, graph, collections 1; batch per subrequest; tokens 0', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const s = sandbox.salesforce
    await tokenRequest(sandbox, {
      grant_type: 'client_credentials',
      client_id: s.clientId,
      client_secret: s.clientSecret
    })
    await sf('POST', '/composite', {
      compositeRequest: Array.from({ length: 5 }, (_, i) => ({
        method: 'POST',
        url: '/services/data/v62.0/sobjects/Lead',
        referenceId: `r${i}`,
        body: { LastName: `L${i}`, Company: 'C' }
      }))
    })
    await sf('POST', '/composite/graph', {
      graphs: [
        {
          graphId: 'g',
          compositeRequest: [
            { method: 'POST', url: '/services/data/v62.0/sobjects/Task', referenceId: 't', body: { Subject: 'Call' } }
          ]
        }
      ]
    })
    await sf('POST', '/composite/sobjects', {
      records: [{ attributes: { type: 'Lead' }, LastName: 'X', Company: 'C' }]
    })
    await sf('POST', '/composite/batch', {
      batchRequests: [
        { method: 'GET', url: 'v62.0/limits' },
        { method: 'GET', url: 'v62.0/limits' }
      ]
    })
    await orttoClient(sandbox)('person/get', { limit: 1 })
    expect(sandbox.audit.byEndpoint()).toEqual({
      'salesforce POST /services/oauth2/token': { calls: 1, cost: 0, statuses: { 200: 1 } },
      'salesforce POST /composite': { calls: 1, cost: 1, statuses: { 200: 1 } },
      'salesforce POST /composite/graph': { calls: 1, cost: 1, statuses: { 200: 1 } },
      'salesforce POST /composite/sobjects': { calls: 1, cost: 1, statuses: { 200: 1 } },
      'salesforce POST /composite/batch': { calls: 1, cost: 2, statuses: { 200: 1 } },
      'ortto POST /v1/person/get': { calls: 1, cost: 1, statuses: { 200: 1 } }
    })
    expect(sandbox.audit.cost('salesforce')).toBe(5)
    expect(sandbox.audit.calls('salesforce')).toBe(5)
    expect(sandbox.salesforce.apiUsage()).toEqual({ used: 5, limit: 100000 })
    expect(sandbox.audit.cost({ endpoint: /composite/ })).toBe(5)
    sandbox.audit.reset()
    expect(sandbox.audit.log()).toEqual([])
  })

  it('logs method, path, status and duration, never tokens, keys, secrets or query strings', async () => {
    const sandbox = current()
    const s = sandbox.salesforce
    const token = s.accessToken()
    const sf = salesforceClient(sandbox, { token })
    await tokenRequest(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: s.refreshToken,
      client_id: s.clientId,
      client_secret: s.clientSecret
    })
    await sf('GET', `/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Email = 'secret@example.org'")}`)
    await orttoClient(sandbox)('person/get', {})
    await orttoClient(sandbox, 'wrong-key-SECRET')('person/get', {})
    const log = sandbox.audit.log()
    expect(log[1]).toEqual({
      seq: 2,
      at: expect.any(String),
      vendor: 'salesforce',
      method: 'GET',
      path: '/services/data/v62.0/query',
      endpoint: 'GET /query',
      status: 200,
      durationMs: expect.any(Number),
      cost: 1
    })
    const text = JSON.stringify(log)
    for (const secret of [
      token,
      s.refreshToken,
      s.clientSecret,
      sandbox.ortto.apiKey,
      'wrong-key-SECRET',
      'secret@example.org'
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('reset empties records, audit and usage; tokens stay valid', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    await sf('POST', '/sobjects/Lead', lead)
    sandbox.reset()
    expect(sandbox.records.salesforce('Lead')).toEqual([])
    expect(sandbox.audit.calls()).toBe(0)
    expect((await sf('GET', '/limits')).headers.get('sforce-limit-info')).toBe('api-usage=1/100000')
  })
})
