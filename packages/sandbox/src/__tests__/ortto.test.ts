// Ortto: person merge (strategies), activities (limits, typed ids, idempotency key, strict definitions),
// definitions, person/get, auth and error shapes.
import { startSandbox } from '..'
import { orttoClient, useSandbox } from './helpers'

const current = useSandbox()
const ortto = () => orttoClient(current())
const person = (fields: Record<string, unknown>) => ({ fields })
const merge = (people: unknown[], extra: Record<string, unknown> = {}) =>
  ortto()('person/merge', {
    people,
    merge_by: ['str::email'],
    merge_strategy: 2,
    find_strategy: 0,
    async: false,
    ...extra
  })
const people = () => current().records.ortto().people

describe('auth and errors', () => {
  it('401 without a key or with an unknown key, in Ortto’s error shape', async () => {
    for (const key of [null, 'nope']) {
      const res = await orttoClient(current(), key)('person/get', {})
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ request_id: expect.any(String), code: 401, error: expect.stringMatching(/API key/) })
    }
    expect(current().audit.cost('ortto')).toBe(0)
  })

  it('404 for unknown endpoints and methods; 400 for a body that is not JSON', async () => {
    expect((await ortto()('person/nope', {})).status).toBe(404)
    expect((await ortto()('person/merge', {}, 'PUT')).status).toBe(404)
    const res = await fetch(`${current().ortto.url}/v1/person/merge`, {
      method: 'POST',
      headers: { 'X-Api-Key': current().ortto.apiKey },
      body: '{not json'
    })
    expect(res.status).toBe(400)
  })

  it('person/get is a cheap authenticated read', async () => {
    await merge([
      person({ 'str::email': 'a@example.org', 'str::first': 'A' }),
      person({ 'str::email': 'b@example.org' })
    ])
    const res = await ortto()('person/get', { limit: 1, fields: ['str::email'] })
    expect(res.body).toMatchObject({
      contacts: [{ id: expect.any(String), fields: { 'str::email': 'a@example.org' } }],
      has_more: true
    })
    const filtered = await ortto()('person/get', {
      fields: ['str::first'],
      filter: { '$str::is': { field_id: 'str::email', value: 'A@example.org' } }
    })
    expect(filtered.body.contacts).toEqual([{ id: expect.any(String), fields: { 'str::first': 'A' } }])
  })
})

describe('person/merge', () => {
  it('creates, then merges by the merge key (emails case-insensitive)', async () => {
    const first = await merge([person({ 'str::email': 'sam@example.org', 'str::first': 'Sam' })])
    expect(first.body).toEqual({ people: [{ person_id: expect.stringMatching(/^[0-9a-f]{24}$/), status: 'created' }] })
    const second = await merge([person({ 'str::email': 'SAM@example.org', 'str::last': 'Lee' })])
    expect(second.body).toEqual({ people: [{ person_id: first.body.people[0].person_id, status: 'merged' }] })
    expect(people()).toEqual([
      // Overwrite (strategy 2) also takes the key's new spelling.
      expect.objectContaining({ fields: { 'str::email': 'SAM@example.org', 'str::first': 'Sam', 'str::last': 'Lee' } })
    ])
  })

  it.each([
    [1, { 'str::first': 'Sam', 'str:cm:plan': 'gold' }],
    [2, { 'str::first': 'Samuel', 'str:cm:plan': 'gold' }],
    [3, { 'str::first': 'Sam' }]
  ])('merge_strategy %d (append only / overwrite / ignore)', async (strategy, fields) => {
    await merge([person({ 'str::email': 'sam@example.org', 'str::first': 'Sam' })])
    await merge([person({ 'str::email': 'sam@example.org', 'str::first': 'Samuel', 'str:cm:plan': 'gold' })], {
      merge_strategy: strategy
    })
    expect(people()[0].fields).toEqual({ 'str::email': 'sam@example.org', ...fields })
  })

  it('null clears a field when overwriting', async () => {
    await merge([person({ 'str::email': 'sam@example.org', 'str::first': 'Sam' })])
    await merge([person({ 'str::email': 'sam@example.org', 'str::first': null })])
    expect(people()[0].fields).toEqual({ 'str::email': 'sam@example.org' })
  })

  it('find_strategy: 0 any key in order, 1 only the first key given, 2 all keys', async () => {
    await merge([person({ 'str::email': 'sam@example.org', 'str::ei': 'S-1' })])
    const byEither = {
      people: [person({ 'str::email': 'other@example.org', 'str::ei': 'S-1' })],
      merge_by: ['str::email', 'str::ei']
    }
    expect((await ortto()('person/merge', { ...byEither, find_strategy: 0 })).body.people[0].status).toBe('merged')
    current().reset()
    await merge([person({ 'str::email': 'sam@example.org', 'str::ei': 'S-1' })])
    expect((await ortto()('person/merge', { ...byEither, find_strategy: 1 })).body.people[0].status).toBe('created')
    current().reset()
    await merge([person({ 'str::email': 'sam@example.org', 'str::ei': 'S-1' })])
    expect((await ortto()('person/merge', { ...byEither, find_strategy: 2 })).body.people[0].status).toBe('created')
  })

  it.each([
    [{ people: [] }, /people must contain between 1 and 100 items/],
    [
      { people: Array.from({ length: 101 }, (_, i) => person({ 'str::email': `p${i}@example.org` })) },
      /between 1 and 100/
    ],
    [{ merge_by: ['str::email', 'person_id'] }, /person_id must be the only field/],
    [{ merge_by: ['email'] }, /invalid field id "email" in merge_by/],
    [{ merge_strategy: 4 }, /merge_strategy must be one of 1, 2, 3/],
    [{ people: [person({ 'str::first': 'No email' })] }, /no value for the merge_by field str::email/],
    [
      { people: [person({ 'str::email': 'a@example.org', 'Int:cm:Points': 3 })] },
      /invalid field id "Int:cm:Points" in people\[0\]\.fields/
    ],
    [
      { people: [person({ 'str::email': 'a@example.org', 'int:cm:points': 2.5 })] },
      /invalid value for field int:cm:points .*expected an integer/
    ],
    [{ people: [person({ 'str::email': 'a@example.org', 'bol:cm:vip': 'yes' })] }, /bol:cm:vip.*true or false/],
    [{ people: [person({ 'str::email': 'x'.repeat(256) })] }, /str::email.*at most 255 characters/]
  ])('400 naming the problem: %j', async (override, message) => {
    const res = await ortto()('person/merge', {
      people: [person({ 'str::email': 'ok@example.org' })],
      merge_by: ['str::email'],
      ...override
    })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ request_id: expect.any(String), code: 400, error: expect.stringMatching(message) })
    expect(people()).toEqual([])
  })
})

describe('activities/create', () => {
  const activity = (extra: Record<string, unknown> = {}) => ({
    activity_id: 'act:cm:product-added',
    attributes: {
      'str:cm:draw-no': 'D1',
      'int:cm:price': 2000,
      'dtz:cm:d': { year: 2025, month: 5, day: 1, timezone: 'UTC' }
    },
    fields: { 'str::email': 'sam@example.org', 'phn::phone': { c: '44', n: '7700900456' } },
    ...extra
  })
  const create = (activities: unknown[], extra: Record<string, unknown> = {}) =>
    ortto()('activities/create', { activities, merge_by: ['str::email'], ...extra })

  it('records an activity and creates its person when missing', async () => {
    const res = await create([activity(), activity({ attributes: {} })])
    expect(res.status).toBe(200)
    const [a, b] = res.body.activities
    expect(a).toEqual({
      person_id: expect.any(String),
      status: 'ingested',
      person_status: 'created',
      activity_id: expect.any(String)
    })
    expect(b).toMatchObject({ person_id: a.person_id, person_status: 'merged' })
    const { activities, people: stored } = current().records.ortto()
    expect(stored).toHaveLength(1)
    expect(activities.map((x) => [x.activityId, x.personId])).toEqual([
      ['act:cm:product-added', a.person_id],
      ['act:cm:product-added', a.person_id]
    ])
  })

  it('the same key for the same activity and person is recorded once', async () => {
    const withKey = activity({ key: 'msg-1', created: '2025-05-01T10:00:00Z' })
    const first = await create([withKey])
    const again = await create([withKey])
    expect(again.body.activities[0].activity_id).toBe(first.body.activities[0].activity_id)
    expect(current().records.ortto().activities).toEqual([
      expect.objectContaining({ key: 'msg-1', created: '2025-05-01T10:00:00Z' })
    ])
  })

  it.each([
    [[activity({ activity_id: 'product-added' })], /invalid activity_id "product-added"/],
    [
      [activity({ attributes: { 'str:cm:Draw No': 'x' } })],
      /invalid field id "str:cm:Draw No" in activities\[0\]\.attributes/
    ],
    [
      [activity({ attributes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`str:cm:a${i}`, 'x'])) })],
      /act:cm:product-added in activities\[0\] has 16 attributes; at most 15/
    ],
    [
      [
        activity({
          attributes: {
            'txt:cm:blob': 'x'.repeat(3900),
            'txt:cm:blob2': 'x'.repeat(3900),
            'txt:cm:b3': 'x'.repeat(3900),
            'txt:cm:b4': 'x'.repeat(3900),
            'txt:cm:b5': 'x'.repeat(3900)
          }
        })
      ],
      /larger than 16 kB/
    ],
    [[activity({ fields: { 'str::first': 'no email' } })], /no value for the merge_by field str::email/],
    [Array.from({ length: 101 }, () => activity()), /activities must contain between 1 and 100 items/]
  ])('400 naming the problem (%#)', async (activities, message) => {
    const res = await create(activities)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatch(message)
    expect(current().records.ortto()).toMatchObject({ people: [], activities: [] })
  })

  it('413 for a request over 2 MB', async () => {
    const big = Array.from({ length: 100 }, () =>
      activity({
        attributes: {
          'txt:cm:a': 'x'.repeat(4000),
          'txt:cm:b': 'y'.repeat(4000),
          'txt:cm:c': 'z'.repeat(4000),
          'txt:cm:d': 'w'.repeat(4000),
          'txt:cm:e': 'v'.repeat(4000),
          'txt:cm:f': 'u'.repeat(1000)
        }
      })
    )
    const res = await create(big)
    expect(res.status).toBe(413)
  })
})

describe('activity definitions', () => {
  const definition = {
    name: 'Product Added',
    icon_id: 'happy-illustration-icon',
    track_conversion_value: false,
    touch: false,
    filterable: true,
    visible_in_feeds: true,
    display_style: { type: 'activity' },
    attributes: [
      { name: 'draw-no', display_type: 'text' },
      { name: 'price', display_type: 'decimal', field_id: 'int:cm:price' }
    ]
  }

  it('create stores it (409 when it exists); modify replaces attributes (404 when unknown)', async () => {
    const created = await ortto()('definitions/activity/create', definition)
    expect(created.body.custom_activity).toMatchObject({
      activity_field_id: 'act:cm:product-added',
      attributes: [
        { name: 'draw-no', display_type: 'text', field_id: 'str:cm:draw-no' },
        { name: 'price', display_type: 'decimal', field_id: 'int:cm:price' }
      ]
    })
    expect((await ortto()('definitions/activity/create', definition)).status).toBe(409)
    const modified = await ortto()(
      'definitions/activity/modify',
      { ...definition, attributes: [{ name: 'cart', display_type: 'text' }] },
      'PUT'
    )
    expect(modified.body.custom_activity.attributes).toEqual([
      { name: 'cart', display_type: 'text', field_id: 'str:cm:cart' }
    ])
    const unknown = await ortto()('definitions/activity/modify', { ...definition, name: 'Never Made' }, 'PUT')
    expect(unknown.status).toBe(404)
    expect(current().records.ortto().definitions).toHaveLength(1)
  })

  it('strict mode rejects undefined activities and undeclared attributes', async () => {
    const sandbox = await startSandbox({ orttoStrictActivities: true })
    try {
      const client = orttoClient(sandbox)
      const send = (attributes: Record<string, unknown>) =>
        client('activities/create', {
          activities: [{ activity_id: 'act:cm:product-added', attributes, fields: { 'str::email': 'a@example.org' } }],
          merge_by: ['str::email']
        })
      const undefinedActivity = await send({ 'str:cm:draw-no': 'D1' })
      expect(undefinedActivity.body.error).toMatch(/activity act:cm:product-added in activities\[0\] does not exist/)
      await client('definitions/activity/create', definition)
      expect((await send({ 'str:cm:draw-no': 'D1', 'int:cm:price': 2 })).status).toBe(200)
      const undeclared = await send({ 'str:cm:colour': 'red' })
      expect(undeclared.body.error).toMatch(
        /attribute str:cm:colour .* is not defined on activity act:cm:product-added/
      )
    } finally {
      await sandbox.stop()
    }
  })
})
