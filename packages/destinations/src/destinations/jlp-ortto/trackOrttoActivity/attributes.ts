// Every JLP event property that becomes an Ortto activity attribute, with its Ortto type. Keys are the tracking
// plan's property names (a test checks each event's properties against this list and its types against the
// schemas), so an event's default mapping is simply its own properties.
import type { CatalogueEntry } from '../common-fields'

const text = (label: string, description: string): CatalogueEntry => ({
  label,
  description,
  kind: 'text',
  type: 'string'
})
const money = (label: string, description: string): CatalogueEntry => ({
  label,
  description: `${description} Sent as an integer ×1000, as Ortto stores decimals.`,
  kind: 'decimal',
  type: 'number'
})
const integer = (label: string, description: string): CatalogueEntry => ({
  label,
  description,
  kind: 'integer',
  type: 'integer'
})
const flag = (label: string, description: string): CatalogueEntry => ({
  label,
  description,
  kind: 'boolean',
  type: 'boolean'
})
const date = (label: string, description: string): CatalogueEntry => ({
  label,
  description,
  kind: 'date',
  type: 'datetime'
})

export const ACTIVITY_ATTRIBUTES = {
  // Products and carts
  product_id: text('Product ID', 'The JLP product, e.g. weekly-jumbo-line.'),
  name: text('Product name', 'The product’s name as shown to the supporter.'),
  description: {
    label: 'Description',
    description: 'Product description (long text, up to 4,000 characters).',
    kind: 'longtext',
    type: 'string'
  },
  price: money('Price', 'Price of one unit.'),
  quantity: integer('Quantity', 'Units added or bought.'),
  brand: text('Brand', 'The charity or lottery brand.'),
  category: text('Category', 'Product category, e.g. Lottery, Raffle, Lottery subscription.'),
  draw_id: text('Draw ID', 'The JLP draw or raffle id.'),
  draw_no: integer('Draw number', 'Public number of the lottery draw.'),
  recurring_purchase_enabled: flag('Recurring purchase enabled', 'True when the product is a recurring purchase.'),
  cart_id: text('Cart ID', 'The cart the event is about.'),
  products: {
    label: 'Products',
    description: 'The cart’s or order’s product lines, as a JSON object for email templates ({items: [...]}).',
    kind: 'object',
    type: 'object',
    multiple: true
  },
  // Orders
  order_id: text('Order ID', 'The JLP order id (the same in client and server events).'),
  order_value: money('Order value', 'Total of the cart or order, including any donation.'),
  revenue: money('Revenue', 'Paid for tickets and products, excluding the donation.'),
  donation_amount: money('Donation amount', 'Donation made with the purchase.'),
  draw_name: text('Draw name', 'Name of the draw or raffle.'),
  draw_date: date('Draw date', 'When the draw takes place.'),
  event_type: text('Draw type', 'Lottery Draw or Raffle.'),
  currency: text('Currency', 'ISO 4217 code of the amounts, e.g. GBP.'),
  platform_source: text('Platform source', 'Where the supporter acted: web, app or mobile.'),
  // Registration and email
  signup_source: text('Signup source', 'What led to the registration, e.g. homepage_banner.'),
  email_id: text('Email ID', 'The email that was clicked.'),
  campaign_id: text('Campaign ID', 'The email campaign id.'),
  campaign_name: text('Campaign name', 'The email campaign name.'),
  email_subject: text('Email subject', 'Subject line of the email.'),
  link_id: text('Link ID', 'The link inside the email.'),
  link_url: text('Link URL', 'Where the link goes.'),
  // Subscriptions and recurring payments
  subscription_id: text('Subscription ID', 'The JLP recurring subscription id.'),
  plan: text('Plan', 'Name of the subscription plan.'),
  frequency: text('Frequency', 'weekly or monthly.'),
  amount: money('Amount', 'Payment or plan amount.'),
  lines: integer('Lines', 'Number of lottery lines in the plan.'),
  payment_method: text('Payment method', 'direct_debit, card or paypal.'),
  start_date: date('Start date', 'When the subscription starts.'),
  next_payment_at: date('Next payment date', 'When the next payment is due.'),
  payment_id: text('Payment ID', 'The recurring payment id.'),
  attempt_number: integer('Attempt number', 'Which attempt at this payment (1 = first).'),
  failure_reason: text('Failure reason', 'Why the payment failed, in words.'),
  failure_code: text('Failure code', 'The payment provider’s failure code.'),
  next_attempt_at: date('Next attempt date', 'When the payment will be tried again.'),
  final_attempt: flag('Final attempt', 'True when no further attempt will be made.'),
  reason: text('Cancellation reason', 'Why the subscription ended, in words.'),
  cancelled_at: date('Cancelled date', 'When the subscription ended.'),
  cancelled_by: text('Cancelled by', 'supporter, payment_failure or care_team.')
} satisfies Record<string, CatalogueEntry>

export type ActivityAttribute = keyof typeof ACTIVITY_ATTRIBUTES

/** Where an attribute comes from when it is not the property of the same name. */
const SOURCE: Partial<Record<ActivityAttribute, string>> = { order_value: '$.properties.value' }

/** The mapping of some attributes: each from its event property (or its special source). */
export function attributeMapping(keys: readonly ActivityAttribute[]): Record<string, { '@path': string }> {
  return Object.fromEntries(keys.map((key) => [key, { '@path': SOURCE[key] ?? `$.properties.${key}` }]))
}

/** The event property an attribute is read from (for checks against the tracking plan). */
export function sourceProperty(key: ActivityAttribute): string {
  return (SOURCE[key] ?? `$.properties.${key}`).replace('$.properties.', '')
}
