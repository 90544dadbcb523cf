// Ticket Purchase Completed scenarios that end-to-end tests replay. Each scenario is a list of purchases in
// the order they happen; every draw is used by one scenario only, so scenarios can be checked one by one.
import { ticketPurchase, type TicketOrder } from '../orders'
import { PRODUCTS } from '../products'
import type { SegmentTrackEvent } from '../types'
import { draws, people, superdrawRenamed, type SampleSupporter } from './people'
import { sample } from './sample'

type Purchase = SegmentTrackEvent<'Ticket Purchase Completed'>

function purchase(label: string, who: SampleSupporter, timestamp: string, order: TicketOrder): Purchase {
  return sample('Ticket Purchase Completed', label, who, timestamp, ticketPurchase(order))
}

const line = PRODUCTS.weeklyLine

export const ticketPurchaseScenarios = {
  /** Tom buys one line in draw #1234. */
  oneTicket: [
    purchase('one-ticket', people.tom, '2026-06-08T12:03:41.000Z', {
      order_id: 'ORD-700101',
      cart_id: 'CART-88101',
      draw: draws.weekly1234,
      product: line,
      quantity: 1,
      numbers: ['041926'],
      platform_source: 'web'
    })
  ],
  /** Priya buys three lines in draw #1235 in the app. */
  threeTickets: [
    purchase('three-tickets', people.priya, '2026-06-15T19:47:02.000Z', {
      order_id: 'ORD-700102',
      cart_id: 'CART-88102',
      draw: draws.weekly1235,
      product: line,
      quantity: 3,
      numbers: ['108833', '215470', '390012'],
      platform_source: 'app'
    })
  ],
  /** Siobhan O'Brien buys a raffle book (5 tickets) and gives £10 on top. */
  withDonation: [
    purchase('with-donation', people.siobhan, '2026-06-18T08:15:29.000Z', {
      order_id: 'ORD-700103',
      cart_id: 'CART-88103',
      draw: draws.summerRaffle,
      product: PRODUCTS.raffleBook,
      quantity: 1,
      numbers: ['R004511', 'R004512', 'R004513', 'R004514', 'R004515'],
      donation: 10,
      platform_source: 'mobile'
    })
  ],
  /** Gareth and Aisha (whose address has a backslash) both buy into draw #1236. */
  twoBuyersSameDraw: [
    purchase('two-buyers-same-draw-1', people.gareth, '2026-06-22T17:20:00.000Z', {
      order_id: 'ORD-700104',
      draw: draws.weekly1236,
      product: line,
      quantity: 2,
      numbers: ['503318', '677201'],
      platform_source: 'web'
    }),
    purchase('two-buyers-same-draw-2', people.aisha, '2026-06-23T21:05:44.000Z', {
      order_id: 'ORD-700105',
      draw: draws.weekly1236,
      product: line,
      quantity: 1,
      numbers: ['720054'],
      platform_source: 'mobile'
    })
  ],
  /** Tom buys into draw #1237 twice: one line, then two more. */
  sameBuyerTwice: [
    purchase('same-buyer-twice-1', people.tom, '2026-06-29T09:12:10.000Z', {
      order_id: 'ORD-700106',
      draw: draws.weekly1237,
      product: line,
      quantity: 1,
      numbers: ['118204'],
      platform_source: 'web'
    }),
    purchase('same-buyer-twice-2', people.tom, '2026-07-02T20:41:55.000Z', {
      order_id: 'ORD-700107',
      draw: draws.weekly1237,
      product: line,
      quantity: 2,
      numbers: ['250631', '884410'],
      platform_source: 'web'
    })
  ],
  /** The Summer Superdraw is renamed between Priya's and Siobhan's purchases (same draw_id). */
  drawRenamed: [
    purchase('draw-renamed-1', people.priya, '2026-07-10T13:30:00.000Z', {
      order_id: 'ORD-700108',
      draw: draws.superdraw,
      product: line,
      quantity: 2,
      numbers: ['305517', '306518'],
      platform_source: 'app'
    }),
    purchase('draw-renamed-2', people.siobhan, '2026-07-20T18:02:37.000Z', {
      order_id: 'ORD-700109',
      draw: superdrawRenamed,
      product: line,
      quantity: 1,
      numbers: ['412290'],
      platform_source: 'mobile'
    })
  ]
}

export type TicketPurchaseScenario = keyof typeof ticketPurchaseScenarios
