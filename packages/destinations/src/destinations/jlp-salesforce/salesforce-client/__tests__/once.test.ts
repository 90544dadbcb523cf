import { IntegrationError, InvalidAuthenticationError, RetryableError } from '@segment/actions-core'
import {
  RECEIPT_KEY_MAX,
  claimReceipts,
  failure,
  firstFailure,
  isUnresolvedReference,
  publishEventsOnce,
  receiptKey,
  runOnce,
  success
} from '..'
import { V, client, record, rows, soqlOf, type Recorded } from './fixture'

const created = (id: string) => ({ id, success: true, errors: [] })
const dup = {
  success: false,
  errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate value found', fields: [] }]
}

describe('JLP Event Receipts', () => {
  it('keys are "<action>:<key>", present and at most 255 characters', () => {
    expect(receiptKey('logActivity', ' m-1 ')).toBe('logActivity:m-1')
    expect(() => receiptKey('logActivity', '  ')).toThrow(IntegrationError)
    expect(() => receiptKey('logActivity', 'x'.repeat(RECEIPT_KEY_MAX))).toThrow(/Salesforce keeps 255/)
  })

  it('claims many keys in one Collections call: new, seen before, or its own error', async () => {
    const { seen } = record(() => [
      200,
      [
        created('a0R1'),
        dup,
        { success: false, errors: [{ statusCode: 'STRING_TOO_LONG', message: 'too long', fields: [] }] }
      ]
    ])
    const states = await claimReceipts(client(), 'triggerFlow', ['a', 'b', 'c'])
    expect(seen).toHaveLength(1)
    expect(states[0]).toEqual({ state: 'new', id: 'a0R1' })
    expect(states[1]).toEqual({ state: 'seen' })
    expect(states[2]).toMatchObject({
      ok: false,
      error: expect.objectContaining({ message: expect.stringContaining('STRING_TOO_LONG') })
    })
  })

  it('an org without the receipt object gets instructions, for every key', async () => {
    record(() => [
      400,
      [{ errorCode: 'INVALID_TYPE', message: "sObject type 'JLP_Event_Receipt__c' is not supported." }]
    ])
    const states = await claimReceipts(client(), 'triggerFlow', ['a', 'b'])
    for (const s of states) {
      expect(s).toMatchObject({ ok: false, error: expect.objectContaining({ code: 'RECEIPT_OBJECT_MISSING' }) })
    }
  })

  const answerOf = (
    req: Recorded,
    claim: unknown[],
    inFlight: Array<Record<string, unknown>> = []
  ): [number, unknown] => {
    if (req.method === 'POST') return [200, claim]
    if (req.method === 'GET') return [200, rows(inFlight)]
    return [200, req.body.records.map((r: { id: string }) => ({ id: r.id, success: true, errors: [] }))]
  }
  const steps = (seen: Recorded[]) => seen.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`)

  it('runOnce: a run that fails leaves its receipt in flight (nothing deleted) and keeps its retryable error', async () => {
    const { seen } = record((req) => answerOf(req, [created('a0R1')]))
    const [result] = await runOnce(
      client(),
      'triggerFlow',
      ['k'],
      async () => [failure(new RetryableError('Salesforce could not take the request now', 503))],
      () => success('X', 'unchanged')
    )
    expect(result).toMatchObject({ ok: false, error: expect.any(RetryableError) })
    expect(steps(seen)).toEqual([`POST ${V}/composite/sobjects`])
  })

  it('runOnce: a redelivery whose receipt is in flight runs again and marks the receipt done', async () => {
    const ran: number[][] = []
    const { seen } = record((req) => answerOf(req, [dup, dup], [{ Id: 'a0R2', JLP_Event_Id__c: 'triggerFlow:b' }]))
    const results = await runOnce(
      client(),
      'triggerFlow',
      ['a', 'b'],
      async (indices) => {
        ran.push(indices)
        return indices.map(() => success('JLP_Flow', 'invoked'))
      },
      () => success('JLP_Flow', 'unchanged')
    )
    expect(ran).toEqual([[1]])
    expect(results.map((r) => (r.ok ? r.change : 'failed'))).toEqual(['unchanged', 'invoked'])
    expect(steps(seen)).toEqual([`POST ${V}/composite/sobjects`, `GET ${V}/query`, `PATCH ${V}/composite/sobjects`])
    expect(soqlOf(seen[1].path)).toBe(
      "SELECT Id, JLP_Event_Id__c FROM JLP_Event_Receipt__c WHERE JLP_Event_Id__c IN ('triggerFlow:a','triggerFlow:b') AND JLP_Record_Id__c = null"
    )
    // A Flow run writes no record: the receipt points at itself, which says "done".
    expect(seen[2].body.records).toEqual([
      { attributes: { type: 'JLP_Event_Receipt__c' }, id: 'a0R2', JLP_Record_Id__c: 'a0R2' }
    ])
  })

  it('runOnce: a redelivery whose receipt is done does not run, in two calls', async () => {
    const { seen } = record((req) => answerOf(req, [dup]))
    const run = jest.fn()
    const [result] = await runOnce(client(), 'triggerFlow', ['k'], run, () => success('JLP_Flow', 'unchanged'))
    expect(run).not.toHaveBeenCalled()
    expect(result).toMatchObject({ ok: true, change: 'unchanged' })
    expect(steps(seen)).toEqual([`POST ${V}/composite/sobjects`, `GET ${V}/query`])
  })

  it('runOnce: an expired token during the run is thrown (the framework refreshes) and the receipt stays in flight', async () => {
    const { seen } = record((req) => answerOf(req, [created('a0R1')]))
    await expect(
      runOnce(
        client(),
        'triggerFlow',
        ['k'],
        async () => {
          throw new InvalidAuthenticationError('expired')
        },
        () => success('X', 'unchanged')
      )
    ).rejects.toBeInstanceOf(InvalidAuthenticationError)
    expect(seen.map((r) => r.method)).toEqual(['POST'])
  })

  it('publishes a batch of Platform Events: receipts first, then the new events in one Composite call', async () => {
    const { seen } = record((req) =>
      req.method !== 'POST' || req.path.endsWith('/composite/sobjects')
        ? answerOf(req, [created('a0R1'), dup, created('a0R3')])
        : [
            200,
            {
              compositeResponse: [
                {
                  referenceId: 'e0',
                  httpStatusCode: 201,
                  body: {
                    id: 'e00000000000001AAA',
                    success: true,
                    errors: [{ statusCode: 'OPERATION_ENQUEUED', message: 'uuid' }]
                  }
                },
                {
                  referenceId: 'e1',
                  httpStatusCode: 400,
                  body: [{ errorCode: 'INVALID_FIELD', message: 'No such column' }]
                }
              ]
            }
          ]
    )
    const results = await publishEventsOnce(client(), 'triggerFlow', 'JLP_Payment_Failed__e', [
      { key: '1', values: { Attempt__c: 1 } },
      { key: '2', values: { Attempt__c: 2 } },
      { key: '3', values: { Bad__c: 3 } }
    ])
    expect(seen.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`)).toEqual([
      `POST ${V}/composite/sobjects`,
      `GET ${V}/query`,
      `POST ${V}/composite`,
      `PATCH ${V}/composite/sobjects`
    ])
    expect(seen[2].body.compositeRequest.map((s: { body: unknown }) => s.body)).toEqual([
      { Attempt__c: 1 },
      { Bad__c: 3 }
    ])
    expect(results.map((r) => (r.ok ? r.change : 'failed'))).toEqual(['created', 'unchanged', 'failed'])
    // Only the published event's receipt is marked done (with the event's id); the refused one stays in flight.
    expect(seen[3].body.records).toEqual([
      { attributes: { type: 'JLP_Event_Receipt__c' }, id: 'a0R1', JLP_Record_Id__c: 'e00000000000001AAA' }
    ])
  })

  it('reads an allOrNone answer: the failed subrequest, not the rolled-back ones; and unresolved references', () => {
    const rolledBack = {
      referenceId: 'who',
      httpStatusCode: 400,
      body: [
        { errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation failed.' }
      ]
    }
    const task = {
      referenceId: 'task',
      httpStatusCode: 400,
      body: [
        {
          errorCode: 'PROCESSING_HALTED',
          message: 'Invalid reference specified. No value for who.records[0].Id found in who.'
        }
      ]
    }
    expect(firstFailure([rolledBack, task, { ...rolledBack, referenceId: 'receipt' }])).toBe(task)
    expect(isUnresolvedReference(task, 'who')).toBe(true)
    expect(isUnresolvedReference(task, 'lead')).toBe(false)
    expect(isUnresolvedReference(rolledBack, 'who')).toBe(false)
  })
})
