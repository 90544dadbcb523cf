// Salesforce REST: each endpoint's success and error shapes, the org's rules, limits and headers.
import { startSandbox } from '..'
import { to18 } from '../salesforce/ids'
import { salesforceClient, useSandbox } from './helpers'

const current = useSandbox()

describe('auth, limits and headers', () => {
  it('answers a missing or unknown bearer token with 401 INVALID_SESSION_ID', async () => {
    for (const headers of [{}, { Authorization: 'Bearer nope' }] as Array<Record<string, string>>) {
      const res = await fetch(`${current().url}/services/data/v62.0/sobjects`, { headers })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }
      ])
    }
  })

  it('a token expires after tokenTtlSeconds of sandbox time', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    expect((await sf('GET', '/sobjects')).status).toBe(200)
    sandbox.clock.advance(7200 * 1000 + 1)
    const res = await sf('GET', '/sobjects')
    expect(res.status).toBe(401)
    expect(res.body[0].errorCode).toBe('INVALID_SESSION_ID')
  })

  it('puts Sforce-Limit-Info on every response, errors included, and counts calls', async () => {
    const sf = salesforceClient(current())
    expect((await sf('GET', '/sobjects')).headers.get('sforce-limit-info')).toBe('api-usage=1/100000')
    const bad = await sf('POST', '/sobjects/Lead', {})
    expect(bad.status).toBe(400)
    expect(bad.headers.get('sforce-limit-info')).toBe('api-usage=2/100000')
  })

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily limit is used up', async () => {
    const sandbox = await startSandbox({ dailyApiLimit: 2 })
    try {
      const sf = salesforceClient(sandbox)
      await sf('GET', '/sobjects')
      await sf('GET', '/limits')
      const res = await sf('GET', '/sobjects')
      expect(res.status).toBe(403)
      expect(res.body).toEqual([
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED', fields: [] }
      ])
      expect(res.headers.get('sforce-limit-info')).toBe('api-usage=2/2')
    } finally {
      await sandbox.stop()
    }
  })

  it('accepts any API version and lists versions without a token', async () => {
    const sf = salesforceClient(current(), { version: 'v45.0' })
    expect((await sf('GET', '/sobjects/Lead/describe')).status).toBe(200)
    const versions = await (await fetch(`${current().url}/services/data`)).json()
    expect(versions).toEqual(expect.arrayContaining([expect.objectContaining({ version: '62.0' })]))
  })
})

describe('describe', () => {
  it('GET /sobjects lists objects with createable flags for pickers', async () => {
    const { body } = await salesforceClient(current())('GET', '/sobjects')
    const byName = Object.fromEntries(body.sobjects.map((o: { name: string }) => [o.name, o]))
    expect(byName.Lead).toMatchObject({ keyPrefix: '00Q', createable: true, custom: false })
    expect(byName.JLP_Subscription__c).toMatchObject({ custom: true, createable: true, queryable: true })
    expect(byName.JLP_Payment_Failed__e).toMatchObject({ queryable: false, createable: true })
  })

  it('GET /sobjects/{Obj}/describe gives fields with type, externalId, createable, nillable', async () => {
    const { status, body } = await salesforceClient(current())('GET', '/sobjects/Contact/describe')
    expect(status).toBe(200)
    const fields = Object.fromEntries(body.fields.map((f: { name: string }) => [f.name, f]))
    expect(fields.JLP_Supporter_Id__c).toMatchObject({
      type: 'string',
      externalId: true,
      unique: true,
      createable: true
    })
    expect(fields.LastName).toMatchObject({ nillable: false, createable: true })
    expect(fields.npo02__TotalOppAmount__c).toMatchObject({ type: 'currency', createable: false, calculated: true })
    expect(fields.AccountId).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' })
    expect(fields.Id).toMatchObject({ type: 'id', createable: false })
  })

  it('unknown object: 404 NOT_FOUND', async () => {
    const res = await salesforceClient(current())('GET', '/sobjects/Nope__c/describe')
    expect(res.status).toBe(404)
    expect(res.body[0].errorCode).toBe('NOT_FOUND')
  })
})

describe('records', () => {
  it('creates (201 {id, success, errors}), reads, updates (204) and deletes (204)', async () => {
    const sf = salesforceClient(current())
    const created = await sf('POST', '/sobjects/Contact', { LastName: 'Lee', Email: 'sam@example.org' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: expect.stringMatching(/^003\w{15}$/), success: true, errors: [] })
    const id = created.body.id as string
    const read = await sf('GET', `/sobjects/Contact/${id}`)
    expect(read.body).toMatchObject({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${id}` },
      Id: id,
      LastName: 'Lee',
      Name: 'Lee',
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      SystemModstamp: expect.any(String)
    })
    expect((await sf('PATCH', `/sobjects/Contact/${id}`, { FirstName: 'Sam' })).status).toBe(204)
    expect((await sf('GET', `/sobjects/Contact/${id.slice(0, 15)}?fields=Name`)).body).toMatchObject({
      Name: 'Sam Lee'
    })
    expect((await sf('DELETE', `/sobjects/Contact/${id}`)).status).toBe(204)
    expect((await sf('GET', `/sobjects/Contact/${id}`)).status).toBe(404)
  })

  it.each([
    [{ LastName: 'x' }, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Company]', ['Company']],
    [
      { LastName: 'x', Company: 'c', Foo__c: 1 },
      'INVALID_FIELD',
      "No such column 'Foo__c' on sobject of type Lead",
      []
    ],
    [
      { LastName: 'x', Company: 'c', Email: 'not-an-email' },
      'INVALID_EMAIL_ADDRESS',
      'Email: invalid email address: not-an-email',
      ['Email']
    ],
    [
      { LastName: 'x'.repeat(81), Company: 'c' },
      'STRING_TOO_LONG',
      expect.stringContaining('max length=80'),
      ['LastName']
    ],
    [
      { LastName: 'x', Company: 'c', IsConverted: true },
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      expect.stringContaining('IsConverted'),
      ['IsConverted']
    ],
    [
      { LastName: 'x', Company: 'c', OwnerId: 'abc' },
      'MALFORMED_ID',
      'Owner ID: id value of incorrect type: abc',
      ['OwnerId']
    ],
    [
      { LastName: 'x', Company: 'c', HasOptedOutOfEmail: 'maybe' },
      'JSON_PARSER_ERROR',
      expect.any(String),
      ['HasOptedOutOfEmail']
    ]
  ])('rejects %j with %s', async (body, errorCode, message, fields) => {
    const res = await salesforceClient(current())('POST', '/sobjects/Lead', body)
    expect(res.status).toBe(400)
    expect(res.body).toEqual([{ errorCode, message, fields }])
    expect(current().records.salesforce('Lead')).toEqual([])
  })

  it('rejects writes to the NPSP rollup and computes it from Closed Won opportunities', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const denied = await sf('POST', '/sobjects/Contact', { LastName: 'Lee', npo02__TotalOppAmount__c: 5 })
    expect(denied.body[0]).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['npo02__TotalOppAmount__c']
    })
    const contact = sandbox.salesforce.insert('Contact', { LastName: 'Lee' })
    for (const [amount, stage] of [
      [10, 'Closed Won'],
      [2.5, 'Closed Won'],
      [99, 'Closed Lost']
    ] as const) {
      sandbox.salesforce.insert('Opportunity', {
        Name: 'Gift',
        StageName: stage,
        CloseDate: '2025-01-01',
        Amount: amount,
        npsp__Primary_Contact__c: contact.Id
      })
    }
    expect((await sf('GET', `/sobjects/Contact/${contact.Id}`)).body.npo02__TotalOppAmount__c).toBe(12.5)
  })

  it('references must point at an existing record of an allowed object', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const lead = sandbox.salesforce.insert('Lead', { LastName: 'L', Company: 'C' })
    const wrongType = await sf('POST', '/sobjects/Contact', { LastName: 'x', AccountId: lead.Id })
    expect(wrongType.body[0]).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['AccountId'] })
    const missing = await sf('POST', '/sobjects/Contact', { LastName: 'x', AccountId: to18('0018d00000ZZZZZ') })
    expect(missing.body[0]).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['AccountId'] })
    const malformed = await sf('POST', '/sobjects/Contact', { LastName: 'x', AccountId: '0018d00000ZZZZZAAA' })
    expect(malformed.body[0]).toMatchObject({ errorCode: 'MALFORMED_ID', fields: ['AccountId'] })
    const task = await sf('POST', '/sobjects/Task', { Subject: 'Call', WhoId: lead.Id })
    expect(task.status).toBe(201)
  })

  it('field names are case-insensitive; stored under their API names', async () => {
    const sandbox = current()
    const res = await salesforceClient(sandbox)('POST', '/sobjects/Account', { name: 'Cloudy Consulting' })
    expect(res.status).toBe(201)
    expect(sandbox.salesforce.get('Account', res.body.id)).toMatchObject({ Name: 'Cloudy Consulting' })
  })

  it('an external-id value is unique (DUPLICATE_VALUE names the other record)', async () => {
    const sandbox = current()
    const first = sandbox.salesforce.insert('Contact', { LastName: 'A', JLP_Supporter_Id__c: 'S-1' })
    const res = await salesforceClient(sandbox)('POST', '/sobjects/Contact', {
      LastName: 'B',
      JLP_Supporter_Id__c: 's-1'
    })
    expect(res.body).toEqual([
      {
        errorCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: JLP_Supporter_Id__c duplicates value on record with id: ${first.Id}`,
        fields: []
      }
    ])
  })

  it('If-Unmodified-Since: 412 when the record changed after the date, 204 otherwise', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const contact = sandbox.salesforce.insert('Contact', { LastName: 'Lee' })
    const before = new Date(sandbox.clock.now() - 60_000).toUTCString()
    const after = new Date(sandbox.clock.now() + 60_000).toUTCString()
    const stale = await sf(
      'PATCH',
      `/sobjects/Contact/${contact.Id}`,
      { FirstName: 'X' },
      { 'If-Unmodified-Since': before }
    )
    expect(stale.status).toBe(412)
    expect(stale.body[0].errorCode).toBe('PRECONDITION_FAILED')
    expect(sandbox.salesforce.get('Contact', contact.Id as string).FirstName).toBeUndefined()
    const fresh = await sf(
      'PATCH',
      `/sobjects/Contact/${contact.Id}`,
      { FirstName: 'X' },
      { 'If-Unmodified-Since': after }
    )
    expect(fresh.status).toBe(204)
  })
})

describe('upsert by external id', () => {
  const path = '/sobjects/Contact/JLP_Supporter_Id__c/'

  it('201 created, then 200 updated with created: false (one record)', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const first = await sf('PATCH', `${path}S-9`, { LastName: 'Lee' })
    expect(first.status).toBe(201)
    expect(first.body).toEqual({ id: expect.any(String), success: true, errors: [], created: true })
    const second = await sf('PATCH', `${path}S-9`, { FirstName: 'Sam' })
    expect(second.status).toBe(200)
    expect(second.body).toEqual({ id: first.body.id, success: true, errors: [], created: false })
    expect(sandbox.records.salesforce('Contact')).toEqual([
      expect.objectContaining({ JLP_Supporter_Id__c: 'S-9', LastName: 'Lee', FirstName: 'Sam' })
    ])
  })

  it('answers 204 for an update on API versions before 46.0', async () => {
    const sandbox = current()
    sandbox.salesforce.insert('Contact', { LastName: 'Lee', JLP_Supporter_Id__c: 'S-1' })
    const res = await salesforceClient(sandbox, { version: 'v45.0' })('PATCH', `${path}S-1`, { FirstName: 'Sam' })
    expect(res.status).toBe(204)
  })

  it('300 with the matching record URLs when a non-unique external id matches several', async () => {
    const sandbox = await startSandbox({
      schema: { objects: { Contact: { fields: { Legacy_Id__c: { type: 'string', externalId: true } } } } }
    })
    try {
      const a = sandbox.salesforce.insert('Contact', { LastName: 'A', Legacy_Id__c: 'L1' })
      const b = sandbox.salesforce.insert('Contact', { LastName: 'B', Legacy_Id__c: 'L1' })
      const res = await salesforceClient(sandbox)('PATCH', '/sobjects/Contact/Legacy_Id__c/L1', { FirstName: 'X' })
      expect(res.status).toBe(300)
      expect(res.body).toEqual([
        `/services/data/v62.0/sobjects/Contact/${a.Id}`,
        `/services/data/v62.0/sobjects/Contact/${b.Id}`
      ])
    } finally {
      await sandbox.stop()
    }
  })

  it('404 NOT_FOUND for a field that is not an external id', async () => {
    const res = await salesforceClient(current())('PATCH', '/sobjects/Contact/LastName/Lee', { FirstName: 'X' })
    expect(res.status).toBe(404)
    expect(res.body).toEqual([
      {
        errorCode: 'NOT_FOUND',
        message: 'Provided external ID field does not exist or is not accessible: LastName',
        fields: []
      }
    ])
  })

  it('two concurrent upserts of one value create one record', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const answers = await Promise.all([
      sf('PATCH', `${path}RACE`, { LastName: 'One' }),
      sf('PATCH', `${path}RACE`, { LastName: 'Two' }),
      sf('PATCH', '/sobjects/Lead/JLP_Supporter_Id__c/RACE', { LastName: 'L', Company: 'C' }),
      sf('PATCH', '/sobjects/Lead/JLP_Supporter_Id__c/RACE', { LastName: 'L', Company: 'C' })
    ])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201, 201])
    expect(sandbox.records.salesforce('Contact')).toHaveLength(1)
    expect(sandbox.records.salesforce('Lead')).toHaveLength(1)
  })

  it('upsert by npsp__CommitmentId__c is case-sensitive', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const p = '/sobjects/npe03__Recurring_Donation__c/npsp__CommitmentId__c/'
    expect((await sf('PATCH', `${p}abc`, { npe03__Amount__c: 5 })).status).toBe(201)
    expect((await sf('PATCH', `${p}ABC`, { npe03__Amount__c: 6 })).status).toBe(201)
    expect((await sf('PATCH', `${p}abc`, { npe03__Amount__c: 7 })).status).toBe(200)
    expect(
      sandbox.records
        .salesforce('npe03__Recurring_Donation__c')
        .map((r) => r.npe03__Amount__c)
        .sort()
    ).toEqual([6, 7])
  })

  it('GET and DELETE by external id', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    sandbox.salesforce.insert('Campaign', { Name: 'Draw 12', JLP_Draw_Id__c: 'D12' })
    expect((await sf('GET', '/sobjects/Campaign/JLP_Draw_Id__c/D12')).body).toMatchObject({ Name: 'Draw 12' })
    expect((await sf('DELETE', '/sobjects/Campaign/JLP_Draw_Id__c/D12')).status).toBe(204)
    expect((await sf('GET', '/sobjects/Campaign/JLP_Draw_Id__c/D12')).status).toBe(404)
  })
})

describe('org rules', () => {
  it('CampaignMember needs CampaignId and ContactId or LeadId, and is unique per pair', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const campaign = sandbox.salesforce.insert('Campaign', { Name: 'Draw' })
    const contact = sandbox.salesforce.insert('Contact', { LastName: 'Lee' })
    const noPerson = await sf('POST', '/sobjects/CampaignMember', { CampaignId: campaign.Id })
    expect(noPerson.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['ContactId', 'LeadId'] })
    const member = { CampaignId: campaign.Id, ContactId: contact.Id, Status: 'Purchased' }
    expect((await sf('POST', '/sobjects/CampaignMember', member)).status).toBe(201)
    const again = await sf('POST', '/sobjects/CampaignMember', member)
    expect(again.body).toEqual([{ errorCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.', fields: [] }])
  })

  it('ids carry the right key prefixes', () => {
    const sandbox = current()
    const campaign = sandbox.salesforce.insert('Campaign', { Name: 'D' })
    const contact = sandbox.salesforce.insert('Contact', { LastName: 'L' })
    const ids = {
      Lead: sandbox.salesforce.insert('Lead', { LastName: 'L', Company: 'C' }).Id,
      Contact: contact.Id,
      Account: contact.AccountId,
      Opportunity: sandbox.salesforce.insert('Opportunity', {
        Name: 'O',
        StageName: 'Pledged',
        CloseDate: '2025-02-03'
      }).Id,
      Campaign: campaign.Id,
      CampaignMember: sandbox.salesforce.insert('CampaignMember', { CampaignId: campaign.Id, ContactId: contact.Id })
        .Id,
      Task: sandbox.salesforce.insert('Task', { Subject: 'Call' }).Id
    }
    expect(Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, String(v).slice(0, 3)]))).toEqual({
      Lead: '00Q',
      Contact: '003',
      Account: '001',
      Opportunity: '006',
      Campaign: '701',
      CampaignMember: '00v',
      Task: '00T'
    })
    expect(Object.values(ids).every((id) => /^\w{18}$/.test(String(id)))).toBe(true)
  })

  it.each([
    ['household', "O'Brien Household"],
    ['individual', "Pat O'Brien"]
  ] as const)('a Contact without an Account gets one (%s model)', async (accountModel, name) => {
    const sandbox = await startSandbox({ accountModel })
    try {
      const contact = sandbox.salesforce.insert('Contact', { FirstName: 'Pat', LastName: "O'Brien" })
      expect(sandbox.salesforce.get('Account', contact.AccountId as string)).toMatchObject({ Name: name })
    } finally {
      await sandbox.stop()
    }
  })

  it('accountModel none leaves AccountId empty', async () => {
    const sandbox = await startSandbox({ accountModel: 'none' })
    try {
      expect(sandbox.salesforce.insert('Contact', { LastName: 'Lee' }).AccountId).toBeUndefined()
      expect(sandbox.records.salesforce('Account')).toEqual([])
    } finally {
      await sandbox.stop()
    }
  })

  it('the optional duplicate rule on email answers DUPLICATES_DETECTED', async () => {
    const sandbox = await startSandbox({ duplicateRuleOnEmail: true })
    try {
      sandbox.salesforce.insert('Lead', { LastName: 'A', Company: 'C', Email: 'sam@example.org' })
      const res = await salesforceClient(sandbox)('POST', '/sobjects/Lead', {
        LastName: 'B',
        Company: 'C',
        Email: 'SAM@example.org'
      })
      expect(res.status).toBe(400)
      expect(res.body[0]).toMatchObject({ errorCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?' })
      expect(sandbox.records.salesforce('Lead')).toHaveLength(1)
    } finally {
      await sandbox.stop()
    }
  })

  it('unknown custom fields in a schema config are refused: custom names end in __c', async () => {
    await expect(
      startSandbox({ schema: { objects: { Contact: { fields: { Nickname: { type: 'string' } } } } } })
    ).rejects.toThrow('Contact.Nickname is not a standard field; custom fields end in __c')
  })
})

describe('platform events and flows', () => {
  it('publishes a platform event (201 with OPERATION_ENQUEUED) and records it', async () => {
    const sandbox = current()
    const res = await salesforceClient(sandbox)('POST', '/sobjects/JLP_Payment_Failed__e', {
      Supporter_Id__c: 'S-1',
      Amount__c: 10,
      Attempt__c: 2
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^e00/),
      success: true,
      errors: [{ statusCode: 'OPERATION_ENQUEUED', message: res.body.id, fields: [] }]
    })
    expect(sandbox.platformEvents()).toEqual([
      expect.objectContaining({
        type: 'JLP_Payment_Failed__e',
        fields: { Supporter_Id__c: 'S-1', Amount__c: 10, Attempt__c: 2 }
      })
    ])
    const bad = await salesforceClient(sandbox)('POST', '/sobjects/JLP_Payment_Failed__e', { Nope__c: 1 })
    expect(bad.body[0].errorCode).toBe('INVALID_FIELD')
  })

  it('invokes an autolaunched flow and records its inputs; bad inputs fail per interview', async () => {
    const sandbox = current()
    const sf = salesforceClient(sandbox)
    const res = await sf('POST', '/actions/custom/flow/JLP_Payment_Failed_Follow_Up', {
      inputs: [{ supporterId: 'S-1', amount: 10 }, { amount: 3 }, { supporterId: 'S-2', colour: 'red' }]
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual([
      {
        actionName: 'JLP_Payment_Failed_Follow_Up',
        errors: null,
        isSuccess: true,
        outputValues: { Flow__InterviewStatus: 'Finished' },
        sortOrder: -1,
        version: 1
      },
      expect.objectContaining({
        isSuccess: false,
        errors: [
          { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Missing required input parameter: supporterId', fields: [] }
        ]
      }),
      expect.objectContaining({
        isSuccess: false,
        errors: [expect.objectContaining({ message: 'Invalid input variable: colour' })]
      })
    ])
    expect(sandbox.flows()).toEqual([
      expect.objectContaining({ flow: 'JLP_Payment_Failed_Follow_Up', inputs: { supporterId: 'S-1', amount: 10 } })
    ])
    expect((await sf('POST', '/actions/custom/flow/No_Such_Flow', { inputs: [{}] })).status).toBe(404)
    const list = await sf('GET', '/actions/custom/flow')
    expect(list.body.actions).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'JLP_Subscription_Cancelled', type: 'FLOW' })])
    )
  })
})
