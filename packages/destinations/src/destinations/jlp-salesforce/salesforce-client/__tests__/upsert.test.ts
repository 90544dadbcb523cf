import { IntegrationError, PayloadValidationError } from '@segment/actions-core'
import nock from 'nock'
import { NOT_PROVIDED } from '../../common-fields'
import { byEmail, byExternalId } from '..'
import { HOST, TOKEN, V, api, client, record, rows, soqlOf, sub } from './fixture'

describe('client.upsert', () => {
  it('by external id: one PATCH to the upsert URL, the id encoded and kept out of the body', async () => {
    const bodies: unknown[] = []
    const scope = api()
      .patch(`${V}/sobjects/Contact/JLP_Supporter_Id__c/SUP%2F1%3F`, (b) => (bodies.push(b), true))
      .reply(201, { id: '003A', success: true, errors: [], created: true })
    const c = client()
    const result = await c.upsert('Contact', byExternalId('JLP_Supporter_Id__c', 'SUP/1?'), {
      Email: 'a@b.org',
      JLP_Supporter_Id__c: 'SUP/1?',
      Phone: undefined
    })
    expect(scope.isDone()).toBe(true)
    expect(bodies).toEqual([{ Email: 'a@b.org' }])
    expect(result).toEqual({ ok: true, object: 'Contact', change: 'created', id: '003A' })
    expect(c.apiCalls).toBe(1)
  })

  it('by external id: Salesforce’s "updated" answer is reported as an update', async () => {
    api()
      .patch(`${V}/sobjects/Lead/JLP_Supporter_Id__c/SUP-2`)
      .reply(200, { id: '00QB', success: true, created: false })
    await expect(client().upsert('Lead', byExternalId('JLP_Supporter_Id__c', 'SUP-2'), {})).resolves.toMatchObject({
      change: 'updated',
      id: '00QB'
    })
  })

  it('gives a new record its documented defaults only when Salesforce says they are missing (2 calls)', async () => {
    const { seen } = record((req) =>
      req.body.LastName
        ? [201, { id: '003N', success: true, created: true }]
        : [
            400,
            [
              {
                errorCode: 'REQUIRED_FIELD_MISSING',
                message: 'Required fields are missing: [LastName]',
                fields: ['LastName']
              }
            ]
          ]
    )
    const c = client()
    const result = await c.upsert(
      'Contact',
      byExternalId('JLP_Supporter_Id__c', 'SUP-3'),
      { Email: 'x@y.org' },
      {
        onCreate: { LastName: NOT_PROVIDED }
      }
    )
    expect(result).toMatchObject({ change: 'created', id: '003N' })
    expect(seen.map((r) => r.body)).toEqual([{ Email: 'x@y.org' }, { Email: 'x@y.org', LastName: '[not provided]' }])
    expect(c.apiCalls).toBe(2)
  })

  it('never sends the placeholder to a record that exists (its real name stays)', async () => {
    const { seen } = record(() => [200, { id: '003E', success: true, created: false }])
    await client().upsert(
      'Contact',
      byExternalId('JLP_Supporter_Id__c', 'SUP-4'),
      { Email: 'x@y.org' },
      {
        onCreate: { LastName: NOT_PROVIDED }
      }
    )
    expect(seen).toHaveLength(1)
    expect(seen[0].body).toEqual({ Email: 'x@y.org' })
  })

  it('by email (most recent wins): one Composite call that looks up and updates by reference', async () => {
    const { seen } = record(() => [
      200,
      {
        compositeResponse: [sub('lookup', 200, rows([{ Id: '003NEW' }, { Id: '003OLD' }])), sub('write', 204)]
      }
    ])
    const c = client()
    const email = "siobhan.o'brien\\x@example.co.uk"
    const result = await c.upsert('Contact', byEmail(email), { FirstName: 'Siobhan' })
    expect(result).toEqual({ ok: true, object: 'Contact', change: 'updated', id: '003NEW' })
    expect(c.apiCalls).toBe(1)
    expect(seen).toHaveLength(1)
    expect(seen[0].method).toBe('POST')
    expect(seen[0].path).toBe(`${V}/composite`)
    const [lookup, write] = seen[0].body.compositeRequest
    expect(seen[0].body.allOrNone).toBe(false)
    expect(soqlOf(lookup.url)).toBe(
      "SELECT Id FROM Contact WHERE Email = 'siobhan.o\\'brien\\\\x@example.co.uk' ORDER BY LastModifiedDate DESC LIMIT 2"
    )
    expect(lookup.url.startsWith(`${V}/query?q=`)).toBe(true)
    expect(write).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Contact/@{lookup.records[0].Id}`,
      referenceId: 'write',
      body: { FirstName: 'Siobhan' }
    })
  })

  it('by email, nobody found: creates with the email and the defaults (2 calls)', async () => {
    const { seen } = record((req) =>
      req.path.endsWith('/composite')
        ? [
            200,
            {
              compositeResponse: [
                sub('lookup', 200, rows([])),
                sub('write', 400, [{ errorCode: 'PROCESSING_HALTED', message: 'Invalid reference specified' }])
              ]
            }
          ]
        : [201, { id: '003C', success: true, errors: [] }]
    )
    const c = client()
    const result = await c.upsert(
      'Contact',
      byEmail('new@example.org'),
      { FirstName: 'Nia' },
      {
        onCreate: { LastName: NOT_PROVIDED }
      }
    )
    expect(result).toMatchObject({ change: 'created', id: '003C' })
    expect(seen[1]).toMatchObject({
      method: 'POST',
      path: `${V}/sobjects/Contact`,
      body: { LastName: NOT_PROVIDED, FirstName: 'Nia', Email: 'new@example.org' }
    })
    expect(c.apiCalls).toBe(2)
  })

  it('by email with the "fail" rule: several matches fail the event and nothing is written', async () => {
    const { seen } = record(() => [
      200,
      {
        compositeResponse: [sub('lookup', 200, rows([{ Id: '003A' }, { Id: '003B' }]))]
      }
    ])
    const err = await client({ multipleMatches: 'fail' })
      .upsert('Contact', byEmail('twin@example.org'), { FirstName: 'Twin' })
      .catch((e) => e)
    expect(err).toBeInstanceOf(IntegrationError)
    expect(err.code).toBe('MULTIPLE_MATCHES')
    expect(err.message).toMatch(/Several Contact records have Email "twin@example.org".*most recently modified/)
    expect(seen).toHaveLength(1)
    expect(seen[0].body.compositeRequest).toHaveLength(1)
  })

  it('by email with the "fail" rule and one match: updates that record by id', async () => {
    const { seen } = record((req) =>
      req.path.endsWith('/composite')
        ? [200, { compositeResponse: [sub('lookup', 200, rows([{ Id: '003ONE' }]))] }]
        : [204]
    )
    const result = await client({ multipleMatches: 'fail' }).upsert('Contact', byEmail('one@example.org'), {
      Phone: '1'
    })
    expect(result).toMatchObject({ change: 'updated', id: '003ONE' })
    expect(seen[1]).toMatchObject({ method: 'PATCH', path: `${V}/sobjects/Contact/003ONE`, body: { Phone: '1' } })
  })

  it('does not create when the blocking record exists, in the same call as the lookup', async () => {
    const { seen } = record(() => [
      200,
      {
        compositeResponse: [
          sub('unless', 200, rows([{ Id: '003CONTACT' }])),
          sub('lookup', 200, rows([])),
          sub('write', 400, [{ errorCode: 'PROCESSING_HALTED', message: 'x' }])
        ]
      }
    ])
    const c = client({ leadExternalIdField: 'JLP_Supporter_Id__c' })
    const match = c.supporterMatch('Lead', { email: 'a@b.org', supporterId: 'SUP-9' })
    const result = await c.upsert(
      'Lead',
      match,
      { Email: 'a@b.org' },
      { unless: { object: 'Contact', match: byEmail('a@b.org') } }
    )
    expect(result).toEqual({
      ok: true,
      object: 'Lead',
      change: 'skipped',
      blockedBy: { object: 'Contact', id: '003CONTACT' }
    })
    const [unless, lookup] = seen[0].body.compositeRequest
    expect(soqlOf(unless.url)).toBe("SELECT Id FROM Contact WHERE Email = 'a@b.org' LIMIT 1")
    expect(soqlOf(lookup.url)).toBe(
      "SELECT Id FROM Lead WHERE JLP_Supporter_Id__c = 'SUP-9' ORDER BY LastModifiedDate DESC LIMIT 2"
    )
    expect(c.apiCalls).toBe(1)
  })

  it('creates by external id (race-free) when neither exists', async () => {
    const { seen } = record((req) =>
      req.path.endsWith('/composite')
        ? [
            200,
            {
              compositeResponse: [sub('unless', 200, rows([])), sub('lookup', 200, rows([])), sub('write', 400, [])]
            }
          ]
        : [201, { id: '00QNEW', success: true, created: true }]
    )
    const c = client({ leadExternalIdField: 'JLP_Supporter_Id__c' })
    const match = c.supporterMatch('Lead', { email: 'a@b.org', supporterId: 'SUP-9' })
    const result = await c.upsert(
      'Lead',
      match,
      { Email: 'a@b.org' },
      {
        unless: { object: 'Contact', match: byEmail('a@b.org') },
        onCreate: { Company: 'Individual' }
      }
    )
    expect(result).toMatchObject({ change: 'created', id: '00QNEW' })
    expect(seen[1]).toMatchObject({
      method: 'PATCH',
      path: `${V}/sobjects/Lead/JLP_Supporter_Id__c/SUP-9`,
      body: { Company: 'Individual', Email: 'a@b.org' }
    })
  })

  it('surfaces a write rejected inside the Composite call, naming the field', async () => {
    record(() => [
      200,
      {
        compositeResponse: [
          sub('lookup', 200, rows([{ Id: '003A' }])),
          {
            referenceId: 'write',
            httpStatusCode: 400,
            body: [{ errorCode: 'STRING_TOO_LONG', message: 'Phone: data value too large', fields: ['Phone'] }]
          }
        ]
      }
    ])
    const err = await client()
      .upsert('Contact', byEmail('a@b.org'), { Phone: '1'.repeat(60) })
      .catch((e) => e)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message).toMatch(/STRING_TOO_LONG on Phone/)
  })

  it('refuses NPSP rollups and bad field names before any request', async () => {
    const c = client()
    await expect(c.upsert('Contact', byEmail('a@b.org'), { npo02__TotalOppAmount__c: 5 })).rejects.toThrow(
      /npo02__TotalOppAmount__c is an NPSP rollup.*never writes it/
    )
    await expect(c.upsert('Contact', byEmail('a@b.org'), { 'Email = null; x': 1 })).rejects.toThrow(
      PayloadValidationError
    )
    await expect(c.upsert('Contact', byEmail('a@b.org'), { Description: { nested: true } })).rejects.toThrow(
      /single value/
    )
    expect(c.apiCalls).toBe(0)
    expect(nock.pendingMocks()).toEqual([])
  })

  it('sends the token only in the Authorization header, to the instance host', async () => {
    const { seen } = record(() => [201, { id: '003A', success: true, created: true }])
    await client().upsert('Contact', byExternalId('JLP_Supporter_Id__c', 'SUP-1'), {})
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(JSON.stringify(seen[0].body)).not.toContain(TOKEN)
    expect(HOST).toBe('https://jlp.my.salesforce.com')
  })
})
