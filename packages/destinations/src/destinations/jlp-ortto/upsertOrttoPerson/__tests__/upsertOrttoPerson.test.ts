import {
  createTestEvent,
  createTestIntegration,
  PayloadValidationError,
  type SegmentEvent
} from '@segment/actions-core'
import nock from 'nock'
import destination from '../..'
import type { Settings } from '../../generated-types'

const testDestination = createTestIntegration(destination)
const settings: Settings = { apiKey: 'test-key', region: 'au' }
const HOST = 'https://api.au.ap3api.com'

const identify = (overrides: Partial<SegmentEvent> = {}): SegmentEvent =>
  createTestEvent({
    type: 'identify',
    userId: 'sup-7',
    messageId: 'identify-1',
    timestamp: '2026-07-01T10:00:00.000Z',
    traits: {
      email: 'sam@example.org',
      firstName: 'Sam',
      lastName: 'Lee',
      phone: '07700 900456',
      address: { street: '1 High St', city: 'York', state: 'North Yorkshire', postalCode: 'YO1 7HH', country: 'GB' },
      email_opt_in: false,
      sms_opt_in: true
    },
    context: { ip: '81.2.69.160' },
    ...overrides
  })

/** The read of the consent stamp that comes before a write of a permission (nobody has one yet, unless `held`). */
const consentRead = (held?: number) =>
  nock(HOST)
    .post('/v1/person/get', (body) => body.fields?.includes('int:cm:consent-changed-at'))
    .reply(200, { contacts: held === undefined ? [] : [{ fields: { 'int:cm:consent-changed-at': held } }] })

function capture(reply: object = { people: [{ person_id: 'p7', status: 'created' }] }) {
  const bodies: Array<Record<string, any>> = []
  consentRead()
  nock(HOST)
    .post('/v1/person/merge', (body) => {
      bodies.push(body)
      return true
    })
    .reply(200, reply)
  return bodies
}

describe('upsertOrttoPerson', () => {
  it('merges an identified supporter with standard fields, permissions and address', async () => {
    const bodies = capture()
    await testDestination.testAction('upsertOrttoPerson', { event: identify(), settings, useDefaultMappings: true })
    expect(bodies).toEqual([
      {
        people: [
          {
            fields: {
              'str::email': 'sam@example.org',
              'str::ei': 'sup-7',
              'str::first': 'Sam',
              'str::last': 'Lee',
              'phn::phone': { phone: '07700900456', parse_with_country_code: false },
              'bol::p': false,
              'bol::sp': true,
              'int:cm:consent-changed-at': Date.parse('2026-07-01T10:00:00.000Z')
            },
            location: {
              address: {
                address1: '1 High St',
                city: 'York',
                region: 'North Yorkshire',
                country: 'GB',
                postal_code: 'YO1 7HH'
              }
            }
          }
        ],
        merge_by: ['str::email'],
        merge_strategy: 2,
        find_strategy: 0,
        async: false
      }
    ])
    const executed = testDestination.results.find((r) => r.output === 'Action Executed')
    expect(executed?.data).toEqual({
      summary: 'Ortto person p7 created',
      records: [{ object: 'ortto:person', id: 'p7', change: 'created' }],
      apiCalls: 2
    })
  })

  it('a late copy of an old identify leaves the permissions a newer event set alone', async () => {
    nock.cleanAll()
    const read = consentRead(Date.parse('2026-08-01T00:00:00Z'))
    const bodies: Array<Record<string, any>> = []
    nock(HOST)
      .post('/v1/person/merge', (body) => bodies.push(body) > 0)
      .reply(200, { people: [{ person_id: 'p7', status: 'merged' }] })
    await testDestination.testAction('upsertOrttoPerson', { event: identify(), settings, useDefaultMappings: true })
    expect(read.isDone()).toBe(true)
    expect(bodies[0].people[0].fields).toMatchObject({ 'str::email': 'sam@example.org', 'str::first': 'Sam' })
    expect(bodies[0].people[0].fields['bol::p']).toBeUndefined()
    expect(bodies[0].people[0].fields['bol::sp']).toBeUndefined()
  })

  it('sets journey and custom fields, appending only when asked', async () => {
    nock(HOST)
      .post('/v1/person/get')
      .reply(200, { contacts: [{ fields: {} }] })
    const bodies = capture({ people: [{ person_id: 'p7', status: 'merged' }] })
    await testDestination.testAction('upsertOrttoPerson', {
      event: identify(),
      settings,
      useDefaultMappings: true,
      mapping: {
        merge_strategy: 'append',
        merge_by: 'email_or_external_id',
        person_fields: { recurring_subscriber: false, last_purchase_at: '2026-02-03T10:00:00Z', lifetime_spend: 120.5 },
        custom_fields: { favourite_charity: 'Oxfam', 'dtz:cm:joined': '2025-01-01' }
      }
    })
    expect(bodies[0]).toMatchObject({ merge_strategy: 1, merge_by: ['str::email', 'str::ei'] })
    expect(bodies[0].people[0].fields).toMatchObject({
      'bol:cm:recurring-subscriber': false,
      'dtz:cm:last-purchase-date': { year: 2026, month: 2, day: 3, timezone: 'UTC' },
      'int:cm:lifetime-spend': 120500,
      'str:cm:favourite-charity': 'Oxfam',
      'dtz:cm:joined': { year: 2025, month: 1, day: 1, timezone: 'UTC' }
    })
    expect(testDestination.results.find((r) => r.output === 'Action Executed')?.data).toMatchObject({
      summary: 'Ortto person p7 updated'
    })
  })

  it('refuses a malformed or over-long merge key rather than cutting it, and leaves out an unreadable phone', async () => {
    const run = (traits: Record<string, string>, mapping = {}) =>
      testDestination.testAction('upsertOrttoPerson', {
        event: identify({ traits }),
        settings,
        useDefaultMappings: true,
        mapping
      })
    await expect(run({ email: 'not-an-email' })).rejects.toThrow('Email "not-an-email" is not an email address.')
    await expect(run({ email: `${'a'.repeat(250)}@example.org` })).rejects.toThrow(/Email is 262 characters/)
    await expect(run({ email: 'a@b.org' }, { external_id: 'x'.repeat(300), merge_by: 'external_id' })).rejects.toThrow(
      /External ID is 300 characters/
    )
    const bodies = capture()
    await run({ email: 'a@b.org', phone: 'n/a' })
    expect(bodies[0].people[0].fields).toEqual({ 'str::email': 'a@b.org', 'str::ei': 'sup-7' })
  })

  it('fails the event when Ortto rejects the person', async () => {
    capture({ people: [{ status: 'suppressed', error: 'Email is suppressed' }] })
    await expect(
      testDestination.testAction('upsertOrttoPerson', { event: identify(), settings, useDefaultMappings: true })
    ).rejects.toThrow(PayloadValidationError)
  })

  it('in batch mode reports each person on its own', async () => {
    const bodies = capture({
      people: [
        { person_id: 'p1', status: 'created' },
        { status: 'error', error: 'invalid value for phn::phone' }
      ]
    })
    await testDestination.testBatchAction('upsertOrttoPerson', {
      events: [
        identify({ userId: 'a' }),
        identify({ userId: 'b' }),
        identify({ userId: 'c', traits: { firstName: 'X' } })
      ],
      settings,
      useDefaultMappings: true,
      mapping: { enable_batching: true }
    })
    expect(bodies).toHaveLength(1)
    expect(bodies[0].people).toHaveLength(2)
    const multistatus = testDestination.results[0].multistatus
    expect(multistatus?.map((m) => m.status)).toEqual([200, 400, 400])
    expect(multistatus?.[1]).toMatchObject({ errormessage: expect.stringMatching(/field phn::phone/) })
    expect(multistatus?.[2]).toMatchObject({ errormessage: expect.stringMatching(/no str::email/) })
  })
})
