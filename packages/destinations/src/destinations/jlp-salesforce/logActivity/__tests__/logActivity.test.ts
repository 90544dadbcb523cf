import { IntegrationError, PayloadValidationError, RetryableError, type SegmentEvent } from '@segment/actions-core'
import { getSample } from '@jlp/tracking-plan'
import nock from 'nock'
import { V, record, soqlOf } from '../../salesforce-client/__tests__/fixture'
import {
  auth,
  composite,
  created,
  duplicate,
  executed,
  halted,
  presetMapping,
  refused,
  rows,
  settings,
  testDestination,
  unresolved
} from './answers'

const productAdded = getSample('Product Added', 'lottery-line') as unknown as SegmentEvent
const cartViewed = getSample('Cart Viewed', 'one-line') as unknown as SegmentEvent
const mapping = presetMapping('logActivity', 'Product Added')
const run = (event = productAdded, overrides: object = {}) =>
  testDestination.testAction('logActivity', { event, settings, auth, mapping: { ...mapping, ...overrides } })

const onContact = composite(rows('who', ['003TOM']), created('task', '00TNEW'), created('receipt', 'a0RNEW'))
const noContact = composite(halted('who'), unresolved('task', 'who'), halted('receipt'))

describe('logActivity', () => {
  it('logs a Product Added as a completed Task on the Contact, with its receipt, in one Composite call', async () => {
    const { seen } = record(() => [200, onContact])
    await run()
    expect(seen).toHaveLength(1)
    expect(seen[0].path).toBe(`${V}/composite`)
    const { allOrNone, compositeRequest } = seen[0].body
    expect(allOrNone).toBe(true)
    const [who, task, receipt] = compositeRequest
    expect(soqlOf(who.url)).toBe(
      "SELECT Id FROM Contact WHERE JLP_Supporter_Id__c = 'SUP-100002' ORDER BY LastModifiedDate DESC LIMIT 1"
    )
    expect(task).toMatchObject({ method: 'POST', url: `${V}/sobjects/Task`, referenceId: 'task' })
    expect(task.body).toMatchObject({
      Subject: 'JLP: Product Added – Weekly Jumbo Draw – 1 line',
      ActivityDate: '2026-06-08',
      Type: 'Other',
      Status: 'Completed',
      JLP_Event_Id__c: productAdded.messageId,
      WhoId: '@{who.records[0].Id}'
    })
    expect(task.body.Description.split('\n')).toEqual(
      expect.arrayContaining(['Draw no: 1234', 'Price: 1', 'Recurring purchase enabled: no', 'Platform source: web'])
    )
    expect(task.body).not.toHaveProperty('WhatId')
    expect(receipt).toEqual({
      method: 'POST',
      url: `${V}/sobjects/JLP_Event_Receipt__c`,
      referenceId: 'receipt',
      body: {
        JLP_Event_Id__c: `logActivity:${productAdded.messageId}`,
        JLP_Action__c: 'logActivity',
        JLP_Record_Id__c: '@{task.id}'
      }
    })
    expect(executed()).toEqual({
      summary: 'Task 00TNEW logged on Contact 003TOM',
      records: [{ object: 'Task', id: '00TNEW', change: 'created' }],
      apiCalls: 1
    })
  })

  it('a redelivered event: the receipt exists, Salesforce rolls the call back, nothing new (1 call)', async () => {
    const { seen } = record(() => [200, composite(halted('who'), halted('task'), duplicate('receipt'))])
    await run()
    expect(seen).toHaveLength(1)
    expect(executed()).toMatchObject({ summary: 'Task already logged for this event on Contact', apiCalls: 1 })
  })

  it('no Contact: the same call for the unconverted Lead, without a Related To (2 calls)', async () => {
    const { seen } = record(() => [200, seen.length === 1 ? noContact : onContact])
    await run(productAdded, { what_id: '006CART' })
    expect(seen).toHaveLength(2)
    expect(seen[0].body.compositeRequest[1].body.WhatId).toBe('006CART')
    const [who, task] = seen[1].body.compositeRequest
    expect(soqlOf(who.url)).toBe(
      "SELECT Id FROM Lead WHERE JLP_Supporter_Id__c = 'SUP-100002' AND IsConverted = false " +
        'ORDER BY LastModifiedDate DESC LIMIT 1'
    )
    expect(task.body).not.toHaveProperty('WhatId')
    expect(executed()).toMatchObject({
      summary: 'Task 00TNEW logged on Lead 003TOM (WhatId left out: not allowed on a Lead’s Task)',
      apiCalls: 2
    })
  })

  it('no Contact and no Lead: skipped with a clear result (2 calls)', async () => {
    const { seen } = record(() => [200, noContact])
    await run()
    expect(seen).toHaveLength(2)
    expect(executed()).toEqual({
      summary: 'No Task: Salesforce has no Contact or Lead for this supporter',
      records: [{ object: 'Task', change: 'skipped' }],
      apiCalls: 2
    })
  })

  it('no one, "Create a Lead": the Lead is upserted by supporter id with the Task and receipt (3 calls)', async () => {
    const { seen } = record(() => [
      200,
      seen.length < 3
        ? noContact
        : composite(created('lead', '00QNEW', { created: true }), created('task', '00TNEW'), created('receipt', 'a0R'))
    ])
    await run(productAdded, { when_no_supporter: 'create_lead' })
    const [lead, task] = seen[2].body.compositeRequest
    expect(lead).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Lead/JLP_Supporter_Id__c/SUP-100002`,
      referenceId: 'lead',
      body: {
        Email: 'tom.hargreaves@example.com',
        FirstName: 'Tom',
        LastName: 'Hargreaves',
        Company: 'Individual',
        LeadSource: 'Web'
      }
    })
    expect(task.body.WhoId).toBe('@{lead.id}')
    expect(executed()).toEqual({
      summary: 'Task 00TNEW logged on new Lead 00QNEW',
      records: [
        { object: 'Task', id: '00TNEW', change: 'created' },
        { object: 'Lead', id: '00QNEW', change: 'created' }
      ],
      apiCalls: 3
    })
  })

  it('matches by email when no supporter id field is set', async () => {
    const { seen } = record(() => [200, onContact])
    await testDestination.testAction('logActivity', {
      event: productAdded,
      settings: { instanceUrl: settings.instanceUrl },
      auth,
      mapping
    })
    expect(soqlOf(seen[0].body.compositeRequest[0].url)).toContain("WHERE Email = 'tom.hargreaves@example.com'")
  })

  it('a Task Salesforce refuses is bad data naming the field, and the Lead is not tried', async () => {
    const { seen } = record(() => [
      200,
      composite(
        halted('who'),
        refused('task', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Status: bad value for restricted picklist field', [
          'Status'
        ]),
        halted('receipt')
      )
    ])
    const err = await run(productAdded, { status: 'Done' }).catch((e) => e)
    expect(err).toBeInstanceOf(PayloadValidationError)
    expect(err.message).toMatch(/on Status/)
    expect(seen).toHaveLength(1)
  })

  it('Salesforce busy is retried; a missing receipt object says how to add it', async () => {
    record(() => [503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]])
    await expect(run()).rejects.toBeInstanceOf(RetryableError)
    nock.cleanAll()
    record(() => [
      200,
      composite(
        halted('who'),
        halted('task'),
        refused('receipt', 'INVALID_TYPE', "sObject type 'JLP_Event_Receipt__c' is not supported.")
      )
    ])
    const err = await run().catch((e) => e)
    expect(err).toBeInstanceOf(IntegrationError)
    expect(err.code).toBe('RECEIPT_OBJECT_MISSING')
    expect(err.message).toContain('JLP_Event_Id__c')
  })

  it('refuses an event with neither email nor supporter id, without calling Salesforce', async () => {
    const { seen } = record(() => [200, onContact])
    const anonymous = { ...productAdded, userId: undefined, context: {} } as unknown as SegmentEvent
    await expect(run(anonymous)).rejects.toThrow(/no an email or a supporter id|no .*email/)
    expect(seen).toHaveLength(0)
  })

  it('Cart Viewed moves the cart’s open Opportunity (closed ones excluded) in one more call', async () => {
    const { seen } = record(() => [
      200,
      seen.length === 1
        ? onContact
        : composite(rows('opp', ['006CART']), { referenceId: 'set', httpStatusCode: 204, body: null })
    ])
    await testDestination.testAction('logActivity', {
      event: cartViewed,
      settings,
      auth,
      mapping: presetMapping('logActivity', 'Cart Viewed')
    })
    expect(seen).toHaveLength(2)
    expect(seen[0].body.compositeRequest[1].body.Subject).toBe('JLP: Cart Viewed – cart CART-88101')
    const [opp, set] = seen[1].body.compositeRequest
    expect(soqlOf(opp.url)).toBe(
      "SELECT Id FROM Opportunity WHERE JLP_Cart_Id__c = 'CART-88101' AND IsClosed = false " +
        'ORDER BY LastModifiedDate DESC LIMIT 1'
    )
    expect(set).toMatchObject({
      method: 'PATCH',
      url: `${V}/sobjects/Opportunity/@{opp.records[0].Id}`,
      body: { StageName: 'Needs Analysis' }
    })
    expect(executed()).toMatchObject({
      summary: 'Task 00TNEW logged on Contact 003TOM; Opportunity 006CART moved to Needs Analysis',
      apiCalls: 2
    })
  })

  it('no open Opportunity for the cart: the Task is still logged, the result says so', async () => {
    record((req) => [
      200,
      req.body.compositeRequest[0].url.includes('Opportunity')
        ? composite(rows('opp', []), unresolved('set', 'opp'))
        : onContact
    ])
    await testDestination.testAction('logActivity', {
      event: cartViewed,
      settings,
      auth,
      mapping: presetMapping('logActivity', 'Cart Viewed')
    })
    expect(executed()).toMatchObject({ summary: expect.stringContaining('no open Opportunity for this cart') })
  })

  it('moving the Opportunity needs a stage', async () => {
    const { seen } = record(() => [200, onContact])
    await expect(run(cartViewed, { update_opportunity: true, opportunity_stage: '' })).rejects.toThrow(
      /no Opportunity stage/
    )
    expect(seen).toHaveLength(0)
  })
})
