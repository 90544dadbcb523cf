import { createTestIntegration, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { samples } from '@jlp/tracking-plan'
import destination from '../..'
import type { Settings } from '../../generated-types'
import {
  HOST,
  TOKEN,
  V,
  record,
  recordStore,
  soqlOf,
  sub,
  type Recorded
} from '../../salesforce-client/__tests__/fixture'
import { appliedWindow } from '..'

const testDestination = createTestIntegration(destination)
const auth = { accessToken: TOKEN, refreshToken: 'r' }
const byId: Settings = { instanceUrl: HOST, contactExternalIdField: 'JLP_Supporter_Id__c' }
const presetFor = (event: string) => {
  const preset = destination.presets?.find((p) => p.type === 'automatic' && p.subscribe.includes(`"${event}"`))
  return (preset && 'mapping' in preset ? preset.mapping : {}) as JSONObject
}
const ev = (e: object) => e as unknown as SegmentEvent
const orderCompleted = ev(samples.orderCompleted.raffleWithDonation)
const STAMP = '2026-06-01T10:00:00.000+0000'
const siobhan = { Id: '003SIOBHAN', JLP_Supporter_Id__c: 'SUP-100001', LastModifiedDate: STAMP }
const executed = () => testDestination.results.find((r) => r.output === 'Action Executed')?.data

/** A Contact store behind the read query and the compare-and-swap write. */
function org(contact?: Record<string, unknown>) {
  let current = contact
  const { seen } = record((req: Recorded) => {
    if (req.method === 'GET')
      return [200, { totalSize: current ? 1 : 0, done: true, records: current ? [current] : [] }]
    if (req.path.endsWith('/composite')) {
      const write = req.body.compositeRequest[1]
      current = { ...current, ...write.body }
      return [
        200,
        {
          compositeResponse: [
            {
              referenceId: 'w0c',
              httpStatusCode: 200,
              body: { totalSize: 1, done: true, records: [{ Id: current?.Id }] }
            },
            sub('w0', 204)
          ]
        }
      ]
    }
    current = { Id: '003NEW', ...req.body }
    return [req.method === 'POST' ? 201 : 200, { id: '003NEW', success: true, created: true }]
  })
  return { seen, now: () => current }
}

const contacts = (...records: Array<Record<string, unknown>>) => recordStore('JLP_Supporter_Id__c', ...records)

const run = (event: SegmentEvent, mapping: JSONObject = presetFor('Order Completed'), settings: Settings = byId) =>
  testDestination.testAction('updateSupporterValue', { event, settings, mapping, auth })

describe('updateSupporterValue', () => {
  it('adds an order to the total spend once: read, then a conditional write (2 calls)', async () => {
    const { seen } = org({ ...siobhan, JLP_Total_Spend__c: 20, JLP_Applied_Event_Ids__c: 'ORD-1' })
    await run(orderCompleted)
    expect(soqlOf(seen[0].path)).toBe(
      'SELECT Id, JLP_Supporter_Id__c, LastModifiedDate, JLP_Total_Spend__c, JLP_Last_Purchase_Date__c, ' +
        'JLP_Applied_Event_Ids__c, JLP_Last_Event_At__c, Email, FirstName, LastName, JLP_Product_Type__c FROM ' +
        "Contact WHERE JLP_Supporter_Id__c IN ('SUP-100001') ORDER BY LastModifiedDate DESC"
    )
    const [check, write] = seen[1].body.compositeRequest
    expect(soqlOf(check.url)).toBe(
      "SELECT Id FROM Contact WHERE Id = '003SIOBHAN' AND JLP_Applied_Event_Ids__c = 'ORD-1'"
    )
    expect(write.httpHeaders).toEqual({ 'If-Unmodified-Since': 'Mon, 01 Jun 2026 10:00:00 GMT' })
    expect(write.body).toEqual({
      Email: 'siobhan.obrien@example.co.uk',
      FirstName: 'Siobhan',
      LastName: "O'Brien",
      JLP_Product_Type__c: 'Raffle Ticket',
      JLP_Total_Spend__c: 35,
      JLP_Applied_Event_Ids__c: 'ORD-700103 ORD-1',
      JLP_Last_Purchase_Amount__c: 15,
      JLP_Last_Purchase_Date__c: '2026-06-18T08:15:28.000Z',
      JLP_Last_Event_At__c: '2026-06-18T08:15:28.000Z'
    })
    expect(executed()).toEqual({
      summary: 'Contact 003SIOBHAN updated: total spend 35 (+15 for ORD-700103)',
      records: [{ object: 'Contact', id: '003SIOBHAN', change: 'updated' }],
      apiCalls: 2
    })
  })

  it('counts an order once when it arrives again, out of order too (A, B, A)', async () => {
    const state = org({ ...siobhan, JLP_Total_Spend__c: 0 })
    const a = orderCompleted
    const b = ev({ ...samples.purchaseCompleted.oneLine, userId: 'SUP-100001', messageId: 'm-b' })
    await run(a)
    await run(b, presetFor('Purchase Completed'))
    await run(a)
    expect(state.now()?.JLP_Total_Spend__c).toBe(16)
    expect(state.now()?.JLP_Applied_Event_Ids__c).toBe('ORD-700101 ORD-700103')
    expect(executed()).toMatchObject({
      summary: 'Contact 003SIOBHAN unchanged: purchase ORD-700103 was already counted',
      apiCalls: 1
    })
  })

  it('Purchase Completed and Order Completed of one order count once', async () => {
    const state = org({ ...siobhan, Id: '003PRIYA', JLP_Supporter_Id__c: 'SUP-100003' })
    await run(ev(samples.purchaseCompleted.subscription), presetFor('Purchase Completed'))
    await run(ev(samples.orderCompleted.subscription))
    expect(state.now()).toMatchObject({ JLP_Total_Spend__c: 8.68, JLP_Product_Type__c: 'Subscription' })
  })

  it('creates the Contact for a first purchase, with the supporter id and defaults', async () => {
    const { seen } = org(undefined)
    const event = ev({ ...orderCompleted, context: { traits: { email: 'new@example.org' } } })
    await run(event)
    expect(seen[1]).toMatchObject({ method: 'POST', path: `${V}/sobjects/Contact` })
    expect(seen[1].body).toEqual({
      Email: 'new@example.org',
      JLP_Product_Type__c: 'Raffle Ticket',
      LastName: '[not provided]',
      JLP_Total_Spend__c: 15,
      JLP_Applied_Event_Ids__c: 'ORD-700103',
      JLP_Last_Purchase_Amount__c: 15,
      JLP_Last_Purchase_Date__c: '2026-06-18T08:15:28.000Z',
      JLP_Last_Event_At__c: '2026-06-18T08:15:28.000Z',
      JLP_Supporter_Id__c: 'SUP-100001'
    })
  })

  it('creates a first-time buyer’s Contact with the name the event carries', async () => {
    const { seen } = org(undefined)
    await run(orderCompleted)
    expect(seen[1].body).toMatchObject({ FirstName: 'Siobhan', LastName: "O'Brien" })
  })

  it('writes to the field names and picklist values a customer maps instead', async () => {
    const { seen } = org({ ...siobhan, Spend__c: 2, Counted__c: 'A-1 A-2' })
    await run(orderCompleted, {
      ...presetFor('Order Completed'),
      total_spend_field: 'Spend__c',
      last_purchase_date_field: 'Last_Date__c',
      last_purchase_amount_field: 'Last_Amount__c',
      product_type_field: 'Product__c',
      recurring_status_field: 'Recurring__c',
      recurring_status: 'Active',
      applied_events_field: 'Counted__c',
      applied_events_length: 16,
      product_types: { Raffle: 'Raffle' },
      custom_fields: { Favourite_Draw__c: { '@path': '$.properties.draw_name' } }
    })
    expect(soqlOf(seen[0].path)).toContain('Spend__c, Last_Date__c, Counted__c, JLP_Last_Event_At__c')
    expect(seen[1].body.compositeRequest[1].body).toEqual({
      Email: 'siobhan.obrien@example.co.uk',
      FirstName: 'Siobhan',
      LastName: "O'Brien",
      Product__c: 'Raffle',
      Recurring__c: 'Active',
      Favourite_Draw__c: "St Luke's Hospice Summer Raffle",
      Spend__c: 17,
      Counted__c: 'ORD-700103 A-1',
      Last_Amount__c: 15,
      Last_Date__c: '2026-06-18T08:15:28.000Z',
      JLP_Last_Event_At__c: '2026-06-18T08:15:28.000Z'
    })
  })

  it('does not move the last purchase back in time for an older order', async () => {
    const state = org({
      ...siobhan,
      JLP_Total_Spend__c: 5,
      JLP_Last_Purchase_Date__c: '2026-07-01T00:00:00.000+0000',
      JLP_Last_Purchase_Amount__c: 5
    })
    await run(orderCompleted)
    expect(state.now()).toMatchObject({
      JLP_Total_Spend__c: 20,
      JLP_Last_Purchase_Amount__c: 5,
      JLP_Last_Purchase_Date__c: '2026-07-01T00:00:00.000+0000'
    })
  })

  it('writes a lifetime value the event carries as it is, under the event-time guard (read + write, 2 calls)', async () => {
    const store = contacts({ ...siobhan, JLP_Total_Spend__c: 40 })
    const event = ev({
      ...orderCompleted,
      properties: { ...samples.orderCompleted.raffleWithDonation.properties, lifetime_value: 120.5 }
    })
    await run(event)
    expect(store.seen.map((r) => r.method)).toEqual(['GET', 'PATCH'])
    expect(store.seen[1]).toMatchObject({ path: `${V}/sobjects/Contact/003SIOBHAN` })
    expect(store.seen[1].headers['if-unmodified-since']).toBe('Mon, 01 Jun 2026 10:00:00 GMT')
    expect(store.get('SUP-100001')).toMatchObject({
      JLP_Total_Spend__c: 120.5,
      JLP_Last_Purchase_Amount__c: 15,
      JLP_Last_Event_At__c: '2026-06-18T08:15:28.000Z'
    })
    expect(executed()).toMatchObject({ summary: 'Contact 003SIOBHAN updated', apiCalls: 2 })
  })

  it.each([
    [
      'Recurring Payment Created',
      samples.recurringPaymentCreated.monthlyTwoLines,
      { JLP_Recurring_Status__c: 'Active', JLP_Product_Type__c: 'Subscription' }
    ],
    ['Subscription Cancelled', samples.subscriptionCancelled.bySupporter, { JLP_Recurring_Status__c: 'Cancelled' }]
  ])('no newest-event field: %s overwrites in one upsert call, as before', async (event, sample, expected) => {
    const { seen } = record(() => [200, { id: '003PRIYA', success: true, created: false }])
    await run(ev(sample), { ...presetFor(event), event_time_field: '' })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'PATCH', path: `${V}/sobjects/Contact/JLP_Supporter_Id__c/SUP-100003` })
    expect(seen[0].body).toEqual({
      Email: 'priya.patel@example.org',
      FirstName: 'Priya',
      LastName: 'Patel',
      ...expected
    })
    expect(executed()).toMatchObject({ summary: 'Contact 003PRIYA updated', apiCalls: 1 })
  })

  describe('the newest event wins, whatever order copies arrive in', () => {
    const created = ev(samples.recurringPaymentCreated.monthlyTwoLines) // 2026-06-01, Active
    const cancelled = ev(samples.subscriptionCancelled.bySupporter) // 2026-07-14, Cancelled
    const priya = { ...siobhan, Id: '003PRIYA', JLP_Supporter_Id__c: 'SUP-100003', Email: 'priya.patel@example.org' }

    it('a late copy of Recurring Payment Created after the cancellation changes nothing (read only, 1 call)', async () => {
      const store = contacts({ ...priya, JLP_Recurring_Status__c: 'Cancelled', JLP_Product_Type__c: 'Ticket Book' })
      await run(cancelled, presetFor('Subscription Cancelled'))
      await run(created, presetFor('Recurring Payment Created'))
      expect(store.get('SUP-100003')).toMatchObject({
        JLP_Recurring_Status__c: 'Cancelled',
        JLP_Product_Type__c: 'Ticket Book',
        JLP_Last_Event_At__c: '2026-07-14T20:02:11.000Z'
      })
      expect(store.seen.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET'])
      expect(executed()).toEqual({
        summary:
          'Contact 003PRIYA unchanged: this event is older than the newest event already applied ' +
          '(2026-07-14T20:02:11.000Z)',
        records: [{ object: 'Contact', id: '003PRIYA', change: 'unchanged' }],
        apiCalls: 1
      })
    })

    it('in order, the newer event writes its values and moves the stamp (read + conditional write, 2 calls)', async () => {
      const store = contacts({ ...priya })
      await run(created, presetFor('Recurring Payment Created'))
      expect(store.get('SUP-100003')).toMatchObject({ JLP_Recurring_Status__c: 'Active' })
      await run(cancelled, presetFor('Subscription Cancelled'))
      const patch = store.seen[3]
      expect(patch).toMatchObject({ method: 'PATCH', path: `${V}/sobjects/Contact/003PRIYA` })
      expect(patch.body).toEqual({
        Email: 'priya.patel@example.org',
        FirstName: 'Priya',
        LastName: 'Patel',
        JLP_Recurring_Status__c: 'Cancelled',
        JLP_Last_Event_At__c: '2026-07-14T20:02:11.000Z'
      })
      expect(patch.headers['if-unmodified-since']).toBeDefined()
      expect(executed()).toMatchObject({ summary: 'Contact 003PRIYA updated', apiCalls: 2 })
    })

    it('an event of the same time is applied; its exact redelivery writes nothing', async () => {
      const store = contacts({
        ...priya,
        JLP_Recurring_Status__c: 'Payment Failed',
        JLP_Last_Event_At__c: '2026-07-14T20:02:11.000+0000'
      })
      await run(cancelled, presetFor('Subscription Cancelled'))
      expect(store.get('SUP-100003')).toMatchObject({ JLP_Recurring_Status__c: 'Cancelled' })
      await run(cancelled, presetFor('Subscription Cancelled'))
      expect(store.seen.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET'])
      expect(executed()).toMatchObject({ summary: 'Contact 003PRIYA unchanged', apiCalls: 1 })
    })

    it('an older purchase still counts once, but leaves the newer product type alone', async () => {
      const store = contacts({
        ...siobhan,
        JLP_Total_Spend__c: 10,
        JLP_Product_Type__c: 'Subscription',
        JLP_Last_Event_At__c: '2026-07-01T00:00:00.000+0000'
      })
      await run(orderCompleted)
      expect(store.get('SUP-100001')).toMatchObject({
        JLP_Total_Spend__c: 25,
        JLP_Applied_Event_Ids__c: 'ORD-700103',
        JLP_Product_Type__c: 'Subscription',
        JLP_Last_Event_At__c: '2026-07-01T00:00:00.000+0000'
      })
      expect(executed()).toMatchObject({
        summary:
          'Contact 003SIOBHAN updated: total spend 25 (+15 for ORD-700103); its other values were not written: ' +
          'this event is older than the newest event already applied (2026-07-01T00:00:00.000+0000)'
      })
    })
  })

  it('matches by email when no supporter id field is set', async () => {
    const { seen } = org({ ...siobhan, Email: 'siobhan.obrien@example.co.uk' })
    await run(orderCompleted, presetFor('Order Completed'), { instanceUrl: HOST })
    expect(soqlOf(seen[0].path)).toContain("WHERE Email IN ('siobhan.obrien@example.co.uk')")
  })

  it.each([
    [{ value: -5 }, /purchase amount is negative/],
    [{ value: 'lots' }, /must be a number|value/],
    [{ value: 5, order_id: ' ' }, /has no id/]
  ])('refuses a bad purchase %j with a readable reason', async (properties, message) => {
    const event = ev({
      ...orderCompleted,
      messageId: '',
      properties: { ...samples.orderCompleted.raffleWithDonation.properties, ...properties }
    })
    await expect(
      run(event, { ...presetFor('Order Completed'), purchase_id: { '@path': '$.properties.order_id' } })
    ).rejects.toThrow(message)
  })

  it('keeps as many of the latest purchase ids as fit the field', () => {
    expect(appliedWindow(['ORD-3', 'ORD-2', 'ORD-1'], 11)).toBe('ORD-3 ORD-2')
    expect(appliedWindow(['ORD-3'], 4)).toBe('')
  })

  it('batches: increments and guarded updates side by side, each event its own result', async () => {
    const store = contacts(
      { ...siobhan, JLP_Total_Spend__c: 1 },
      // Priya's cancellation (2026-07-14) is newer than the copy of her Recurring Payment Created in this batch.
      { ...siobhan, Id: '003PRIYA', JLP_Supporter_Id__c: 'SUP-100003', JLP_Last_Event_At__c: '2026-07-14T20:02:11Z' },
      { ...siobhan, Id: '003GARETH', JLP_Supporter_Id__c: 'SUP-100004' }
    )
    await testDestination.testBatchAction('updateSupporterValue', {
      events: [
        orderCompleted,
        ev(samples.recurringPaymentCreated.monthlyTwoLines),
        ev(samples.subscriptionCancelled.afterFailedPayments),
        ev({ ...orderCompleted, properties: { value: -1, order_id: 'X' } })
      ],
      settings: byId,
      mapping: { ...presetFor('Order Completed'), recurring_status: 'Cancelled', enable_batching: true },
      auth
    })
    const multistatus = testDestination.results.at(-1)?.multistatus
    expect(multistatus?.map((m) => m.status)).toEqual([200, 200, 200, 400])
    expect(multistatus?.[0]).toMatchObject({
      body: { summary: 'Contact 003SIOBHAN updated: total spend 16 (+15 for ORD-700103)' }
    })
    expect(multistatus?.[1]).toMatchObject({
      body: {
        summary:
          'Contact 003PRIYA unchanged: this event is older than the newest event already applied ' +
          '(2026-07-14T20:02:11Z)'
      }
    })
    expect(multistatus?.[2]).toMatchObject({ body: { summary: 'Contact 003GARETH updated' } })
    expect(store.get('SUP-100003')?.JLP_Recurring_Status__c).toBeUndefined()
    expect(store.get('SUP-100004')).toMatchObject({
      JLP_Recurring_Status__c: 'Cancelled',
      JLP_Last_Event_At__c: '2026-07-09T06:00:05.000Z'
    })
  })
})
