// TypeScript types for every JLP event. The schemas in ./schemas are built against these types (see
// schemas/builder.ts), so a key, its optionality or its value type cannot change in one place only.
// Object types are `type` aliases (not interfaces) so events stay assignable to actions-core's SegmentEvent.

export type PlatformSource = 'web' | 'app' | 'mobile'
export type DrawEventType = 'Lottery Draw' | 'Raffle'
export type PaymentFrequency = 'weekly' | 'monthly'
export type PaymentMethod = 'direct_debit' | 'card' | 'paypal'
export type EventKind = 'behavioural' | 'server'

export const BEHAVIOURAL_EVENTS = [
  'Product Added',
  'Cart Viewed',
  'Purchase Completed',
  'Registration Started',
  'Email Link Clicked',
  'Subscription Cancelled'
] as const

export const SERVER_EVENTS = [
  'Recurring Payment Created',
  'Recurring Payment Attempted',
  'Recurring Payment Succeeded',
  'Recurring Payment Failed',
  'Order Completed',
  'Ticket Purchase Completed'
] as const

export type BehaviouralEventName = (typeof BEHAVIOURAL_EVENTS)[number]
export type ServerEventName = (typeof SERVER_EVENTS)[number]
export type EventName = BehaviouralEventName | ServerEventName

export type Address = {
  street?: string
  city?: string
  state?: string
  postalCode?: string
  country?: string
}

/** The supporter as carried in `context.traits` of track events (Segment spec trait names). */
export type ContextTraits = {
  email: string
  firstName?: string
  lastName?: string
  phone?: string
  address?: Address
  supporter_id?: string
}

/** Identify traits: the supporter plus JLP's marketing opt-ins. */
export type SupporterTraits = ContextTraits & {
  email_opt_in?: boolean
  sms_opt_in?: boolean
  post_opt_in?: boolean
  phone_opt_in?: boolean
  gift_aid_declared?: boolean
  createdAt?: string
}

export type Campaign = { source: string; medium: string; name: string; term: string; content: string }

export type EventContext = {
  traits?: ContextTraits
  campaign?: Campaign
  ip?: string
  userAgent?: string
  locale?: string
  library?: { name: string; version: string }
  page?: { url?: string; path?: string; referrer?: string; title?: string }
}

export type Product = {
  product_id: string
  name?: string
  price: number
  quantity: number
  category?: string
  draw_id?: string
  draw_no?: number
  recurring_purchase_enabled?: boolean
}

export type Ticket = { ticket_id: string; price: number; number?: string }

export type ProductAddedProperties = {
  product_id: string
  name?: string
  description?: string
  price: number
  brand?: string
  category?: string
  draw_id?: string
  draw_no?: number
  recurring_purchase_enabled?: boolean
  quantity: number
  currency: string
  platform_source: PlatformSource
  cart_id?: string
}

export type CartViewedProperties = {
  cart_id: string
  products: Product[]
  value: number
  currency: string
  platform_source?: PlatformSource
}

/** Purchase Completed (client) and Order Completed (server). */
export type PurchaseProperties = {
  order_id: string
  cart_id?: string
  value: number
  revenue?: number
  currency: string
  tickets?: Ticket[]
  draw_id?: string
  draw_name?: string
  draw_date?: string
  event_type?: DrawEventType
  donation_amount?: number
  platform_source?: PlatformSource
  products?: Product[]
}

type DrawKeys = 'tickets' | 'draw_id' | 'draw_name' | 'event_type'

/** One purchase of tickets for one draw (the event syncEventCampaign builds Campaigns from): the purchase
 * properties with the tickets and the draw required. */
export type TicketPurchaseCompletedProperties = Omit<PurchaseProperties, DrawKeys> &
  Required<Pick<PurchaseProperties, DrawKeys>>

export type RegistrationStartedProperties = {
  email: string
  first_name?: string
  last_name?: string
  phone?: string
  postcode?: string
  email_opt_in?: boolean
  sms_opt_in?: boolean
  signup_source: string
  platform_source: PlatformSource
}

export type EmailLinkClickedProperties = {
  email_id: string
  campaign_id?: string
  campaign_name: string
  email_subject?: string
  link_id?: string
  link_url: string
}

export type SubscriptionCancelledProperties = {
  subscription_id: string
  reason: string
  cancelled_at: string
  cancelled_by?: 'supporter' | 'payment_failure' | 'care_team'
  plan?: string
  platform_source?: PlatformSource
}

export type RecurringPaymentCreatedProperties = {
  subscription_id: string
  order_id?: string
  plan: string
  frequency: PaymentFrequency
  amount: number
  currency: string
  lines?: number
  payment_method?: PaymentMethod
  start_date: string
  next_payment_at?: string
}

export type RecurringPaymentAttemptedProperties = {
  subscription_id: string
  payment_id: string
  plan?: string
  frequency?: PaymentFrequency
  amount: number
  currency: string
  attempt_number: number
}

export type RecurringPaymentSucceededProperties = RecurringPaymentAttemptedProperties & { next_payment_at?: string }

export type RecurringPaymentFailedProperties = RecurringPaymentAttemptedProperties & {
  failure_reason: string
  failure_code?: string
  next_attempt_at?: string
  final_attempt?: boolean
}

export type EventProperties = {
  'Product Added': ProductAddedProperties
  'Cart Viewed': CartViewedProperties
  'Purchase Completed': PurchaseProperties
  'Registration Started': RegistrationStartedProperties
  'Email Link Clicked': EmailLinkClickedProperties
  'Subscription Cancelled': SubscriptionCancelledProperties
  'Recurring Payment Created': RecurringPaymentCreatedProperties
  'Recurring Payment Attempted': RecurringPaymentAttemptedProperties
  'Recurring Payment Succeeded': RecurringPaymentSucceededProperties
  'Recurring Payment Failed': RecurringPaymentFailedProperties
  'Order Completed': PurchaseProperties
  'Ticket Purchase Completed': TicketPurchaseCompletedProperties
}

/** A Segment track call for one JLP event (assignable to actions-core's SegmentEvent). */
export type SegmentTrackEvent<E extends EventName = EventName> = {
  [N in E]: {
    type: 'track'
    event: N
    userId?: string
    anonymousId?: string
    messageId: string
    timestamp: string
    properties: EventProperties[N]
    context: EventContext
  }
}[E]

export type SegmentIdentifyEvent = {
  type: 'identify'
  userId: string
  anonymousId?: string
  messageId: string
  timestamp: string
  traits: SupporterTraits
  context: EventContext
}

export type JlpEvent = SegmentTrackEvent | SegmentIdentifyEvent

/** One event of the catalogue: what it means, its properties' schema and realistic samples. */
export type EventDefinition<E extends EventName = EventName> = {
  name: E
  kind: EventKind
  description: string
  schema: import('json-schema').JSONSchema7
  samples: SegmentTrackEvent<E>[]
}
