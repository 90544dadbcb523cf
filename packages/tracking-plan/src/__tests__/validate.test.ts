import { getSample, samples, validateEvent } from '..'

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

describe('validateEvent', () => {
  it('rejects a property of the wrong type, naming the property and the value', () => {
    const event = clone(samples.productAdded.lotteryLine) as unknown as { properties: Record<string, unknown> }
    event.properties.price = 'abc'
    expect(validateEvent(event)).toEqual({
      valid: false,
      errors: ['Product Added: properties.price must be number (got "abc")']
    })
  })

  it('names a missing required property', () => {
    const event = clone(getSample('Ticket Purchase Completed', 'one-ticket')) as unknown as {
      properties: Record<string, unknown>
    }
    delete event.properties.order_id
    expect(validateEvent(event).errors).toEqual(['Ticket Purchase Completed: properties.order_id is required'])
  })

  it('names the array index of a bad nested value', () => {
    const event = clone(samples.ticketPurchase.threeTickets)
    event.properties.tickets[1].price = -1
    expect(validateEvent(event).errors).toEqual([
      'Ticket Purchase Completed: properties.tickets[1].price must be at least 0 (got -1)'
    ])
  })

  it('reports every problem at once, in words a CSM can act on', () => {
    const event = clone(samples.ticketPurchase.oneTicket) as unknown as Record<string, unknown> & {
      properties: Record<string, unknown>
    }
    delete event.userId
    event.timestamp = 'yesterday'
    event.properties.currency = 'gbp'
    event.properties.platform_source = 'desktop'
    event.properties.tickets = []
    expect(validateEvent(event).errors).toEqual([
      'Ticket Purchase Completed: needs a userId or an anonymousId',
      'Ticket Purchase Completed: timestamp must be a valid date-time (got "yesterday")',
      'Ticket Purchase Completed: properties.currency must match ^[A-Z]{3}$ (got "gbp")',
      'Ticket Purchase Completed: properties.tickets must have at least 1 item (got [])',
      'Ticket Purchase Completed: properties.platform_source must be one of web, app, mobile (got "desktop")'
    ])
  })

  it('rejects an unknown event by name', () => {
    const event = { ...clone(samples.cartViewed.oneLine), event: 'Lottery Won' }
    const result = validateEvent(event)
    expect(result.valid).toBe(false)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /^Unknown event "Lottery Won": it is not in the JLP tracking plan \(known events: Product Added/
    )
  })

  it('rejects calls that are not track or identify, and values that are not events', () => {
    expect(validateEvent({ type: 'page', name: 'Home' }).errors).toEqual([
      'type "page" is not in the JLP tracking plan: it describes track and identify calls'
    ])
    expect(validateEvent('Product Added').errors).toEqual(['The event must be a JSON object (got "Product Added")'])
    expect(validateEvent({ type: 'track' }).errors).toEqual(['A track call needs an event name (got nothing)'])
  })

  it('validates identify calls against the supporter traits', () => {
    expect(validateEvent(samples.identify.aisha).valid).toBe(true)
    const event = clone(samples.identify.tom) as unknown as Record<string, unknown> & {
      traits: Record<string, unknown>
    }
    event.traits.email = 'not-an-email'
    event.traits.sms_opt_in = 'yes'
    delete event.userId
    expect(validateEvent(event).errors).toEqual([
      'Identify: userId is required',
      'Identify: traits.email must be a valid email (got "not-an-email")',
      'Identify: traits.sms_opt_in must be boolean (got "yes")'
    ])
  })

  it('checks the context too (the supporter in context.traits)', () => {
    const event = clone(samples.emailLinkClicked.winBack)
    ;(event.context.traits as Record<string, unknown>).email = 42
    expect(validateEvent(event).errors).toEqual(['Email Link Clicked: context.traits.email must be string (got 42)'])
  })
})
