import { PayloadValidationError } from '@segment/actions-core'
import {
  inferKind,
  kebab,
  kindOfFieldId,
  toOrttoActivityId,
  toOrttoFieldId,
  toOrttoFields,
  toOrttoTime,
  toOrttoValue,
  type OrttoValueKind
} from '..'

describe('Ortto field ids', () => {
  it.each<[OrttoValueKind, string]>([
    ['text', 'str:cm:draw-no'],
    ['longtext', 'txt:cm:draw-no'],
    ['integer', 'int:cm:draw-no'],
    ['decimal', 'int:cm:draw-no'],
    ['boolean', 'bol:cm:draw-no'],
    ['date', 'dtz:cm:draw-no'],
    ['phone', 'phn:cm:draw-no'],
    ['geo', 'geo:cm:draw-no'],
    ['object', 'obj:cm:draw-no']
  ])('a %s field is typed %s', (kind, id) => {
    expect(toOrttoFieldId('draw_no', kind)).toBe(id)
  })

  it('built-in fields have an empty namespace', () => {
    expect(toOrttoFieldId('email', 'text', '')).toBe('str::email')
    expect(toOrttoFieldId('phone', 'phone', '')).toBe('phn::phone')
  })

  it('keeps an id that is already typed', () => {
    expect(toOrttoFieldId('int:cm:loyalty-points', 'text')).toBe('int:cm:loyalty-points')
    expect(toOrttoFieldId('int::v', 'decimal')).toBe('int::v')
  })

  it.each([
    ['recurring_purchase_enabled', 'recurring-purchase-enabled'],
    ['Recurring Purchase Enabled', 'recurring-purchase-enabled'],
    ['recurringPurchaseEnabled', 'recurring-purchase-enabled'],
    ['  Draw #12 (AU) ', 'draw-12-au']
  ])('kebab-cases %j as %j', (name, slug) => {
    expect(kebab(name)).toBe(slug)
  })

  it('refuses a name with no letters or digits', () => {
    expect(() => toOrttoFieldId('__', 'text')).toThrow(PayloadValidationError)
  })

  it('derives activity ids from event names and keeps given ids', () => {
    expect(toOrttoActivityId('Product Added')).toBe('act:cm:product-added')
    expect(toOrttoActivityId('Recurring Payment Created')).toBe('act:cm:recurring-payment-created')
    expect(toOrttoActivityId('act:cm:cart-abandoned')).toBe('act:cm:cart-abandoned')
    expect(() => toOrttoActivityId('!!')).toThrow(PayloadValidationError)
  })

  it('reads the kind back from an id prefix and infers it from a value', () => {
    expect(kindOfFieldId('bol:cm:vip')).toBe('boolean')
    expect(kindOfFieldId('dtz:cm:joined')).toBe('date')
    expect(inferKind(3)).toBe('integer')
    expect(inferKind(3.5)).toBe('decimal')
    expect(inferKind(true)).toBe('boolean')
    expect(inferKind('x'.repeat(300))).toBe('longtext')
    expect(inferKind({ a: 1 })).toBe('object')
  })
})

describe('Ortto values', () => {
  it('sends decimals (money too) as integers ×1000', () => {
    expect(toOrttoValue('decimal', 19.99, 'int:cm:price')).toBe(19990)
    expect(toOrttoValue('decimal', '2.5', 'int:cm:rating')).toBe(2500)
    expect(toOrttoValue('integer', 7.6, 'int:cm:qty')).toBe(8)
  })

  it('names the field when a number is not a number', () => {
    expect(() => toOrttoValue('decimal', 'ten dollars', 'int:cm:price')).toThrow(
      new PayloadValidationError('int:cm:price must be a number; got "ten dollars".')
    )
  })

  it('quotes a long value or a long name short in its error (a 5,000-character name, a 3,000-character object)', () => {
    const huge = { list: Array.from({ length: 1000 }, (_, i) => i) }
    expect(() => toOrttoValue('integer', huge, 'int:cm:qty')).toThrow(
      /^int:cm:qty must be a number; got \{"list":\[0,1,2,[\d,]{0,40}… \(3,\d{3} characters\)\.$/
    )
    const name = '-'.repeat(5000)
    for (const fn of [() => toOrttoFieldId(name, 'text'), () => toOrttoActivityId(name)]) {
      expect(fn).toThrow(PayloadValidationError)
      expect(() => fn()).toThrow(/^"-{60}…" \(5,000 characters\) cannot be an Ortto/)
    }
  })

  it('an activity time outside any calendar (-1e308 ms) is refused as bad data, not a RangeError', () => {
    expect(toOrttoTime('2026-03-04T23:30:00+10:00', 'Time')).toBe('2026-03-04T13:30:00.000Z')
    expect(() => toOrttoTime(-1e308, 'Time')).toThrow(
      new PayloadValidationError('Time must be a date and time (ISO 8601); got -1e+308.')
    )
  })

  it('reads booleans from common spellings and refuses others', () => {
    expect(toOrttoValue('boolean', 'yes', 'bol:cm:x')).toBe(true)
    expect(toOrttoValue('boolean', 'false', 'bol:cm:x')).toBe(false)
    expect(() => toOrttoValue('boolean', 'maybe', 'bol:cm:x')).toThrow(/bol:cm:x must be true or false/)
  })

  it('sends dates as Ortto date objects in UTC', () => {
    expect(toOrttoValue('date', '2026-03-04T23:30:00+10:00', 'dtz:cm:d')).toEqual({
      year: 2026,
      month: 3,
      day: 4,
      timezone: 'UTC'
    })
    expect(() => toOrttoValue('date', 'soon', 'dtz:cm:d')).toThrow(/dtz:cm:d must be a date/)
  })

  it('sends phones and places as objects', () => {
    expect(toOrttoValue('phone', '+61 401 234 567', 'phn::phone')).toEqual({
      phone: '61401234567',
      parse_with_country_code: true
    })
    expect(toOrttoValue('geo', 'Melbourne', 'geo::city')).toEqual({ name: 'Melbourne' })
  })

  it('cuts strings at 255 and long text at 4,000 characters', () => {
    expect((toOrttoValue('text', 'a'.repeat(300), 'str:cm:x') as string).length).toBe(255)
    expect((toOrttoValue('longtext', 'a'.repeat(5000), 'txt:cm:x') as string).length).toBe(4000)
  })

  it('keeps null (clears the field) and drops undefined and empty strings from a field map', () => {
    expect(
      toOrttoFields([
        { name: 'plan_amount', kind: 'decimal', value: null },
        { name: 'brand', kind: 'text', value: undefined },
        { name: 'category', kind: 'text', value: '' },
        { name: 'email', kind: 'text', value: 'a@b.org', namespace: '' }
      ])
    ).toEqual({ 'int:cm:plan-amount': null, 'str::email': 'a@b.org' })
  })
})
