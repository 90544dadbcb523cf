// Purchases: Purchase Completed (client), Order Completed and Ticket Purchase Completed (server) share
// one property set; a ticket purchase requires its tickets and its draw.
import type { PurchaseProperties, TicketPurchaseCompletedProperties } from '../types'
import { arr, dateTime, money, obj, oneOf, opt, str, type Fields } from './builder'
import { currency, DRAW_EVENT_TYPES, drawId, platformSource, products, ticket } from './common'

// Key order is the order the schema (and the exported plan) lists them in.
const head: Fields<Pick<PurchaseProperties, 'order_id' | 'cart_id' | 'value' | 'revenue' | 'currency'>> = {
  order_id: str('JLP order id (one per checkout; the same in client and server events).', { minLength: 1 }),
  cart_id: opt(str('Id of the cart the order came from.')),
  value: money('Total paid, in pounds: tickets plus any donation.'),
  revenue: opt(money('Paid for tickets and products, in pounds, excluding the donation.')),
  currency
}

const tail: Fields<Pick<PurchaseProperties, 'donation_amount' | 'platform_source' | 'products'>> = {
  donation_amount: opt(money('Donation made with the purchase, in pounds (0 or absent when none).')),
  platform_source: opt(platformSource),
  products: opt(products)
}

const tickets = arr('Every ticket bought, one item per ticket.', ticket, { minItems: 1 })
const drawName = str('Name of the draw or raffle as shown to supporters (it may change over time).', {
  minLength: 1
})
const drawDate = opt(dateTime('When the draw takes place.'))
const eventType = oneOf('Kind of draw: a weekly lottery draw or a raffle.', DRAW_EVENT_TYPES)

export const purchaseProperties = obj<PurchaseProperties>()(
  {
    ...head,
    tickets: opt(tickets),
    draw_id: opt(drawId),
    draw_name: opt(drawName),
    draw_date: drawDate,
    event_type: opt(eventType),
    ...tail
  },
  { description: 'A completed checkout.' }
)

export const ticketPurchaseProperties = obj<TicketPurchaseCompletedProperties>()(
  { ...head, tickets, draw_id: drawId, draw_name: drawName, draw_date: drawDate, event_type: eventType, ...tail },
  { description: 'Tickets bought for one draw.' }
)
