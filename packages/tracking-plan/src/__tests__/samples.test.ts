import type { SegmentEvent } from '@segment/actions-core'
import {
  BEHAVIOURAL_EVENTS,
  SERVER_EVENTS,
  getSample,
  getScenario,
  listSamples,
  samples,
  ticketPurchaseScenarios,
  validateEvent
} from '..'

const all = listSamples()

describe('samples', () => {
  it.each(all.map((s) => [s.event, s.name, s.sample] as const))(
    '%s "%s" is valid against the tracking plan',
    (_, __, sample) => {
      expect(validateEvent(sample)).toEqual({ valid: true, errors: [] })
    }
  )

  it('cover every event and identify', () => {
    expect(new Set(all.map((s) => s.event))).toEqual(new Set([...BEHAVIOURAL_EVENTS, ...SERVER_EVENTS, 'identify']))
  })

  it('are full Segment calls with unique messageIds, usable as actions-core SegmentEvents', () => {
    const events: SegmentEvent[] = all.map((s) => s.sample)
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length)
    for (const e of events) {
      expect(e.userId ?? e.anonymousId).toBeTruthy()
      expect(e.context?.traits?.email).toMatch(/@example\./)
    }
  })

  it('come from the device for behavioural events and from the server for server events', () => {
    const added = samples.productAdded.lotteryLine
    expect(added.context).toMatchObject({ ip: expect.any(String), userAgent: expect.any(String) })
    expect(added.anonymousId).toBeDefined()
    const paid = samples.recurringPaymentSucceeded.firstPayment
    expect(paid.context.userAgent).toBeUndefined()
    expect(paid.anonymousId).toBeUndefined()
    expect(paid.userId).toBe('SUP-100003')
    expect(samples.registrationStarted.web.userId).toBeUndefined()
  })

  it('contain an apostrophe and a backslash so escaping is exercised', () => {
    const text = JSON.stringify(all.map((s) => s.sample))
    expect(samples.ticketPurchase.withDonation.context.traits?.lastName).toBe("O'Brien")
    expect(samples.ticketPurchase.twoBuyersSameDraw2.context.traits?.address?.street).toBe('Flat 2\\3, Canal Wharf')
    expect(text).toContain('\\\\')
  })
})

describe('picking samples by name', () => {
  it('finds a sample by kebab-case or camelCase name', () => {
    expect(getSample('Ticket Purchase Completed', 'three-tickets')).toBe(samples.ticketPurchase.threeTickets)
    expect(getSample('Ticket Purchase Completed', 'threeTickets')).toBe(samples.ticketPurchase.threeTickets)
    expect(getSample('identify', 'siobhan')).toBe(samples.identify.siobhan)
    expect(getSample('Recurring Payment Failed', 'final-attempt').properties.final_attempt).toBe(true)
  })

  it('says which samples exist when a name is wrong', () => {
    expect(() => getSample('Ticket Purchase Completed', 'four-tickets')).toThrow(
      /No "four-tickets" sample for Ticket Purchase Completed \(samples: one-ticket, three-tickets, with-donation/
    )
    expect(() => getScenario('nobody')).toThrow(
      /scenarios: one-ticket, three-tickets, with-donation, two-buyers-same-draw/
    )
  })

  it('lists every sample with its kebab-case name', () => {
    const names = all.filter((s) => s.event === 'Ticket Purchase Completed').map((s) => s.name)
    expect(names).toEqual([
      'one-ticket',
      'three-tickets',
      'with-donation',
      'two-buyers-same-draw-1',
      'two-buyers-same-draw-2',
      'same-buyer-twice-1',
      'same-buyer-twice-2',
      'draw-renamed-1',
      'draw-renamed-2'
    ])
  })
})

describe('ticket purchase scenarios', () => {
  const props = (name: string) => getScenario(name).map((e) => e.properties)

  it('one ticket: one ticket at £1, value equals revenue', () => {
    const [p] = props('one-ticket')
    expect(p.tickets).toHaveLength(1)
    expect(p).toMatchObject({ value: 1, revenue: 1, currency: 'GBP', event_type: 'Lottery Draw' })
  })

  it('three tickets: three tickets with distinct ids derived from the order id', () => {
    const [p] = props('three-tickets')
    expect(p.tickets.map((t) => t.ticket_id)).toEqual(['ORD-700102-T1', 'ORD-700102-T2', 'ORD-700102-T3'])
    expect(p.value).toBe(3)
  })

  it('with a donation: value is tickets plus donation', () => {
    const [p] = props('with-donation')
    expect(p.donation_amount).toBe(10)
    expect(p.revenue).toBe(5)
    expect(p.value).toBe(15)
    expect(p.event_type).toBe('Raffle')
  })

  it('two buyers in the same draw: same draw, different supporters and orders', () => {
    const [a, b] = getScenario('two-buyers-same-draw')
    expect(a.properties.draw_id).toBe(b.properties.draw_id)
    expect(a.properties.draw_name).toBe(b.properties.draw_name)
    expect(a.userId).not.toBe(b.userId)
    expect(a.context.traits?.email).not.toBe(b.context.traits?.email)
    expect(a.properties.order_id).not.toBe(b.properties.order_id)
  })

  it('the same buyer twice in one draw: same supporter and draw, two orders', () => {
    const [a, b] = getScenario('same-buyer-twice')
    expect(a.userId).toBe(b.userId)
    expect(a.properties.draw_id).toBe(b.properties.draw_id)
    expect(a.properties.order_id).not.toBe(b.properties.order_id)
  })

  it('a draw renamed between purchases: same draw id, the later purchase carries the new name', () => {
    const [a, b] = getScenario('draw-renamed')
    expect(a.properties.draw_id).toBe(b.properties.draw_id)
    expect(a.properties.draw_name).toBe('Summer Superdraw')
    expect(b.properties.draw_name).toBe('Summer Superdraw – £25,000 Rollover')
    expect(a.timestamp < b.timestamp).toBe(true)
  })

  it('use a draw of their own each (so each scenario can be checked alone) and unique ticket ids', () => {
    const drawsByScenario = Object.entries(ticketPurchaseScenarios).map(([name, events]) => [
      name,
      new Set(events.map((e) => e.properties.draw_id))
    ])
    const owners = new Map<string, string>()
    for (const [name, ids] of drawsByScenario as [string, Set<string>][]) {
      for (const id of ids) {
        expect([id, owners.get(id) ?? name]).toEqual([id, name])
        owners.set(id, name)
      }
    }
    const tickets = Object.values(ticketPurchaseScenarios).flatMap((events) =>
      events.flatMap((e) => e.properties.tickets.map((t) => t.ticket_id))
    )
    expect(new Set(tickets).size).toBe(tickets.length)
  })
})
