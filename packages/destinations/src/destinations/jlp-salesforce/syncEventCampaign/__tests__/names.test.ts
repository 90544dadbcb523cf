import { PayloadValidationError } from '@segment/actions-core'
import { checkTemplate, renderTemplate, truncate, unknownPlaceholders } from '../names'
import { DEFAULT_DONATION_NAME, DEFAULT_TICKET_NAME } from '../fields'

describe('name templates', () => {
  const values = {
    draw_name: 'Draw 1234',
    ticket_index: 1,
    ticket_count: 3,
    buyer_name: 'Jane Doe',
    order_id: 'ORD-1'
  }

  it('renders the default ticket name as "Draw 1234 – Ticket 1 of 3 – Jane Doe"', () => {
    expect(renderTemplate(DEFAULT_TICKET_NAME, values, 120)).toBe('Draw 1234 – Ticket 1 of 3 – Jane Doe')
  })

  it('renders the default donation name', () => {
    expect(renderTemplate(DEFAULT_DONATION_NAME, values, 120)).toBe('Draw 1234 – Donation – Jane Doe')
  })

  it('leaves a missing value empty and squeezes the spaces it leaves', () => {
    expect(renderTemplate('Ticket {ticket_number} of {draw_name}', values, 120)).toBe('Ticket of Draw 1234')
  })

  it('cuts to the maximum with an ellipsis', () => {
    const name = renderTemplate('{draw_name} {buyer_name}', { draw_name: 'a'.repeat(200), buyer_name: 'b' }, 120)
    expect(name).toHaveLength(120)
    expect(name.endsWith('…')).toBe(true)
    expect(truncate('short', 120)).toBe('short')
  })

  it('finds unknown placeholders and refuses them, naming the mapping field', () => {
    expect(unknownPlaceholders('{draw_name} {draw} {ticket}')).toEqual(['draw', 'ticket'])
    expect(() => checkTemplate('{draw}', 'opportunity.name_template')).toThrow(PayloadValidationError)
    expect(() => checkTemplate('{draw}', 'opportunity.name_template')).toThrow(
      /opportunity\.name_template uses \{draw\}, which is not a placeholder/
    )
    expect(() => checkTemplate(DEFAULT_TICKET_NAME, 'opportunity.name_template')).not.toThrow()
  })
})
