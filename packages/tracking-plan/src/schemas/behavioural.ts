// Properties of the behavioural (client-side) events other than purchases.
import type {
  CartViewedProperties,
  EmailLinkClickedProperties,
  ProductAddedProperties,
  RegistrationStartedProperties,
  SubscriptionCancelledProperties
} from '../types'
import { bool, dateTime, int, money, obj, oneOf, opt, str } from './builder'
import { currency, drawId, drawNo, email, platformSource, products, subscriptionId } from './common'

export const productAddedProperties = obj<ProductAddedProperties>()(
  {
    product_id: str('JLP product id, e.g. weekly-jumbo-line.', { minLength: 1 }),
    name: opt(str('Product name shown to the supporter.')),
    description: opt(str('Short description of the product.')),
    price: money('Price of one unit, in pounds.'),
    brand: opt(str('The charity or lottery brand selling the product.')),
    category: opt(str('Product category, e.g. Lottery, Raffle, Lottery subscription.')),
    draw_id: opt(drawId),
    draw_no: opt(drawNo),
    recurring_purchase_enabled: opt(bool('True when the product is a recurring (subscription) purchase.')),
    quantity: int('Units added.', { minimum: 1 }),
    currency,
    platform_source: platformSource,
    cart_id: opt(str('Id of the cart the product was added to.'))
  },
  { description: 'A product added to the cart.' }
)

export const cartViewedProperties = obj<CartViewedProperties>()(
  {
    cart_id: str('Id of the cart.', { minLength: 1 }),
    products,
    value: money('Total value of the cart, in pounds.'),
    currency,
    platform_source: opt(platformSource)
  },
  { description: 'The cart as the supporter saw it.' }
)

export const registrationStartedProperties = obj<RegistrationStartedProperties>()(
  {
    email,
    first_name: opt(str('First name typed in the form.')),
    last_name: opt(str('Last name typed in the form.')),
    phone: opt(str('Phone number typed in the form.')),
    postcode: opt(str('Postcode typed in the form.')),
    email_opt_in: opt(bool('Ticked "contact me by email".')),
    sms_opt_in: opt(bool('Ticked "contact me by SMS".')),
    signup_source: str('What led to the registration, e.g. homepage_banner, facebook_ad, email.', {
      minLength: 1
    }),
    platform_source: platformSource
  },
  { description: 'The registration form as submitted.' }
)

export const emailLinkClickedProperties = obj<EmailLinkClickedProperties>()(
  {
    email_id: str('Id of the email that was sent.', { minLength: 1 }),
    campaign_id: opt(str('Id of the email campaign.')),
    campaign_name: str('Name of the email campaign.', { minLength: 1 }),
    email_subject: opt(str('Subject line of the email.')),
    link_id: opt(str('Id of the link inside the email.')),
    link_url: str('Where the link goes.', { format: 'uri' })
  },
  { description: 'A link clicked in a marketing email.' }
)

export const subscriptionCancelledProperties = obj<SubscriptionCancelledProperties>()(
  {
    subscription_id: subscriptionId,
    reason: str('Why the subscription ended, in words.', { minLength: 1 }),
    cancelled_at: dateTime('When the subscription ended.'),
    cancelled_by: opt(
      oneOf('Who ended it: the supporter, repeated payment failures, or the care team.', [
        'supporter',
        'payment_failure',
        'care_team'
      ])
    ),
    plan: opt(str('Name of the plan that ended.')),
    platform_source: opt(platformSource)
  },
  { description: 'A recurring subscription that ended.' }
)
