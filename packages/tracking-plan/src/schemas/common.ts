// Schemas shared by several events: money, products, tickets, the supporter and the event context.
import type {
  Address,
  Campaign,
  ContextTraits,
  EventContext,
  PlatformSource,
  Product,
  SupporterTraits,
  Ticket
} from '../types'
import { arr, bool, dateTime, int, money, obj, oneOf, opt, str, type Fields, type Schema } from './builder'

export const PLATFORM_SOURCES = ['web', 'app', 'mobile'] as const
export const DRAW_EVENT_TYPES = ['Lottery Draw', 'Raffle'] as const
export const FREQUENCIES = ['weekly', 'monthly'] as const
export const PAYMENT_METHODS = ['direct_debit', 'card', 'paypal'] as const

export const currency = str('ISO 4217 currency code of every amount in the event, e.g. GBP.', {
  pattern: '^[A-Z]{3}$'
})

export const platformSource: Schema<PlatformSource> = oneOf(
  'Where the supporter acted: the website, the native app or the mobile website.',
  PLATFORM_SOURCES
)

export const email = str('Email address of the supporter.', { format: 'email' })

export const subscriptionId = str('JLP id of the recurring subscription (stable for its whole life).', {
  minLength: 1
})

export const drawId = str('JLP id of the draw or raffle (stable even when its name changes).', { minLength: 1 })

export const drawNo = int('Public number of the lottery draw, e.g. 1234.', { minimum: 1 })

export const product: Schema<Product> = obj<Product>()(
  {
    product_id: str('JLP product id.', { minLength: 1 }),
    name: opt(str('Product name shown to the supporter.')),
    price: money('Price of one unit, in pounds.'),
    quantity: int('Units in the cart.', { minimum: 1 }),
    category: opt(str('Product category, e.g. Lottery, Raffle, Lottery subscription.')),
    draw_id: opt(drawId),
    draw_no: opt(drawNo),
    recurring_purchase_enabled: opt(bool('True when buying the product starts a recurring subscription.'))
  },
  { description: 'One product line of a cart or order.' }
)

export const products = arr('Products in the cart or order.', product)

export const ticket: Schema<Ticket> = obj<Ticket>()(
  {
    ticket_id: str('Unique id of the ticket (one per ticket bought).', { minLength: 1 }),
    price: money('Price paid for this ticket, in pounds.'),
    number: opt(str('The number printed on the ticket or the lottery numbers chosen.'))
  },
  { description: 'One ticket bought.' }
)

export const address: Schema<Address> = obj<Address>()(
  {
    street: opt(str('Street address, including flat or house number.')),
    city: opt(str('Town or city.')),
    state: opt(str('County or region.')),
    postalCode: opt(str('Postcode.')),
    country: opt(str('Country (ISO 3166-1 alpha-2 code, e.g. GB).'))
  },
  { description: 'Postal address of the supporter.' }
)

const person: Fields<ContextTraits> = {
  email,
  firstName: opt(str('First name.')),
  lastName: opt(str('Last name.')),
  phone: opt(str('Phone number, preferably in international format (+44…).')),
  address: opt(address),
  supporter_id: opt(str('JLP supporter id (the same as userId).', { minLength: 1 }))
}

export const contextTraits = obj<ContextTraits>()(person, {
  description: 'The supporter who acted, as known when the event was sent.'
})

export const supporterTraits = obj<SupporterTraits>()(
  {
    ...person,
    email_opt_in: opt(bool('The supporter agreed to marketing by email.')),
    sms_opt_in: opt(bool('The supporter agreed to marketing by SMS.')),
    post_opt_in: opt(bool('The supporter agreed to marketing by post.')),
    phone_opt_in: opt(bool('The supporter agreed to marketing by phone.')),
    gift_aid_declared: opt(bool('The supporter made a Gift Aid declaration.')),
    createdAt: opt(dateTime('When the supporter registered.'))
  },
  { description: 'Who the supporter is and what they agreed to.' }
)

const campaign: Schema<Campaign> = obj<Campaign>()(
  {
    source: str('utm_source, e.g. newsletter.'),
    medium: str('utm_medium, e.g. email.'),
    name: str('utm_campaign, e.g. Summer Superdraw 2026.'),
    term: str('utm_term (empty when not used).'),
    content: str('utm_content (empty when not used).')
  },
  { description: 'The marketing campaign that brought the supporter.' }
)

export const context: Schema<EventContext> = obj<EventContext>()(
  {
    traits: opt(contextTraits),
    campaign: opt(campaign),
    ip: opt(str('IP address of the device.')),
    userAgent: opt(str('Browser user agent.')),
    locale: opt(str('Locale of the device, e.g. en-GB.')),
    library: opt(
      obj<{ name: string; version: string }>()(
        { name: str('Library name.'), version: str('Library version.') },
        { description: 'The Segment library that sent the event.' }
      )
    ),
    page: opt(
      obj<NonNullable<EventContext['page']>>()(
        {
          url: opt(str('Page URL.')),
          path: opt(str('Page path.')),
          referrer: opt(str('Referring URL.')),
          title: opt(str('Page title.'))
        },
        { description: 'The page the supporter was on.' }
      )
    )
  },
  { description: 'Context Segment adds to every call.' }
)
