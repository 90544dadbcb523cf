// The properties schema of every event, by name.
import type { EventName, EventProperties } from '../types'
import {
  cartViewedProperties,
  emailLinkClickedProperties,
  productAddedProperties,
  registrationStartedProperties,
  subscriptionCancelledProperties
} from './behavioural'
import type { Schema } from './builder'
import { purchaseProperties, ticketPurchaseProperties } from './purchase'
import {
  recurringAttemptedProperties,
  recurringCreatedProperties,
  recurringFailedProperties,
  recurringSucceededProperties
} from './recurring'

export const propertiesSchemas: { [E in EventName]: Schema<EventProperties[E]> } = {
  'Product Added': productAddedProperties,
  'Cart Viewed': cartViewedProperties,
  'Purchase Completed': purchaseProperties,
  'Registration Started': registrationStartedProperties,
  'Email Link Clicked': emailLinkClickedProperties,
  'Subscription Cancelled': subscriptionCancelledProperties,
  'Recurring Payment Created': recurringCreatedProperties,
  'Recurring Payment Attempted': recurringAttemptedProperties,
  'Recurring Payment Succeeded': recurringSucceededProperties,
  'Recurring Payment Failed': recurringFailedProperties,
  'Order Completed': purchaseProperties,
  'Ticket Purchase Completed': ticketPurchaseProperties
}

export { supporterTraits, contextTraits, context } from './common'
