// OAuth token endpoint (grants, errors, expiry) and Bulk API 2.0 beyond the official destination's path.
import { salesforceClient, tokenRequest, useSandbox } from './helpers'

const current = useSandbox({ tokenTtlSeconds: 60 })

describe('OAuth token endpoint', () => {
  it('refresh_token grant answers a token that works until it expires', async () => {
    const sandbox = current()
    const { salesforce: s } = sandbox
    const res = await tokenRequest(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: s.refreshToken,
      client_id: s.clientId,
      client_secret: s.clientSecret
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      access_token: expect.any(String),
      signature: expect.any(String),
      scope: 'refresh_token api',
      instance_url: sandbox.url,
      id: expect.stringMatching(/^https:\/\/login\.salesforce\.com\/id\/00D\w{15}\/005\w{15}$/),
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/)
    })
    const sf = salesforceClient(sandbox, { token: res.body.access_token })
    expect((await sf('GET', '/limits')).status).toBe(200)
    sandbox.clock.advance(61_000)
    expect((await sf('GET', '/limits')).body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }
    ])
    // Token calls never count toward the API allowance.
    expect(sandbox.audit.cost()).toBe(1)
  })

  it('client_credentials grant needs the client secret and gives no refresh scope', async () => {
    const { salesforce: s } = current()
    const ok = await tokenRequest(current(), {
      grant_type: 'client_credentials',
      client_id: s.clientId,
      client_secret: s.clientSecret
    })
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'api' })
    const basic = await fetch(s.tokenUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`
      },
      body: 'grant_type=client_credentials'
    })
    expect(basic.status).toBe(200)
  })

  it.each([
    [
      { grant_type: 'refresh_token', refresh_token: 'stale', client_id: 'jlp-sandbox-client-id' },
      'invalid_grant',
      'expired access/refresh token'
    ],
    [
      { grant_type: 'refresh_token', refresh_token: 'jlp-sandbox-refresh-token', client_id: 'who' },
      'invalid_client_id',
      'client identifier invalid'
    ],
    [
      { grant_type: 'client_credentials', client_id: 'jlp-sandbox-client-id', client_secret: 'wrong' },
      'invalid_client',
      'invalid client credentials'
    ],
    [
      { grant_type: 'password', client_id: 'jlp-sandbox-client-id' },
      'unsupported_grant_type',
      'grant type not supported'
    ]
  ])('%j → 400 %s', async (form, error, description) => {
    const res = await tokenRequest(current(), form)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ error, error_description: description })
  })
})

describe('Bulk API 2.0', () => {
  const csvJob = async (job: Record<string, unknown>, csv: string) => {
    const sf = salesforceClient(current())
    const created = await sf('POST', '/jobs/ingest', { contentType: 'CSV', ...job })
    expect(created.body).toMatchObject({ state: 'Open', contentType: 'CSV', lineEnding: 'LF' })
    const id = created.body.id as string
    expect(id).toMatch(/^750/)
    expect((await sf('PUT', `/jobs/ingest/${id}/batches`, csv, { 'Content-Type': 'text/csv' })).status).toBe(201)
    const closed = await sf('PATCH', `/jobs/ingest/${id}`, { state: 'UploadComplete' })
    expect(closed.body.state).toBe('UploadComplete')
    return { id, sf, info: (await sf('GET', `/jobs/ingest/${id}`)).body }
  }

  it('insert: failed rows are reported with sf__Error and written rows are kept', async () => {
    const { id, sf, info } = await csvJob(
      { object: 'Lead', operation: 'insert' },
      'LastName,Company,Email\r\nLee,Acme,sam@example.org\r\n"Quote ""Q""",,q@example.org\r\n'
    )
    expect(info).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 2,
      numberRecordsFailed: 1,
      jobType: 'V2Ingest'
    })
    const failed = (await sf('GET', `/jobs/ingest/${id}/failedResults`)).body as string
    expect(failed.split('\n')[0]).toBe('"sf__Id","sf__Error","LastName","Company","Email"')
    expect(failed).toContain(
      '"REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --","Quote ""Q""","","q@example.org"'
    )
    expect(
      current()
        .records.salesforce('Lead')
        .map((l) => l.LastName)
    ).toEqual(['Lee'])
  })

  it('an unknown column fails the whole job, nothing written', async () => {
    const { info } = await csvJob({ object: 'Lead', operation: 'insert' }, 'LastName,Company,Colour\nLee,Acme,red\n')
    expect(info).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Colour' })
    expect(current().records.salesforce('Lead')).toEqual([])
  })

  it('update by Id and delete; empty cells keep a value, #N/A clears it', async () => {
    const lead = current().salesforce.insert('Lead', { LastName: 'Lee', Company: 'Acme', City: 'York', Title: 'Dr' })
    await csvJob({ object: 'Lead', operation: 'update' }, `Id,City,Title\n${lead.Id},,#N/A\n`)
    expect(current().salesforce.get('Lead', lead.Id as string)).toMatchObject({ City: 'York', Title: null })
    const { info } = await csvJob({ object: 'Lead', operation: 'delete' }, `Id\n${lead.Id}\n`)
    expect(info.numberRecordsProcessed).toBe(1)
    expect(current().records.salesforce('Lead')).toEqual([])
  })

  it('refuses an upsert job without a real external id field, and uploads to a closed job', async () => {
    const sf = salesforceClient(current())
    const bad = await sf('POST', '/jobs/ingest', {
      object: 'Lead',
      operation: 'upsert',
      externalIdFieldName: 'LastName'
    })
    expect(bad.status).toBe(400)
    const { id } = await csvJob({ object: 'Lead', operation: 'insert' }, 'LastName,Company\nA,B\n')
    const late = await sf('PUT', `/jobs/ingest/${id}/batches`, 'LastName,Company\nC,D\n', {
      'Content-Type': 'text/csv'
    })
    expect(late.status).toBe(400)
    expect(late.body[0].errorCode).toBe('INVALIDJOBSTATE')
  })
})
