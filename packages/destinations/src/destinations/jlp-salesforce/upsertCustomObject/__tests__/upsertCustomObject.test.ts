import { PayloadValidationError, RetryableError, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { getSample } from '@jlp/tracking-plan'
import { V, api, record, recordStore } from '../../salesforce-client/__tests__/fixture'
import { auth, executed, presetMapping, settings, testDestination } from '../../logActivity/__tests__/answers'

const createdEvent = getSample('Recurring Payment Created', 'monthly-one-line') as unknown as SegmentEvent
const cancelled = getSample('Subscription Cancelled', 'after-failed-payments') as unknown as SegmentEvent
const preset = (event: string) => presetMapping('upsertCustomObject', event) as JSONObject
/** Without a newest-event field: every event overwrites (one call). */
const mapping = { ...preset('Recurring Payment Created'), event_time_field: '' }
const run = (event = createdEvent, overrides: object = {}) =>
  testDestination.testAction('upsertCustomObject', { event, settings, auth, mapping: { ...mapping, ...overrides } })
const UPSERT = `${V}/sobjects/JLP_Subscription__c/JLP_Subscription_Id__c/SUB-20002`

describe('upsertCustomObject', () => {
  it('no newest-event field: upserts the record by its external id with the mapped fields, in one call', async () => {
    const bodies: unknown[] = []
    api()
      .patch(UPSERT, (b) => (bodies.push(b), true))
      .reply(201, { id: 'a0JSUB', success: true, errors: [], created: true })
    await run()
    expect(bodies).toEqual([
      {
        Status__c: 'Active',
        Amount__c: 4.34,
        Product_Type__c: 'Weekly Jumbo Draw – 1 line, paid monthly',
        Start_Date__c: '2026-05-02T10:00:00.000Z'
      }
    ])
    expect(executed()).toEqual({
      summary: 'JLP_Subscription__c a0JSUB created (JLP_Subscription_Id__c "SUB-20002")',
      records: [{ object: 'JLP_Subscription__c', id: 'a0JSUB', change: 'created' }],
      apiCalls: 1
    })
  })

  it('a later event updates the same record (Salesforce says "updated")', async () => {
    api().patch(UPSERT).reply(200, { id: 'a0JSUB', success: true, errors: [], created: false })
    await testDestination.testAction('upsertCustomObject', {
      event: cancelled,
      settings,
      auth,
      mapping: { ...preset('Subscription Cancelled'), event_time_field: '' }
    })
    expect(executed()).toMatchObject({
      summary: 'JLP_Subscription__c a0JSUB updated (JLP_Subscription_Id__c "SUB-20002")'
    })
  })

  it('a value Salesforce refuses names the field; a busy org is retried', async () => {
    api()
      .patch(UPSERT)
      .reply(400, [
        { errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'bad value: Paused', fields: ['Status__c'] }
      ])
    const bad = await run(createdEvent, { values: { Status__c: 'Paused' } }).catch((e) => e)
    expect(bad).toBeInstanceOf(PayloadValidationError)
    expect(bad.message).toMatch(/on Status__c: bad value: Paused/)
    api()
      .patch(UPSERT)
      .reply(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }])
    await expect(run()).rejects.toBeInstanceOf(RetryableError)
  })

  it.each([
    [{ object: 'JLP_Payment_Failed__e' }, /Platform Event: publish it with the "Trigger Flow" action/],
    [{ object: 'Contact; DELETE' }, /is not a Salesforce object API name/],
    [{ external_id_field: 'Id = 1 OR' }, /is not a Salesforce external id field API name/],
    [{ external_id: '' }, /external_id/],
    [{ values: { npo02__TotalOppAmount__c: 5 } }, /NPSP rollup/]
  ])('refuses %j before calling Salesforce', async (overrides, message) => {
    const { seen } = record(() => [200, {}])
    await expect(run(createdEvent, overrides)).rejects.toThrow(message)
    expect(seen).toHaveLength(0)
  })

  it('no newest-event field: a batch is one Collections upsert per object, a result per event', async () => {
    const { seen } = record(() => [
      200,
      [
        { id: 'a0J1', success: true, errors: [], created: true },
        {
          success: false,
          errors: [{ statusCode: 'STRING_TOO_LONG', message: 'too long', fields: ['Product_Type__c'] }]
        }
      ]
    ])
    const other = getSample('Recurring Payment Created', 'monthly-two-lines') as unknown as SegmentEvent
    const broken = { ...createdEvent, properties: { ...createdEvent.properties, subscription_id: '' } } as SegmentEvent
    await testDestination.testBatchAction('upsertCustomObject', {
      events: [createdEvent, other, broken],
      settings,
      auth,
      mapping: { ...mapping, enable_batching: true }
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      path: `${V}/composite/sobjects/JLP_Subscription__c/JLP_Subscription_Id__c`
    })
    expect(seen[0].body.records.map((r: { JLP_Subscription_Id__c: string }) => r.JLP_Subscription_Id__c)).toEqual([
      'SUB-20002',
      'SUB-20001'
    ])
    const multi = testDestination.results.at(-1)?.multistatus ?? []
    expect(multi.map((m) => m.status)).toEqual([200, 400, 400])
    expect(multi[0]).toMatchObject({
      body: { summary: 'JLP_Subscription__c a0J1 created (JLP_Subscription_Id__c "SUB-20002")' }
    })
    expect(multi[1]).toMatchObject({ errormessage: expect.stringContaining('STRING_TOO_LONG on Product_Type__c') })
    expect(multi[2]).toMatchObject({ errormessage: expect.stringContaining('no value for JLP_Subscription_Id__c') })
  })
})

describe('upsertCustomObject: the newest event wins (JLP Subscription presets keep JLP_Last_Event_At__c)', () => {
  const failed = getSample('Recurring Payment Failed', 'insufficient-funds') as unknown as SegmentEvent
  const sub = { Id: 'a0JSUB', JLP_Subscription_Id__c: 'SUB-20002', LastModifiedDate: '2026-07-09T06:00:01.000+0000' }
  const runPreset = (event: SegmentEvent, name: string) =>
    testDestination.testAction('upsertCustomObject', { event, settings, auth, mapping: preset(name) })

  it('a late copy of a failed payment after the cancellation changes nothing: read only, 1 call', async () => {
    const store = recordStore('JLP_Subscription_Id__c', {
      ...sub,
      Status__c: 'Cancelled',
      JLP_Last_Event_At__c: '2026-07-09T06:00:00.000+0000'
    })
    await runPreset(failed, 'Recurring Payment Failed')
    expect(store.seen.map((r) => r.method)).toEqual(['GET'])
    expect(store.get('SUB-20002')).toMatchObject({ Status__c: 'Cancelled' })
    expect(executed()).toEqual({
      summary:
        'JLP_Subscription__c a0JSUB unchanged (JLP_Subscription_Id__c "SUB-20002"): this event is older than the ' +
        'newest event already applied (2026-07-09T06:00:00.000+0000)',
      records: [{ object: 'JLP_Subscription__c', id: 'a0JSUB', change: 'unchanged' }],
      apiCalls: 1
    })
  })

  it('a newer event writes its fields and the stamp (read + conditional write, 2 calls)', async () => {
    const store = recordStore('JLP_Subscription_Id__c', {
      ...sub,
      Status__c: 'Payment Failed',
      JLP_Last_Event_At__c: '2026-06-02T06:00:00.000+0000'
    })
    await runPreset(cancelled, 'Subscription Cancelled')
    expect(store.seen.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      `GET ${V}/query`,
      `PATCH ${V}/sobjects/JLP_Subscription__c/a0JSUB`
    ])
    expect(store.seen[1].headers['if-unmodified-since']).toBe('Thu, 09 Jul 2026 06:00:01 GMT')
    expect(store.get('SUB-20002')).toMatchObject({
      Status__c: 'Cancelled',
      Cancelled_Date__c: '2026-07-09T06:00:05.000Z',
      JLP_Last_Event_At__c: '2026-07-09T06:00:05.000Z'
    })
    expect(executed()).toMatchObject({ apiCalls: 2, records: [{ change: 'updated' }] })
  })

  it('a first event creates the record with the stamp', async () => {
    const store = recordStore('JLP_Subscription_Id__c')
    await runPreset(createdEvent, 'Recurring Payment Created')
    expect(store.seen[1]).toMatchObject({ method: 'POST', path: `${V}/sobjects/JLP_Subscription__c` })
    expect(store.get('SUB-20002')).toMatchObject({
      Status__c: 'Active',
      JLP_Last_Event_At__c: '2026-05-02T10:00:00.000Z'
    })
  })

  it('a batch, copies out of order: each event its own result, the newest one kept', async () => {
    const store = recordStore('JLP_Subscription_Id__c', { ...sub, Status__c: 'Active' })
    await testDestination.testBatchAction('upsertCustomObject', {
      events: [cancelled, failed, createdEvent],
      settings,
      auth,
      mapping: { ...preset('Subscription Cancelled'), enable_batching: true }
    })
    const multi = testDestination.results.at(-1)?.multistatus ?? []
    expect(multi.map((m) => (m.body as { records?: Array<{ change: string }> })?.records?.[0]?.change)).toEqual([
      'updated',
      'unchanged',
      'unchanged'
    ])
    expect(store.get('SUB-20002')).toMatchObject({
      Status__c: 'Cancelled',
      JLP_Last_Event_At__c: '2026-07-09T06:00:05.000Z'
    })
  })
})

describe('upsertCustomObject: dynamic fields', () => {
  const describeAnswer = {
    name: 'JLP_Subscription__c',
    fields: [
      { name: 'Id', label: 'Record ID', type: 'id', createable: false, updateable: false, nillable: false },
      {
        name: 'JLP_Subscription_Id__c',
        label: 'Subscription ID',
        type: 'string',
        externalId: true,
        createable: true,
        updateable: true,
        nillable: true
      },
      { name: 'Status__c', label: 'Status', type: 'picklist', createable: true, updateable: true, nillable: true },
      {
        name: 'Name__c',
        label: 'Name',
        type: 'string',
        createable: true,
        updateable: true,
        nillable: false,
        defaultedOnCreate: false
      },
      {
        name: 'CreatedDate',
        label: 'Created Date',
        type: 'datetime',
        createable: false,
        updateable: false,
        nillable: false
      }
    ]
  }

  it('objects: the org’s writable objects, custom first, no Platform Events', async () => {
    record(() => [
      200,
      {
        sobjects: [
          { name: 'Account', label: 'Account', createable: true, updateable: true, custom: false },
          { name: 'JLP_Subscription__c', label: 'JLP Subscription', createable: true, updateable: true, custom: true },
          {
            name: 'JLP_Payment_Failed__e',
            label: 'JLP Payment Failed',
            createable: true,
            updateable: false,
            custom: true
          },
          { name: 'ApexLog', label: 'Apex Debug Log', createable: false, updateable: false, custom: false }
        ]
      }
    ])
    const answer = await testDestination.testDynamicField('upsertCustomObject', 'object', {
      settings,
      auth,
      payload: {}
    })
    expect(answer).toEqual({
      choices: [
        { label: 'JLP Subscription (JLP_Subscription__c)', value: 'JLP_Subscription__c' },
        { label: 'Account (Account)', value: 'Account' }
      ]
    })
  })

  it('external id fields, and the writable fields with their type, from the chosen object’s describe', async () => {
    const { seen } = record(() => [200, describeAnswer])
    const payload = { object: 'JLP_Subscription__c' }
    const ids = await testDestination.testDynamicField('upsertCustomObject', 'external_id_field', {
      settings,
      auth,
      payload
    })
    expect(ids).toEqual({
      choices: [{ label: 'Subscription ID (JLP_Subscription_Id__c)', value: 'JLP_Subscription_Id__c' }]
    })
    const keys = await testDestination.testDynamicField('upsertCustomObject', 'values.__keys__', {
      settings,
      auth,
      payload
    })
    expect(keys).toEqual({
      choices: [
        { label: 'Subscription ID (JLP_Subscription_Id__c)', value: 'JLP_Subscription_Id__c', description: 'string' },
        { label: 'Status (Status__c)', value: 'Status__c', description: 'picklist' },
        { label: 'Name (Name__c)', value: 'Name__c', description: 'string, required on create' }
      ]
    })
    expect(seen.map((r) => r.path)).toEqual([
      `${V}/sobjects/JLP_Subscription__c/describe`,
      `${V}/sobjects/JLP_Subscription__c/describe`
    ])
  })

  it('no object chosen yet, or Salesforce refuses: an empty list that says why', async () => {
    const { seen } = record(() => [404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]])
    const none = await testDestination.testDynamicField('upsertCustomObject', 'external_id_field', {
      settings,
      auth,
      payload: {}
    })
    expect(none).toMatchObject({ choices: [], error: { message: expect.stringContaining('object API name') } })
    expect(seen).toHaveLength(0)
    const missing = await testDestination.testDynamicField('upsertCustomObject', 'values.__keys__', {
      settings,
      auth,
      payload: { object: 'Nope__c' }
    })
    expect(missing).toMatchObject({ choices: [], error: { message: expect.stringContaining('NOT_FOUND') } })
  })
})
