import { InvalidAuthenticationError, PayloadValidationError, RetryableError } from '@segment/actions-core'
import { NOT_PROVIDED } from '../../common-fields'
import { outcome } from '../../../../lib/outcome'
import { byEmail, byExternalId, byId, rounds, soqlString, toMultiStatus, type RecordSuccess, type UpsertItem } from '..'
import { V, client, record, rows, soqlOf } from './fixture'

const outcomeOf = (r: RecordSuccess) =>
  outcome(`${r.object} ${r.id} ${r.change}`, [{ object: r.object, id: r.id, change: r.change }])

const ext = (value: string, fields: Record<string, unknown> = {}): UpsertItem => ({
  match: byExternalId('JLP_Supporter_Id__c', value),
  fields,
  onCreate: { LastName: NOT_PROVIDED }
})

describe('client.upsertMany', () => {
  it('upserts by external id with Collections, one result per event (mixed)', async () => {
    const { seen } = record((req) => {
      const ids = req.body.records.map((r: any) => r.JLP_Supporter_Id__c)
      return [
        200,
        ids.map((id: string) =>
          id === 'SUP-BAD'
            ? {
                success: false,
                errors: [
                  {
                    statusCode: 'INVALID_EMAIL_ADDRESS',
                    message: 'Email: invalid email address: nope',
                    fields: ['Email']
                  }
                ]
              }
            : { id: `003-${id}`, success: true, errors: [], created: id === 'SUP-NEW' }
        )
      ]
    })
    const c = client()
    const items = [
      ext('SUP-NEW', { Email: 'new@example.org' }),
      ext('SUP-OLD', { Email: 'old@example.org' }),
      ext('SUP-BAD', { Email: 'nope' }),
      new PayloadValidationError('The event has no email to find or create the Contact by.')
    ]
    const results = await c.upsertMany('Contact', items)
    expect(c.apiCalls).toBe(1)
    expect(seen[0]).toMatchObject({ method: 'PATCH', path: `${V}/composite/sobjects/Contact/JLP_Supporter_Id__c` })
    expect(seen[0].body).toEqual({
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, Email: 'new@example.org', JLP_Supporter_Id__c: 'SUP-NEW' },
        { attributes: { type: 'Contact' }, Email: 'old@example.org', JLP_Supporter_Id__c: 'SUP-OLD' },
        { attributes: { type: 'Contact' }, Email: 'nope', JLP_Supporter_Id__c: 'SUP-BAD' }
      ]
    })
    const response = toMultiStatus(results, outcomeOf)
    expect(response.getAllResponses().map((r) => r.value())).toEqual([
      expect.objectContaining({
        status: 200,
        body: expect.objectContaining({ summary: 'Contact 003-SUP-NEW created' })
      }),
      expect.objectContaining({
        status: 200,
        body: expect.objectContaining({ summary: 'Contact 003-SUP-OLD updated' })
      }),
      expect.objectContaining({
        status: 400,
        errortype: 'PAYLOAD_VALIDATION_FAILED',
        errormessage: expect.stringContaining('INVALID_EMAIL_ADDRESS on Email')
      }),
      expect.objectContaining({ status: 400, errormessage: expect.stringContaining('has no email') })
    ])
  })

  it('retries only the new records that lacked a required value, with its documented default', async () => {
    const { seen } = record((req) => [
      200,
      req.body.records.map((r: any) =>
        r.LastName || r.JLP_Supporter_Id__c === 'SUP-OLD'
          ? { id: `003-${r.JLP_Supporter_Id__c}`, success: true, created: !!r.LastName }
          : {
              success: false,
              errors: [
                {
                  statusCode: 'REQUIRED_FIELD_MISSING',
                  message: 'Required fields are missing: [LastName]',
                  fields: ['LastName']
                }
              ]
            }
      )
    ])
    const results = await client().upsertMany('Contact', [ext('SUP-NEW'), ext('SUP-OLD')])
    expect(seen).toHaveLength(2)
    expect(seen[1].body.records).toEqual([
      { attributes: { type: 'Contact' }, LastName: NOT_PROVIDED, JLP_Supporter_Id__c: 'SUP-NEW' }
    ])
    expect(results.map((r) => r.ok && r.change)).toEqual(['created', 'updated'])
  })

  it('by email: one SOQL IN lookup, then Collections update and create; a repeated email waits a round', async () => {
    const existing: Record<string, string> = { 'tom@example.com': '003TOM' }
    const created: string[] = []
    const { seen } = record((req) => {
      if (req.method === 'GET') {
        const soql = soqlOf(req.path)
        const records = Object.entries(existing)
          .filter(([email]) => soql.toLowerCase().includes(soqlString(email)))
          .map(([Email, Id]) => ({ Id, Email, LastModifiedDate: '2026-06-01T00:00:00.000+0000' }))
        return [200, { totalSize: records.length, done: true, records }]
      }
      return [
        200,
        req.body.records.map((r: any) => {
          if (req.method === 'POST') {
            const id = `003NEW${created.length}`
            created.push(r.Email)
            existing[r.Email.toLowerCase()] = id
            return { id, success: true, errors: [] }
          }
          return { id: r.id, success: true, errors: [] }
        })
      ]
    })
    const items: UpsertItem[] = [
      { match: byEmail('tom@example.com'), fields: { Phone: '1' } },
      { match: byEmail("o'brien@example.co.uk"), fields: { Phone: '2' }, onCreate: { LastName: NOT_PROVIDED } },
      { match: byEmail("O'Brien@Example.co.uk"), fields: { Phone: '3' }, onCreate: { LastName: NOT_PROVIDED } },
      { match: byId('003IDX'), fields: { Phone: '4' } }
    ]
    const results = await client().upsertMany('Contact', items)
    expect(results.map((r) => (r.ok ? `${r.change} ${r.id}` : r.error.message))).toEqual([
      'updated 003TOM',
      'created 003NEW0',
      'updated 003NEW0',
      'updated 003IDX'
    ])
    expect(seen.map((r) => `${r.method} ${r.method === 'GET' ? soqlOf(r.path) : r.path}`)).toEqual([
      "GET SELECT Id, Email, LastModifiedDate FROM Contact WHERE Email IN ('tom@example.com','o\\'brien@example.co.uk') ORDER BY LastModifiedDate DESC",
      `PATCH ${V}/composite/sobjects`,
      `POST ${V}/composite/sobjects`,
      "GET SELECT Id, Email, LastModifiedDate FROM Contact WHERE Email IN ('O\\'Brien@Example.co.uk') ORDER BY LastModifiedDate DESC",
      `PATCH ${V}/composite/sobjects`
    ])
    expect(seen[1].body.records).toEqual([
      { attributes: { type: 'Contact' }, Phone: '4', id: '003IDX' },
      { attributes: { type: 'Contact' }, Phone: '1', id: '003TOM' }
    ])
    expect(seen[2].body.records).toEqual([
      { attributes: { type: 'Contact' }, LastName: NOT_PROVIDED, Phone: '2', Email: "o'brien@example.co.uk" }
    ])
  })

  it('with a Contact check: one lookup each, then new records created with their defaults in one call', async () => {
    const { seen } = record((req) => {
      if (req.method === 'GET') {
        const soql = soqlOf(req.path)
        return [200, rows(soql.includes('FROM Contact') ? [{ Id: '003C', Email: 'known@example.org' }] : [])]
      }
      return [200, req.body.records.map(() => ({ id: '00QN', success: true, created: true }))]
    })
    const lead = (id: string, email: string): UpsertItem => ({
      ...ext(id, { Email: email }),
      onCreate: { Company: 'Individual' },
      unless: { object: 'Contact', match: byEmail(email) }
    })
    const c = client()
    const results = await c.upsertMany('Lead', [lead('SUP-1', 'new@example.org'), lead('SUP-2', 'known@example.org')])
    expect(results.map((r) => r.ok && r.change)).toEqual(['created', 'skipped'])
    expect(seen.map((r) => r.method)).toEqual(['GET', 'GET', 'PATCH'])
    expect(seen[2].body.records).toEqual([
      { attributes: { type: 'Lead' }, Company: 'Individual', Email: 'new@example.org', JLP_Supporter_Id__c: 'SUP-1' }
    ])
    expect(c.apiCalls).toBe(3)
  })

  it('splits 450 records into Collections requests of 200', async () => {
    const { seen } = record((req) => [200, req.body.records.map(() => ({ id: '003X', success: true, created: true }))])
    const c = client()
    const results = await c.upsertMany(
      'Contact',
      Array.from({ length: 450 }, (_, i) => ext(`SUP-${i}`))
    )
    expect(seen.map((r) => r.body.records.length)).toEqual([200, 200, 50])
    expect(results.filter((r) => r.ok)).toHaveLength(450)
    expect(c.apiCalls).toBe(3)
  })

  it('after a rate limit, sends no more and hands every remaining event back as retryable', async () => {
    const { seen } = record(() => [
      403,
      [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]
    ])
    const results = await client().upsertMany(
      'Contact',
      Array.from({ length: 250 }, (_, i) => ext(`SUP-${i}`))
    )
    expect(seen).toHaveLength(1)
    expect(results.every((r) => !r.ok && r.error instanceof RetryableError)).toBe(true)
  })

  it('throws an expired token (the framework refreshes it and retries the batch)', async () => {
    record(() => [401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]])
    await expect(client().upsertMany('Contact', [ext('SUP-1')])).rejects.toBeInstanceOf(InvalidAuthenticationError)
  })

  it('puts items that find the same record in successive rounds', () => {
    expect(rounds(['a', 'b', 'a', undefined, 'a', 'c'])).toEqual([[0, 1, 5], [2], [4]])
  })
})
