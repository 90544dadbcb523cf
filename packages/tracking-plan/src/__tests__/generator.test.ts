import {
  BEHAVIOURAL_EVENTS,
  SERVER_EVENTS,
  generateEvents,
  validateEvent,
  type JlpEvent,
  type SegmentTrackEvent
} from '..'

const nameOf = (e: JlpEvent) => (e.type === 'identify' ? 'identify' : e.event)
const tracks = <E extends SegmentTrackEvent['event']>(events: JlpEvent[], name: E) =>
  events.filter((e): e is Extract<JlpEvent, { event: E }> => e.type === 'track' && e.event === name)
const who = (e: JlpEvent) => e.userId ?? e.anonymousId ?? ''

describe('generateEvents', () => {
  const thousand = generateEvents({ seed: 1234, count: 1000 })

  it('1,000 generated events all validate against the tracking plan', () => {
    const problems = thousand.flatMap((e) => validateEvent(e).errors)
    expect(problems).toEqual([])
    expect(thousand).toHaveLength(1000)
  })

  it('the same seed gives the same events; another seed gives other events', () => {
    expect(generateEvents({ seed: 1234, count: 1000 })).toEqual(thousand)
    const other = generateEvents({ seed: 1235, count: 1000 })
    expect(other).not.toEqual(thousand)
    const ids = new Set(thousand.map((e) => e.messageId))
    expect(other.filter((e) => ids.has(e.messageId))).toEqual([])
  })

  it('does not read the clock or Math.random', () => {
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called')
    })
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now called')
    })
    try {
      expect(generateEvents({ seed: 9, count: 300 })).toHaveLength(300)
    } finally {
      random.mockRestore()
      now.mockRestore()
    }
  })

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('seed %i: 200 events hold every event type and identify', (seed) => {
    const names = new Set(generateEvents({ seed, count: 200 }).map(nameOf))
    expect([...names].sort()).toEqual([...BEHAVIOURAL_EVENTS, ...SERVER_EVENTS, 'identify'].sort())
  })

  it('returns exactly `count` events, in time order, with unique messageIds', () => {
    expect(generateEvents({ seed: 3, count: 0 })).toEqual([])
    expect(generateEvents({ seed: 3, count: 7 })).toHaveLength(7)
    const times = thousand.map((e) => e.timestamp)
    expect(times).toEqual([...times].sort())
    expect(new Set(thousand.map((e) => e.messageId)).size).toBe(1000)
  })

  it('gives each supporter increasing timestamps and one anonymousId that identify links to their userId', () => {
    const anonymousOf = new Map<string, string>()
    for (const e of thousand) if (e.type === 'identify' && e.anonymousId) anonymousOf.set(e.anonymousId, e.userId)
    const last = new Map<string, string>()
    for (const e of thousand) {
      const id = e.userId ?? anonymousOf.get(e.anonymousId ?? '') ?? who(e)
      expect(e.timestamp >= (last.get(id) ?? '')).toBe(true)
      last.set(id, e.timestamp)
    }
    for (const r of tracks(thousand, 'Registration Started')) expect(anonymousOf.has(r.anonymousId ?? '')).toBe(true)
  })

  it('starts with arrivals from startTime and uses as many supporters as asked', () => {
    const events = generateEvents({ seed: 5, count: 400, supporters: 3, startTime: '2027-01-04T09:00:00Z' })
    expect(events[0].timestamp >= '2027-01-04T09:00:00.000Z').toBe(true)
    expect(new Set(events.filter((e) => e.userId).map((e) => e.userId)).size).toBe(3)
  })

  it('rejects options it cannot honour', () => {
    expect(() => generateEvents({ seed: 1.5, count: 10 })).toThrow(/seed must be an integer/)
    expect(() => generateEvents({ seed: 1, count: -1 })).toThrow(/count must be a whole number/)
    expect(() => generateEvents({ seed: 1, count: 1, supporters: 0 })).toThrow(/supporters must be a whole number/)
    expect(() => generateEvents({ seed: 1, count: 1, startTime: 'soon' })).toThrow(/startTime is not a date/)
  })
})

describe('generated journeys keep their ids consistent', () => {
  const events = generateEvents({ seed: 77, count: 3000 })

  it('every ticket purchase repeats the client checkout with the same order and properties', () => {
    const checkouts = new Map(tracks(events, 'Purchase Completed').map((e) => [e.properties.order_id, e]))
    const purchases = tracks(events, 'Ticket Purchase Completed')
    expect(purchases.length).toBeGreaterThan(50)
    for (const p of purchases) {
      const checkout = checkouts.get(p.properties.order_id)
      expect(checkout?.properties).toEqual(p.properties)
      expect(checkout?.userId).toBe(p.userId)
    }
  })

  it('a draw keeps one id, date and type across buyers; only a rollover renames it', () => {
    const byDraw = new Map<string, { dates: Set<string>; names: Set<string>; buyers: Set<string> }>()
    for (const { properties: p, userId } of tracks(events, 'Ticket Purchase Completed')) {
      const d = byDraw.get(p.draw_id) ?? { dates: new Set(), names: new Set(), buyers: new Set() }
      d.dates.add(`${p.draw_date}|${p.event_type}`)
      d.names.add(p.draw_name)
      d.buyers.add(userId ?? '')
      byDraw.set(p.draw_id, d)
    }
    for (const d of byDraw.values()) {
      expect(d.dates.size).toBe(1)
      const names = [...d.names]
      expect(names.length === 1 || names.some((n) => n.includes('Rollover'))).toBe(true)
    }
    expect([...byDraw.values()].some((d) => d.buyers.size > 1)).toBe(true)
    expect([...byDraw.values()].some((d) => d.names.size > 1)).toBe(true)
  })

  it('ticket ids are unique and derived from the order', () => {
    const tickets = tracks(events, 'Ticket Purchase Completed').flatMap((e) =>
      e.properties.tickets.map((t) => [t.ticket_id, e.properties.order_id] as const)
    )
    expect(new Set(tickets.map(([id]) => id)).size).toBe(tickets.length)
    for (const [id, order] of tickets) expect(id.startsWith(`${order}-T`)).toBe(true)
  })

  it('recurring payments follow their subscription: created → attempted → succeeded or failed and retried', () => {
    const owner = new Map(
      tracks(events, 'Recurring Payment Created').map((e) => [e.properties.subscription_id, e.userId])
    )
    const attempts = new Map<string, number>()
    for (const e of events) {
      if (e.type !== 'track') continue
      if (e.event === 'Recurring Payment Attempted') {
        expect(owner.get(e.properties.subscription_id)).toBe(e.userId)
        expect(e.properties.attempt_number).toBe((attempts.get(e.properties.payment_id) ?? 0) + 1)
        attempts.set(e.properties.payment_id, e.properties.attempt_number)
      }
      if (e.event === 'Recurring Payment Succeeded' || e.event === 'Recurring Payment Failed') {
        expect(attempts.get(e.properties.payment_id)).toBe(e.properties.attempt_number)
      }
      if (e.event === 'Subscription Cancelled') expect(owner.get(e.properties.subscription_id)).toBe(e.userId)
    }
    expect(tracks(events, 'Recurring Payment Failed').length).toBeGreaterThan(0)
  })

  it('includes abandoned carts and win-backs', () => {
    const bought = new Set(tracks(events, 'Purchase Completed').map((e) => e.properties.cart_id))
    const abandoned = tracks(events, 'Cart Viewed').filter((e) => !bought.has(e.properties.cart_id))
    expect(abandoned.length).toBeGreaterThan(20)
    const cancelledBy = new Set(tracks(events, 'Subscription Cancelled').map((e) => e.userId))
    const resubscribed = tracks(events, 'Recurring Payment Created').filter((e) => cancelledBy.has(e.userId))
    const winBackClicks = tracks(events, 'Email Link Clicked').filter(
      (e) => e.context.campaign?.medium === 'email' && e.context.campaign.source === 'crm'
    )
    expect(winBackClicks.length).toBeGreaterThan(0)
    expect(resubscribed.length).toBeGreaterThan(0)
  })
})
