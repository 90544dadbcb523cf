import { PayloadValidationError } from '@segment/actions-core'
import { getSample } from '@jlp/tracking-plan'
import { DESCRIPTION_MAX, SUBJECT_MAX, activityDate, label, taskDescription, taskSubject } from '../task-text'

describe('task text', () => {
  it('drops the separator a missing property leaves at the end of a subject', () => {
    expect(taskSubject('JLP: Cart Viewed – ', 'x')).toBe('JLP: Cart Viewed')
    expect(taskSubject('JLP:  Product Added – 1 Ticket Book', 'x')).toBe('JLP: Product Added – 1 Ticket Book')
    expect(taskSubject('  ', 'JLP: Product Added')).toBe('JLP: Product Added')
  })

  it('cuts a subject to 255 characters', () => {
    const subject = taskSubject('JLP: ' + 'a'.repeat(400), 'x')
    expect(subject).toHaveLength(SUBJECT_MAX)
    expect(subject.endsWith('…')).toBe(true)
  })

  it('takes the date from the event time in UTC, plus whole days', () => {
    expect(activityDate('2026-07-02T06:00:03.000Z')).toBe('2026-07-02')
    expect(activityDate('2026-07-02T23:30:00-02:00')).toBe('2026-07-03')
    expect(activityDate('2026-12-30T10:00:00.000Z', 3)).toBe('2027-01-02')
  })

  it('refuses an event without a readable time or a bad number of days', () => {
    expect(() => activityDate(undefined)).toThrow(PayloadValidationError)
    expect(() => activityDate('yesterday')).toThrow('is not a date')
    expect(() => activityDate('2026-07-02T06:00:03.000Z', -1)).toThrow('from 0 to 365')
    expect(() => activityDate('2026-07-02T06:00:03.000Z', 1.5)).toThrow('from 0 to 365')
  })

  it('refuses a time in milliseconds outside any calendar (2^53) as bad data, not a RangeError', () => {
    expect(() => activityDate(2 ** 53)).toThrow(
      new PayloadValidationError('The event time 9007199254740992 is not a date, so the Task has no date.')
    )
    expect(() => activityDate(8.64e15, 1)).toThrow(PayloadValidationError)
  })

  it('labels snake_case and camelCase keys, and keeps labels that are already words', () => {
    expect(label('draw_no')).toBe('Draw no')
    expect(label('recurringPurchaseEnabled')).toBe('Recurring purchase enabled')
    expect(label('Draw number')).toBe('Draw number')
  })

  it('lists a Product Added sample one property a line, with yes/no for flags and no empty lines', () => {
    const { properties } = getSample('Product Added', 'lottery-line')
    const text = taskDescription({ ...properties, coupon: '' }, 'Logged by JLP')
    const rows = text.split('\n')
    expect(rows[0]).toBe('Logged by JLP')
    expect(rows).toContain(`Draw no: ${properties.draw_no}`)
    expect(rows).toContain(`Price: ${properties.price}`)
    expect(rows).toContain(`Platform source: ${properties.platform_source}`)
    expect(rows.some((r) => r.startsWith('Coupon'))).toBe(false)
    expect(taskDescription({ recurring: true, gift_aid: false })).toBe('Recurring: yes\nGift aid: no')
  })

  it('lists the products of a cart one a line', () => {
    const { properties } = getSample('Cart Viewed', 'abandoned')
    const rows = taskDescription({ products: properties.products, cart_id: properties.cart_id }).split('\n')
    expect(rows[0]).toBe('Products:')
    expect(rows[1]).toMatch(/^ {2}- .*name: /)
    expect(rows).toContain(`Cart id: ${properties.cart_id}`)
  })

  it('cuts a description to 32,000 characters', () => {
    expect(taskDescription({ note: 'x'.repeat(40000) })).toHaveLength(DESCRIPTION_MAX)
  })
})
