// What a JLP charity lottery sells. Samples and the generator both build their events from these.
import type { Product, ProductAddedProperties } from './types'

export type JlpProduct = {
  product_id: string
  name: string
  description: string
  price: number
  category: 'Lottery' | 'Raffle' | 'Lottery subscription'
  /** Tickets a unit gives (a raffle book holds five). */
  ticketsPerUnit: number
  /** Lottery lines a subscription enters in every draw. */
  lines?: number
}

export const BRAND = "St Luke's Hospice Lottery"
export const CURRENCY = 'GBP'

export const PRODUCTS = {
  weeklyLine: {
    product_id: 'weekly-jumbo-line',
    name: 'Weekly Jumbo Draw – 1 line',
    description: "One line in this Saturday's Weekly Jumbo Draw",
    price: 1,
    category: 'Lottery',
    ticketsPerUnit: 1
  },
  raffleBook: {
    product_id: 'raffle-book-5',
    name: 'Raffle – book of 5 tickets',
    description: 'Five raffle tickets at £1 each',
    price: 5,
    category: 'Raffle',
    ticketsPerUnit: 5
  },
  monthlyOneLine: {
    product_id: 'jumbo-monthly-1',
    name: 'Weekly Jumbo Draw – 1 line, paid monthly',
    description: 'One line in every weekly draw, £4.34 a month',
    price: 4.34,
    category: 'Lottery subscription',
    ticketsPerUnit: 0,
    lines: 1
  },
  monthlyTwoLines: {
    product_id: 'jumbo-monthly-2',
    name: 'Weekly Jumbo Draw – 2 lines, paid monthly',
    description: 'Two lines in every weekly draw, £8.68 a month',
    price: 8.68,
    category: 'Lottery subscription',
    ticketsPerUnit: 0,
    lines: 2
  }
} satisfies Record<string, JlpProduct>

export const isSubscription = (p: JlpProduct) => p.lines !== undefined

type DrawRef = { draw_id?: string; draw_no?: number }

/** Product Added properties for `quantity` units of a product. */
export function productAdded(
  p: JlpProduct,
  quantity: number,
  rest: Pick<ProductAddedProperties, 'platform_source' | 'cart_id'> & DrawRef
): ProductAddedProperties {
  return {
    product_id: p.product_id,
    name: p.name,
    description: p.description,
    price: p.price,
    brand: BRAND,
    category: p.category,
    ...(rest.draw_id ? { draw_id: rest.draw_id } : {}),
    ...(rest.draw_no ? { draw_no: rest.draw_no } : {}),
    recurring_purchase_enabled: isSubscription(p),
    quantity,
    currency: CURRENCY,
    platform_source: rest.platform_source,
    ...(rest.cart_id ? { cart_id: rest.cart_id } : {})
  }
}

/** A cart or order line. */
export function productLine(p: JlpProduct, quantity: number, draw: DrawRef = {}): Product {
  return {
    product_id: p.product_id,
    name: p.name,
    price: p.price,
    quantity,
    category: p.category,
    ...(draw.draw_id ? { draw_id: draw.draw_id } : {}),
    ...(draw.draw_no ? { draw_no: draw.draw_no } : {}),
    recurring_purchase_enabled: isSubscription(p)
  }
}

/** Total of product lines in pounds, rounded to pence. */
export const totalOf = (lines: Product[]) => round2(lines.reduce((sum, l) => sum + l.price * l.quantity, 0))

export const round2 = (n: number) => Math.round(n * 100) / 100
