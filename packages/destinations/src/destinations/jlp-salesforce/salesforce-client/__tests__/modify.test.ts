import { RetryableError } from '@segment/actions-core'
import { byEmail, byExternalId, httpDate, MODIFY_ATTEMPTS, type Modification, type SfRecord } from '..'
import { V, allSucceed, client, record, rows, soqlOf, sub } from './fixture'

const STAMP = '2026-06-08T12:03:41.000+0000'

/** Adds 5 to Total__c once per key; the version field lists applied keys. */
const addFive = (value: string, key = 'ORD-1'): Modification => ({
  match: byExternalId('JLP_Supporter_Id__c', value),
  read: ['Total__c'],
  versionField: 'Applied__c',
  change: (current?: SfRecord) => {
    const applied = String(current?.Applied__c ?? '')
      .split(' ')
      .filter(Boolean)
    if (applied.includes(key)) return undefined
    return { Total__c: Number(current?.Total__c ?? 0) + 5, Applied__c: [key, ...applied].join(' ') }
  }
})

const found = (records: SfRecord[]) => [200, rows(records)] as [number, unknown]
const tom = { Id: '003TOM', JLP_Supporter_Id__c: 'SUP-1', Total__c: 10, Applied__c: 'ORD-0', LastModifiedDate: STAMP }

describe('client.modifyMany', () => {
  it('reads, then updates in one Composite call: a compare-and-swap check and If-Unmodified-Since (2 calls)', async () => {
    const { seen } = record((req) =>
      req.method === 'GET'
        ? found([tom])
        : [
            200,
            {
              compositeResponse: [
                {
                  referenceId: 'w0c',
                  httpStatusCode: 200,
                  body: { totalSize: 1, done: true, records: [{ Id: '003TOM' }] }
                },
                sub('w0', 204)
              ]
            }
          ]
    )
    const c = client()
    const [result] = await c.modifyMany('Contact', [addFive('SUP-1')])
    expect(result).toMatchObject({
      ok: true,
      change: 'updated',
      id: '003TOM',
      written: { Total__c: 15, Applied__c: 'ORD-1 ORD-0' }
    })
    expect(c.apiCalls).toBe(2)
    expect(soqlOf(seen[0].path)).toBe(
      "SELECT Id, JLP_Supporter_Id__c, LastModifiedDate, Total__c, Applied__c FROM Contact WHERE JLP_Supporter_Id__c IN ('SUP-1') ORDER BY LastModifiedDate DESC"
    )
    const [check, write] = seen[1].body.compositeRequest
    expect(soqlOf(check.url)).toBe("SELECT Id FROM Contact WHERE Id = '003TOM' AND Applied__c = 'ORD-0'")
    expect(write).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Contact/@{w0c.records[0].Id}`,
      referenceId: 'w0',
      body: { Total__c: 15, Applied__c: 'ORD-1 ORD-0' },
      httpHeaders: { 'If-Unmodified-Since': 'Mon, 08 Jun 2026 12:03:41 GMT' }
    })
  })

  it('writes nothing when the change is already there (1 call)', async () => {
    record(() => found([{ ...tom, Applied__c: 'ORD-1 ORD-0' }]))
    const c = client()
    const [result] = await c.modifyMany('Contact', [addFive('SUP-1')])
    expect(result).toMatchObject({ ok: true, change: 'unchanged', id: '003TOM' })
    expect(c.apiCalls).toBe(1)
  })

  it('creates the record with the match’s own field when there is none', async () => {
    const { seen } = record((req) => (req.method === 'GET' ? found([]) : [201, { id: '003NEW', success: true }]))
    const [result] = await client().modifyMany('Contact', [addFive('SUP-9')])
    expect(result).toMatchObject({ change: 'created', id: '003NEW' })
    expect(seen[1]).toMatchObject({
      method: 'POST',
      path: `${V}/sobjects/Contact`,
      body: { Total__c: 5, Applied__c: 'ORD-1', JLP_Supporter_Id__c: 'SUP-9' }
    })
  })

  it('re-reads and recomputes when another write got there first (the check finds nothing)', async () => {
    let reads = 0
    const { seen } = record((req) => {
      if (req.method === 'GET')
        return found([reads++ === 0 ? tom : { ...tom, Total__c: 12, Applied__c: 'ORD-7 ORD-0' }])
      const stale = seen.filter((r) => r.method === 'POST').length === 1
      return [
        200,
        {
          compositeResponse: [
            {
              referenceId: 'w0c',
              httpStatusCode: 200,
              body: { totalSize: stale ? 0 : 1, done: true, records: stale ? [] : [{ Id: '003TOM' }] }
            },
            stale ? sub('w0', 400, [{ errorCode: 'PROCESSING_HALTED', message: 'Invalid reference' }]) : sub('w0', 204)
          ]
        }
      ]
    })
    const c = client()
    const [result] = await c.modifyMany('Contact', [addFive('SUP-1')])
    expect(result).toMatchObject({
      ok: true,
      change: 'updated',
      written: { Total__c: 17, Applied__c: 'ORD-1 ORD-7 ORD-0' }
    })
    expect(c.apiCalls).toBe(4)
  })

  it('without a version field, a lone update is a plain conditional PATCH; 412 every time ends as retryable', async () => {
    const { seen } = record((req) =>
      req.method === 'GET'
        ? found([tom])
        : [412, [{ errorCode: 'PRECONDITION_FAILED', message: 'The requested resource has been modified' }]]
    )
    const item = { ...addFive('SUP-1'), versionField: undefined }
    const [result] = await client().modifyMany('Contact', [item])
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toBeInstanceOf(RetryableError)
    expect(!result.ok && result.error.message).toMatch(/kept changing/)
    const writes = seen.filter((r) => r.method === 'PATCH')
    expect(writes).toHaveLength(MODIFY_ATTEMPTS)
    expect(writes[0]).toMatchObject({ path: `${V}/sobjects/Contact/003TOM` })
    expect(writes[0].headers['if-unmodified-since']).toBe('Mon, 08 Jun 2026 12:03:41 GMT')
  })

  it('batches: one read for all, Composite calls of at most 5 checks, per-item results', async () => {
    const people = Array.from({ length: 7 }, (_, i) => ({ ...tom, Id: `003P${i}`, JLP_Supporter_Id__c: `SUP-${i}` }))
    const { seen } = record((req) => {
      if (req.method === 'GET') return found(people)
      return [200, allSucceed(req)]
    })
    const c = client()
    const results = await c.modifyMany('Contact', [
      ...people.map((p) => addFive(p.JLP_Supporter_Id__c)),
      new RetryableError('bad')
    ])
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true, true, false])
    expect(seen.map((r) => (r.method === 'GET' ? 'read' : r.body.compositeRequest.length))).toEqual(['read', 10, 4])
    expect(c.apiCalls).toBe(3)
  })

  it('finds by email with the several-matches rule', async () => {
    record(() =>
      found([
        { ...tom, Email: 'tom@example.com' },
        { ...tom, Id: '003TWIN', Email: 'TOM@example.com' }
      ])
    )
    const item = { ...addFive('x'), match: byEmail('tom@example.com') }
    const [result] = await client({ multipleMatches: 'fail' }).modifyMany('Contact', [item])
    expect(!result.ok && result.error.message).toMatch(/Several Contact records have Email "tom@example.com"/)
  })

  it('turns LastModifiedDate into an HTTP date', () => {
    expect(httpDate('2026-06-08T12:03:41.000+0000')).toBe('Mon, 08 Jun 2026 12:03:41 GMT')
    expect(httpDate('not a date')).toBeUndefined()
  })
})

describe('event-time guard (upsert / upsertMany with eventTime)', () => {
  const stamp = { field: 'JLP_Last_Event_At__c', at: '2026-07-01T00:00:00Z' }
  const tomAt = (at: string) => ({ ...tom, JLP_Last_Event_At__c: at })

  it('one batch: unguarded items go by Collections, guarded ones read first; older skipped, bad time refused', async () => {
    const { seen } = record((req) => {
      if (req.method === 'GET') return found([tomAt('2026-08-01T00:00:00.000+0000')])
      return [200, [{ id: '003ANN', success: true, created: false }]]
    })
    const results = await client().upsertMany('Contact', [
      { match: byExternalId('JLP_Supporter_Id__c', 'SUP-2'), fields: { Status__c: 'A' } },
      { match: byExternalId('JLP_Supporter_Id__c', 'SUP-1'), fields: { Status__c: 'B' }, eventTime: stamp },
      { match: byEmail('x@example.org'), fields: { Status__c: 'C' }, eventTime: { ...stamp, at: 'soon' } }
    ])
    expect(results[0]).toMatchObject({ ok: true, change: 'updated', id: '003ANN' })
    expect(results[1]).toMatchObject({
      ok: true,
      change: 'unchanged',
      id: '003TOM',
      olderThan: '2026-08-01T00:00:00.000+0000'
    })
    expect(results[2]).toMatchObject({ ok: false, error: { message: expect.stringMatching(/"soon" is not a date/) } })
    expect(seen.map((r) => r.method)).toEqual(['PATCH', 'GET', 'GET'])
  })

  it('a newer event: the fields and the stamp in one conditional update, no stamp written when unguarded', async () => {
    const { seen } = record((req) => (req.method === 'GET' ? found([tomAt('2026-06-01T00:00:00.000+0000')]) : [204]))
    const c = client()
    const result = await c.upsert(
      'Contact',
      byExternalId('JLP_Supporter_Id__c', 'SUP-1'),
      { Status__c: 'B' },
      {
        eventTime: stamp
      }
    )
    expect(result).toMatchObject({ change: 'updated', id: '003TOM' })
    expect(seen[1]).toMatchObject({ method: 'PATCH', path: `${V}/sobjects/Contact/003TOM` })
    expect(seen[1].body).toEqual({ Status__c: 'B', JLP_Last_Event_At__c: '2026-07-01T00:00:00.000Z' })
    expect(seen[1].headers['if-unmodified-since']).toBe(httpDate(STAMP))
    expect(c.apiCalls).toBe(2)
  })
})
