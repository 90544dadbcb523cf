// Purchase properties from an order: tickets with deterministic ids, totals, and the draw they are for.
import { CURRENCY, productLine, round2, totalOf, type JlpProduct } from './products'
import type {
  DrawEventType,
  PlatformSource,
  PurchaseProperties,
  Ticket,
  TicketPurchaseCompletedProperties
} from './types'

export type Draw = {
  draw_id: string
  draw_name: string
  draw_date: string
  event_type: DrawEventType
  draw_no?: number
}

export type TicketOrder = {
  order_id: string
  cart_id?: string
  draw: Draw
  product: JlpProduct
  quantity: number
  /** One number per ticket (quantity × tickets per unit). */
  numbers: string[]
  donation?: number
  platform_source?: PlatformSource
}

/** Ticket ids are the order id plus the ticket's position, so a redelivered purchase keeps its ids. */
export function ticketsOf(order: TicketOrder): Ticket[] {
  const count = order.quantity * order.product.ticketsPerUnit
  if (order.numbers.length !== count) {
    throw new RangeError(`order ${order.order_id}: ${count} tickets need ${count} numbers, got ${order.numbers.length}`)
  }
  const price = round2(order.product.price / order.product.ticketsPerUnit)
  return order.numbers.map((number, i) => ({ ticket_id: `${order.order_id}-T${i + 1}`, price, number }))
}

export function ticketPurchase(order: TicketOrder): TicketPurchaseCompletedProperties {
  const { draw_no, ...draw } = order.draw
  const products = [productLine(order.product, order.quantity, { draw_id: draw.draw_id, draw_no })]
  const revenue = totalOf(products)
  const donation = order.donation ?? 0
  return {
    order_id: order.order_id,
    ...(order.cart_id ? { cart_id: order.cart_id } : {}),
    value: round2(revenue + donation),
    revenue,
    currency: CURRENCY,
    tickets: ticketsOf(order),
    ...draw,
    ...(donation > 0 ? { donation_amount: donation } : {}),
    ...(order.platform_source ? { platform_source: order.platform_source } : {}),
    products
  }
}

/** A subscription checkout: no tickets yet, the first month's payment is the value. */
export function subscriptionOrder(
  order_id: string,
  product: JlpProduct,
  platform_source: PlatformSource,
  cart_id?: string
): PurchaseProperties {
  const products = [productLine(product, 1)]
  const value = totalOf(products)
  return {
    order_id,
    ...(cart_id ? { cart_id } : {}),
    value,
    revenue: value,
    currency: CURRENCY,
    platform_source,
    products
  }
}
