// The official Salesforce (Actions) destination, unmodified, against the sandbox: if a client written by someone
// else gets what it expects and the sandbox ends up holding exactly what Salesforce would, the sandbox speaks the
// API. The destination only accepts https://….salesforce.com instance URLs, so the sandbox listens with HTTPS and
// routeHostsToSandbox() plays DNS for jlp-sandbox.my.salesforce.com and login.salesforce.com.
import Salesforce from '@segment/action-destinations/dist/destinations/salesforce'
import { createTestEvent, createTestIntegration, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { routeHostsToSandbox, startSandbox, type HostRouting, type Sandbox } from '..'

let sandbox: Sandbox
let routing: HostRouting
const destination = createTestIntegration(Salesforce)

beforeAll(async () => {
  sandbox = await startSandbox({ https: true })
  routing = routeHostsToSandbox(sandbox.httpsPort!)
})

afterAll(async () => {
  routing.restore()
  await sandbox.stop()
})

beforeEach(() => sandbox.reset())

const settings = () => ({ instanceUrl: routing.instanceUrl })
const auth = (accessToken = sandbox.salesforce.accessToken()) => ({
  accessToken,
  refreshToken: sandbox.salesforce.refreshToken,
  clientId: sandbox.salesforce.clientId,
  clientSecret: sandbox.salesforce.clientSecret
})

const identify = (traits: JSONObject, userId = 'u1') =>
  createTestEvent({ type: 'identify', userId, traits }) as SegmentEvent

const leads = () => sandbox.records.salesforce('Lead')
const endpoints = () => sandbox.audit.log().map((e) => `${e.endpoint} ${e.status}`)

describe('official Salesforce destination: lead', () => {
  it('create: POSTs one Lead with the mapped fields', async () => {
    await destination.testAction('lead', {
      event: identify({ last_name: "O'Brien", first_name: 'Pat', company: 'JLP Supporters', email: 'pat@example.org' }),
      settings: settings(),
      auth: auth(),
      mapping: { operation: 'create' },
      useDefaultMappings: true
    })
    expect(leads()).toEqual([
      expect.objectContaining({
        LastName: "O'Brien",
        FirstName: 'Pat',
        Company: 'JLP Supporters',
        Email: 'pat@example.org'
      })
    ])
    expect(leads()[0].Id).toMatch(/^00Q[a-zA-Z0-9]{15}$/)
    expect(endpoints()).toEqual(['POST /sobjects/Lead 201'])
    expect(sandbox.audit.cost('salesforce')).toBe(1)
  })

  it('update: finds the Lead by a record matcher with a quote in it (SOQL) and PATCHes it', async () => {
    const existing = sandbox.salesforce.insert('Lead', {
      LastName: "O'Brien",
      Company: 'Old Co',
      Email: 'pat@example.org'
    })
    sandbox.salesforce.insert('Lead', { LastName: 'Other', Company: 'Old Co', Email: 'other@example.org' })
    await destination.testAction('lead', {
      event: identify({ last_name: "O'Brien", company: 'New Co', email: 'pat@example.org' }),
      settings: settings(),
      auth: auth(),
      mapping: { operation: 'update', traits: { LastName: "O'Brien" } },
      useDefaultMappings: true
    })
    expect(sandbox.salesforce.get('Lead', existing.Id as string)).toMatchObject({ Company: 'New Co' })
    expect(leads().find((l) => l.LastName === 'Other')).toMatchObject({ Company: 'Old Co' })
    expect(endpoints()).toEqual(['GET /query 200', 'PATCH /sobjects/Lead/{id} 204'])
  })

  it('update: no match is a 404 from the destination, nothing written', async () => {
    const run = destination.testAction('lead', {
      event: identify({ last_name: 'Nobody', company: 'X', email: 'nobody@example.org' }),
      settings: settings(),
      auth: auth(),
      mapping: { operation: 'update', traits: { Email: 'nobody@example.org' } },
      useDefaultMappings: true
    })
    await expect(run).rejects.toThrow('No record found with given traits')
    expect(leads()).toEqual([])
  })

  it('upsert: creates when nothing matches, then updates the same Lead (one record)', async () => {
    const run = (company: string) =>
      destination.testAction('lead', {
        event: identify({ last_name: 'Lee', company, email: 'sam@example.org' }),
        settings: settings(),
        auth: auth(),
        mapping: { operation: 'upsert', traits: { Email: { '@path': '$.traits.email' } } },
        useDefaultMappings: true
      })
    await run('First Co')
    await run('Second Co')
    expect(leads()).toHaveLength(1)
    expect(leads()[0]).toMatchObject({ LastName: 'Lee', Company: 'Second Co', Email: 'sam@example.org' })
    expect(endpoints()).toEqual([
      'GET /query 200',
      'POST /sobjects/Lead 201',
      'GET /query 200',
      'PATCH /sobjects/Lead/{id} 204'
    ])
  })

  it('batched upsert goes through Bulk API 2.0: one job, external-id upsert, results as Salesforce reports them', async () => {
    const existing = sandbox.salesforce.insert('Lead', {
      LastName: 'Known',
      Company: 'Old Co',
      City: 'York',
      JLP_Supporter_Id__c: 'u1'
    })
    await destination.testBatchAction('lead', {
      events: [
        identify({ last_name: 'Known', company: 'New Co', email: 'known@example.org' }, 'u1'),
        identify(
          { last_name: 'Fresh', company: 'Fresh Co', email: 'fresh@example.org', address: { city: 'Leeds' } },
          'u2'
        ),
        identify({ last_name: "D'Arcy, Jr", company: 'Comma "Quoted" Co', email: 'darcy@example.org' }, 'u3')
      ],
      settings: settings(),
      auth: auth(),
      mapping: {
        operation: 'upsert',
        enable_batching: true,
        bulkUpsertExternalId: { externalIdName: 'JLP_Supporter_Id__c', externalIdValue: { '@path': '$.userId' } }
      },
      useDefaultMappings: true
    })
    expect(endpoints()).toEqual([
      'POST /jobs/ingest 200',
      'PUT /jobs/ingest/{id}/batches 201',
      'PATCH /jobs/ingest/{id} 200'
    ])
    const byKey = Object.fromEntries(leads().map((l) => [l.JLP_Supporter_Id__c, l]))
    expect(Object.keys(byKey).sort()).toEqual(['u1', 'u2', 'u3'])
    expect(byKey.u1).toMatchObject({ Id: existing.Id, Company: 'New Co', Email: 'known@example.org' })
    // The destination writes #N/A for a column an event lacks: Bulk API sets that field to null.
    expect(byKey.u1.City).toBeNull()
    expect(byKey.u2).toMatchObject({ LastName: 'Fresh', City: 'Leeds' })
    expect(byKey.u3).toMatchObject({ LastName: "D'Arcy, Jr", Company: 'Comma "Quoted" Co' })

    // Poll the job the way a client would and read its results.
    const token = sandbox.salesforce.accessToken()
    const get = (path: string) =>
      fetch(`${sandbox.url}/services/data/v53.0/jobs/ingest${path}`, { headers: { Authorization: `Bearer ${token}` } })
    const { records } = (await (await get('')).json()) as { records: Array<{ id: string }> }
    const job = (await (await get(`/${records[0].id}`)).json()) as Record<string, unknown>
    expect(job).toMatchObject({
      object: 'Lead',
      operation: 'upsert',
      externalIdFieldName: 'JLP_Supporter_Id__c',
      state: 'JobComplete',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 0
    })
    const csv = await (await get(`/${records[0].id}/successfulResults`)).text()
    const lines = csv.trim().split('\n')
    expect(lines[0]).toMatch(/^"sf__Id","sf__Created",/)
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['"false"', '"true"', '"true"'])
  })

  it('an expired token is 401 INVALID_SESSION_ID; the destination refreshes through the token endpoint and succeeds', async () => {
    const stale = sandbox.salesforce.accessToken()
    sandbox.salesforce.expireTokens()
    const run = (accessToken: string) =>
      destination.testAction('lead', {
        event: identify({ last_name: 'Kim', company: 'K Co' }),
        settings: settings(),
        auth: auth(accessToken),
        mapping: { operation: 'create' },
        useDefaultMappings: true
      })
    await expect(run(stale)).rejects.toMatchObject({ response: { status: 401 } })
    const fresh = await destination.refreshAccessToken(settings(), auth(stale))
    expect(fresh?.accessToken).toEqual(expect.any(String))
    await run(fresh!.accessToken)
    expect(leads().map((l) => l.LastName)).toEqual(['Kim'])
    expect(endpoints()).toEqual([
      'POST /sobjects/Lead 401',
      'POST /services/oauth2/token 200',
      'POST /sobjects/Lead 201'
    ])
  })

  it('dynamic field: lists the createable objects from GET /sobjects', async () => {
    const result = await destination.testDynamicField('customObject', 'customObjectName', {
      settings: settings(),
      auth: auth(),
      payload: {}
    })
    const values = (result as { choices: Array<{ value: string }> }).choices.map((c) => c.value)
    expect(values).toEqual(expect.arrayContaining(['Lead', 'Contact', 'JLP_Subscription__c']))
    expect(values).not.toContain('IsDeleted')
  })
})
