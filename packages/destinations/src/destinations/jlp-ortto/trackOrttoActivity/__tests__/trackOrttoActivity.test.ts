import {
  PayloadValidationError,
  createTestEvent,
  createTestIntegration,
  type SegmentEvent
} from '@segment/actions-core'
import nock from 'nock'
import destination from '../..'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const settings: Settings = { apiKey: 'test-key', region: 'eu' }
const HOST = 'https://api.eu.ap3api.com'

const productAdded = (overrides: Partial<SegmentEvent> = {}): SegmentEvent =>
  createTestEvent({
    type: 'track',
    event: 'Product Added',
    userId: 'sup-42',
    messageId: 'msg-product-added-1',
    timestamp: '2026-05-01T09:30:00.000Z',
    properties: {
      product_id: 'weekly-jumbo-line',
      name: '1 Ticket Book',
      description: 'One line in every weekly draw',
      price: 2.5,
      brand: 'Jumbo Charity Lottery',
      category: 'Lottery',
      draw_id: 'draw-2026-18',
      draw_no: 1234,
      recurring_purchase_enabled: true,
      quantity: 2,
      currency: 'GBP',
      platform_source: 'web',
      cart_id: 'cart-9'
    },
    context: {
      ip: '81.2.69.142',
      traits: {
        email: 'Jane.Doe@Example.org',
        firstName: 'Jane',
        lastName: 'Doe',
        phone: '+44 7700 900123',
        address: { city: 'Leeds', country: 'GB', postalCode: 'LS1 4AP' }
      }
    },
    ...overrides
  })

const ingested = { activities: [{ person_id: '0064p', status: 'ingested', person_status: 'created' }] }

function capture(reply: object = ingested, status = 200) {
  const bodies: Array<Record<string, any>> = []
  nock(HOST)
    .post('/v1/activities/create', (body) => {
      bodies.push(body)
      return true
    })
    .reply(status, reply)
  return bodies
}

describe('trackOrttoActivity', () => {
  it('maps a JLP event to a typed Ortto activity on the supporter', async () => {
    const bodies = capture()
    await testDestination.testAction('trackOrttoActivity', {
      event: productAdded(),
      settings,
      useDefaultMappings: true
    })
    expect(bodies).toEqual([
      {
        activities: [
          {
            activity_id: 'act:cm:product-added',
            attributes: {
              'str:cm:product-id': 'weekly-jumbo-line',
              'str:cm:name': '1 Ticket Book',
              'txt:cm:description': 'One line in every weekly draw',
              'int:cm:price': 2500,
              'int:cm:quantity': 2,
              'str:cm:brand': 'Jumbo Charity Lottery',
              'str:cm:category': 'Lottery',
              'str:cm:draw-id': 'draw-2026-18',
              'int:cm:draw-no': 1234,
              'bol:cm:recurring-purchase-enabled': true,
              'str:cm:cart-id': 'cart-9',
              'str:cm:currency': 'GBP',
              'str:cm:platform-source': 'web'
            },
            fields: {
              'str::email': 'jane.doe@example.org',
              'str::ei': 'sup-42',
              'str::first': 'Jane',
              'str::last': 'Doe',
              'phn::phone': { phone: '447700900123', parse_with_country_code: true }
            },
            location: { address: { city: 'Leeds', country: 'GB', postal_code: 'LS1 4AP' } },
            created: '2026-05-01T09:30:00.000Z',
            key: 'msg-product-added-1'
          }
        ],
        merge_by: ['str::email'],
        async: false
      }
    ])
  })

  it('returns an outcome naming the activity and the person', async () => {
    capture()
    await testDestination.testAction('trackOrttoActivity', {
      event: productAdded(),
      settings,
      useDefaultMappings: true
    })
    const executed = testDestination.results.find((r) => r.output === 'Action Executed')
    expect(executed?.data).toEqual({
      summary: 'Activity act:cm:product-added ingested for person 0064p (created)',
      records: [
        { object: 'ortto:activity', id: 'msg-product-added-1', change: 'created' },
        { object: 'ortto:person', id: '0064p', change: 'created' }
      ],
      apiCalls: 1
    })
  })

  it('uses the IP as location when there is no address, and merges by external id when asked', async () => {
    const bodies = capture()
    const event = productAdded({ context: { ip: '81.2.69.142', traits: { email: 'a@b.org' } } })
    await testDestination.testAction('trackOrttoActivity', {
      event,
      settings,
      useDefaultMappings: true,
      mapping: { merge_by: 'external_id' }
    })
    expect(bodies[0].merge_by).toEqual(['str::ei'])
    expect(bodies[0].activities[0].location).toEqual({ source_ip: '81.2.69.142' })
  })

  it('overrides the activity id, sends the conversion value, journey person fields and extra attributes', async () => {
    nock(HOST).post('/v1/person/get').reply(200, { contacts: [] })
    const bodies = capture()
    await testDestination.testAction('trackOrttoActivity', {
      event: productAdded(),
      settings,
      useDefaultMappings: true,
      mapping: {
        activity: 'act:cm:jlp-basket',
        attributes: { draw_no: { '@path': '$.properties.draw_no' } },
        value: 12.34,
        person_fields: {
          recurring_subscriber: true,
          plan_amount: 10,
          subscription_cancelled_at: '2026-04-30T12:00:00Z'
        },
        additional_attributes: { 'str:cm:campaign': 'spring', lucky_dip: true },
        custom_fields: { 'int:cm:loyalty-points': 40 }
      }
    })
    const sent = bodies[0].activities[0]
    expect(sent.activity_id).toBe('act:cm:jlp-basket')
    expect(sent.attributes).toEqual({
      'int:cm:draw-no': 1234,
      'int::v': 12340,
      'str:cm:campaign': 'spring',
      'bol:cm:lucky-dip': true
    })
    expect(sent.fields).toMatchObject({
      'bol:cm:recurring-subscriber': true,
      'int:cm:plan-amount': 10000,
      'dtz:cm:subscription-cancelled-date': { year: 2026, month: 4, day: 30, timezone: 'UTC' },
      'int:cm:loyalty-points': 40,
      'int:cm:subscription-changed-at': Date.parse('2026-05-01T09:30:00.000Z')
    })
  })

  it('leaves subscription fields alone when a newer event already set them (late redelivery)', async () => {
    const read = nock(HOST)
      .post('/v1/person/get', {
        limit: 1,
        fields: ['int:cm:subscription-changed-at'],
        filter: { '$str::is': { field_id: 'str::email', value: 'jane.doe@example.org' } }
      })
      .reply(200, { contacts: [{ fields: { 'int:cm:subscription-changed-at': Date.parse('2026-07-01T00:00:00Z') } }] })
    const bodies = capture()
    await testDestination.testAction('trackOrttoActivity', {
      event: productAdded(),
      settings,
      useDefaultMappings: true,
      mapping: { person_fields: { recurring_subscriber: true, plan_amount: 10 } }
    })
    expect(read.isDone()).toBe(true)
    const fields = bodies[0].activities[0].fields
    expect(Object.keys(fields)).not.toEqual(expect.arrayContaining(['bol:cm:recurring-subscriber']))
    expect(fields['int:cm:plan-amount']).toBeUndefined()
    expect(fields['int:cm:subscription-changed-at']).toBeUndefined()
    expect(bodies[0].activities[0].activity_id).toBe('act:cm:product-added')
  })

  it('in a batch only the newest subscription change of a person is applied, with one read per person', async () => {
    const reads = nock(HOST).post('/v1/person/get').reply(200, { contacts: [] })
    const bodies = capture({
      activities: [1, 2].map((i) => ({ person_id: `p${i}`, status: 'ingested', person_status: 'updated' }))
    })
    const newer = productAdded({ messageId: 'newer', timestamp: '2026-07-14T20:02:11.000Z' })
    const older = productAdded({ messageId: 'older', timestamp: '2026-06-01T18:23:12.000Z' })
    await testDestination.testBatchAction('trackOrttoActivity', {
      events: [newer, older],
      settings,
      useDefaultMappings: true,
      mapping: {
        enable_batching: true,
        person_fields: { recurring_subscriber: true }
      }
    })
    expect(reads.isDone()).toBe(true)
    const [first, second] = bodies[0].activities
    expect(first.fields).toMatchObject({
      'bol:cm:recurring-subscriber': true,
      'int:cm:subscription-changed-at': Date.parse(newer.timestamp as string)
    })
    expect(second.fields['bol:cm:recurring-subscriber']).toBeUndefined()
  })

  describe('marketing permission: the newest event that says wins', () => {
    const consentRead = (held: number | undefined) =>
      nock(HOST)
        .post('/v1/person/get', (body) => body.fields?.includes('int:cm:consent-changed-at'))
        .reply(200, { contacts: held === undefined ? [] : [{ fields: { 'int:cm:consent-changed-at': held } }] })
    const optIn = (timestamp: string) => productAdded({ timestamp, properties: { email_opt_in: true } })

    it('a late copy of an old opt-in does not subscribe again a supporter who opted out since', async () => {
      const read = consentRead(Date.parse('2026-07-01T00:00:00Z'))
      const bodies = capture()
      await testDestination.testAction('trackOrttoActivity', {
        event: optIn('2026-05-01T09:30:00.000Z'),
        settings,
        useDefaultMappings: true
      })
      expect(read.isDone()).toBe(true)
      expect(bodies[0].activities[0].fields['bol::p']).toBeUndefined()
      expect(bodies[0].activities[0].fields['int:cm:consent-changed-at']).toBeUndefined()
    })

    it('a newer opt-in writes the permission and its stamp', async () => {
      consentRead(Date.parse('2026-04-01T00:00:00Z'))
      const bodies = capture()
      await testDestination.testAction('trackOrttoActivity', {
        event: optIn('2026-05-01T09:30:00.000Z'),
        settings,
        useDefaultMappings: true
      })
      expect(bodies[0].activities[0].fields).toMatchObject({
        'bol::p': true,
        'int:cm:consent-changed-at': Date.parse('2026-05-01T09:30:00.000Z')
      })
    })
  })

  describe('last purchase date only moves forward (preset of Order Completed)', () => {
    const preset = destination.presets?.find((p) => 'subscribe' in p && p.subscribe.includes('"Order Completed"'))
    const mapping = preset && 'mapping' in preset ? preset.mapping : {}
    const order = (timestamp: string, messageId = 'order-1') =>
      productAdded({ event: 'Order Completed', timestamp, messageId, properties: { order_id: 'ORD-1', value: 5 } })
    const stampRead = (held: number | undefined) =>
      nock(HOST)
        .post('/v1/person/get', {
          limit: 1,
          fields: ['int:cm:last-purchase-changed-at'],
          filter: { '$str::is': { field_id: 'str::email', value: 'jane.doe@example.org' } }
        })
        .reply(200, { contacts: held === undefined ? [] : [{ fields: { 'int:cm:last-purchase-changed-at': held } }] })

    it('a late copy of an older order is still recorded, but leaves the newer last purchase date alone', async () => {
      const read = stampRead(Date.parse('2026-07-10T00:00:00Z'))
      const bodies = capture()
      await testDestination.testAction('trackOrttoActivity', {
        event: order('2026-06-01T12:00:00.000Z'),
        settings,
        mapping
      })
      expect(read.isDone()).toBe(true)
      const sent = bodies[0].activities[0]
      expect(sent.activity_id).toBe('act:cm:order-completed')
      expect(sent.fields['dtz:cm:last-purchase-date']).toBeUndefined()
      expect(sent.fields['int:cm:last-purchase-changed-at']).toBeUndefined()
      expect(sent.fields['str::email']).toBe('jane.doe@example.org')
    })

    it('a newer order writes the date and its stamp (read + write, 2 calls)', async () => {
      stampRead(Date.parse('2026-05-01T00:00:00Z'))
      const bodies = capture()
      await testDestination.testAction('trackOrttoActivity', {
        event: order('2026-06-01T12:00:00.000Z'),
        settings,
        mapping
      })
      expect(bodies[0].activities[0].fields).toMatchObject({
        'dtz:cm:last-purchase-date': { year: 2026, month: 6, day: 1, timezone: 'UTC' },
        'int:cm:last-purchase-changed-at': Date.parse('2026-06-01T12:00:00.000Z')
      })
      expect(testDestination.results.find((r) => r.output === 'Action Executed')?.data).toMatchObject({ apiCalls: 2 })
    })

    it('a batch with two orders of one person, older first: one read, only the newer one sets the date', async () => {
      const reads = stampRead(undefined)
      const bodies = capture({
        activities: [1, 2].map((i) => ({ person_id: 'p1', status: 'ingested', person_status: `${i}` }))
      })
      await testDestination.testBatchAction('trackOrttoActivity', {
        events: [order('2026-06-01T12:00:00.000Z', 'a'), order('2026-06-20T12:00:00.000Z', 'b')],
        settings,
        mapping: { ...mapping, enable_batching: true }
      })
      expect(reads.isDone()).toBe(true)
      const [older, newer] = bodies[0].activities
      expect(older.fields['dtz:cm:last-purchase-date']).toBeUndefined()
      expect(newer.fields['dtz:cm:last-purchase-date']).toEqual({ year: 2026, month: 6, day: 20, timezone: 'UTC' })
    })

    it('subscription and purchase stamps of one person are read in one call', async () => {
      const read = nock(HOST)
        .post('/v1/person/get', (body) => body.fields.length === 2)
        .reply(200, {
          contacts: [{ fields: { 'int:cm:subscription-changed-at': Date.parse('2026-08-01T00:00:00Z') } }]
        })
      const bodies = capture()
      await testDestination.testAction('trackOrttoActivity', {
        event: order('2026-06-01T12:00:00.000Z'),
        settings,
        mapping: { ...mapping, person_fields: { ...(mapping as any).person_fields, recurring_subscriber: true } }
      })
      expect(read.isDone()).toBe(true)
      const fields = bodies[0].activities[0].fields
      expect(fields['bol:cm:recurring-subscriber']).toBeUndefined()
      expect(fields['dtz:cm:last-purchase-date']).toEqual({ year: 2026, month: 6, day: 1, timezone: 'UTC' })
    })
  })

  it('a failed read of the guard fails the event as retryable rather than writing blindly', async () => {
    nock(HOST).post('/v1/person/get').reply(503, 'busy')
    await expect(
      testDestination.testAction('trackOrttoActivity', {
        event: productAdded(),
        settings,
        useDefaultMappings: true,
        mapping: { person_fields: { recurring_subscriber: false } }
      })
    ).rejects.toThrow(/Ortto is unavailable \(503\) while reading int:cm:subscription-changed-at/)
  })

  it('fails the event when Ortto rejects its item (no silent success)', async () => {
    capture({ activities: [{ status: 'error', error: 'activity act:cm:product-added is not defined' }] })
    await expect(
      testDestination.testAction('trackOrttoActivity', { event: productAdded(), settings, useDefaultMappings: true })
    ).rejects.toThrow(PayloadValidationError)
  })

  it('fails an event with no email before calling Ortto', async () => {
    const event = productAdded({ context: {} })
    await expect(
      testDestination.testAction('trackOrttoActivity', { event, settings, useDefaultMappings: true })
    ).rejects.toThrow(/no str::email/)
  })

  it('names the attribute when a value has the wrong type', async () => {
    await expect(
      testDestination.testAction('trackOrttoActivity', {
        event: productAdded(),
        settings,
        useDefaultMappings: true,
        mapping: { additional_attributes: { 'int:cm:lines': 'three' } }
      })
    ).rejects.toThrow(new PayloadValidationError('int:cm:lines must be a number; got "three".'))
  })

  it('refuses more than 15 attributes before calling Ortto', async () => {
    const extra = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`str:cm:extra-${i}`, 'x']))
    await expect(
      testDestination.testAction('trackOrttoActivity', {
        event: productAdded(),
        settings,
        useDefaultMappings: true,
        mapping: { additional_attributes: extra }
      })
    ).rejects.toThrow(/16 attributes; Ortto takes at most 15/)
  })

  it('in batch mode reports each event: sent, rejected by Ortto, invalid before sending — in one request', async () => {
    const bodies = capture({
      activities: [
        { person_id: 'p1', status: 'ingested', person_status: 'updated' },
        { status: 'rejected', error: 'field str:cm:brand is too long' }
      ]
    })
    const events = [
      productAdded({ messageId: 'm1' }),
      productAdded({ messageId: 'm2' }),
      productAdded({ messageId: 'm3', context: {} })
    ]
    await testDestination.testBatchAction('trackOrttoActivity', {
      events,
      settings,
      useDefaultMappings: true,
      mapping: { enable_batching: true }
    })
    expect(bodies).toHaveLength(1)
    expect(bodies[0].activities.map((a: { key: string }) => a.key)).toEqual(['m1', 'm2'])
    const multistatus = testDestination.results[0].multistatus
    expect(multistatus?.map((m) => m.status)).toEqual([200, 400, 400])
    expect(multistatus?.[1]).toMatchObject({ errormessage: expect.stringMatching(/str:cm:brand is too long/) })
    expect(multistatus?.[2]).toMatchObject({ errortype: 'PAYLOAD_VALIDATION_FAILED' })
  })
})
