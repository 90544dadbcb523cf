// One supporter's journey as an endless, time-ordered stream of calls: register → identify → sessions
// (buy tickets, abandon a cart, click an email, subscribe, cancel, update details) interleaved with the
// subscription's collections (attempted → succeeded, or failed and retried; three failures end it).
import { makeIdentify, makeTrack, type CallMeta } from '../build'
import { subscriptionOrder, ticketPurchase, type Draw } from '../orders'
import { uuidFrom, type Rng } from '../prng'
import { CURRENCY, PRODUCTS, productAdded, productLine, totalOf, type JlpProduct } from '../products'
import type { Campaign, EventName, EventProperties, JlpEvent, PaymentMethod, PlatformSource } from '../types'
import { TIME, type DrawCalendar } from './calendar'
import type { GeneratedSupporter } from './population'

type Persona = 'buyer' | 'subscriber' | 'browser' | 'churner'
type Session = 'buy' | 'abandon' | 'email' | 'subscribe' | 'cancel' | 'update'

const WEIGHTS: Record<Persona, Record<Session, number>> = {
  buyer: { buy: 45, abandon: 15, email: 20, subscribe: 5, cancel: 5, update: 5 },
  subscriber: { buy: 15, abandon: 10, email: 15, subscribe: 40, cancel: 3, update: 5 },
  browser: { buy: 15, abandon: 45, email: 20, subscribe: 5, cancel: 5, update: 5 },
  churner: { buy: 15, abandon: 15, email: 15, subscribe: 30, cancel: 20, update: 5 }
}
/** The first four supporters follow fixed stories so that even a short stream has every kind of event. */
const STARTERS: { persona: Persona; sessions: Session[] }[] = [
  { persona: 'buyer', sessions: ['email', 'buy'] },
  { persona: 'churner', sessions: ['subscribe', 'cancel'] },
  { persona: 'browser', sessions: ['abandon', 'buy'] },
  { persona: 'subscriber', sessions: ['subscribe'] }
]
const FAILURES = [
  ['Insufficient funds', 'insufficient_funds'],
  ['Card expired', 'expired_card'],
  ['Direct Debit instruction cancelled by the bank', 'mandate_cancelled'],
  ['Payment declined by the card issuer', 'card_declined']
] as const
const CANCEL_REASONS = [
  "Can't afford it at the moment",
  'Never win anything',
  'Moving abroad',
  'Prefer to donate directly'
]
const SIGNUP_SOURCES = ['homepage_banner', 'facebook_ad', 'email', 'app_onboarding', 'partner_referral']
const CAMPAIGNS: Campaign[] = [
  { source: 'newsletter', medium: 'email', name: 'Weekly Jumbo reminder', term: '', content: 'play-now' },
  { source: 'newsletter', medium: 'email', name: 'Summer Superdraw 2026', term: '', content: 'hero-button' },
  {
    source: 'facebook',
    medium: 'paid_social',
    name: 'Spring\\Summer Appeal 2026',
    term: 'weekly lottery',
    content: 'video-30s'
  }
]
const WIN_BACK: Campaign = {
  source: 'crm',
  medium: 'email',
  name: 'We miss you – win-back',
  term: '',
  content: 'play-again'
}
const MAX_ATTEMPTS = 3

export type JourneyContext = {
  seed: number
  tag: string
  rng: Rng
  calendar: DrawCalendar
  supporter: GeneratedSupporter
  arrival: number
}

type Subscription = {
  id: string
  product: JlpProduct
  payment: number
  attempt: number
  dueAt: number
  failProbability: number
}

export function* journey(ctx: JourneyContext): Generator<JlpEvent, never> {
  const { rng, supporter: who, calendar, tag } = ctx
  const n = who.index + 1
  const starter = STARTERS[who.index]
  const persona = starter?.persona ?? rng.weighted<Persona>({ buyer: 4, subscriber: 3, browser: 2, churner: 2 })
  const planned = [...(starter?.sessions ?? [])]
  let t = ctx.arrival
  let seq = 0
  let orders = 0
  let subscriptions = 0
  let subscription: Subscription | undefined
  let everSubscribed = false
  let nextSessionAt = 0

  const meta = (extra: Partial<CallMeta> = {}): CallMeta => ({
    messageId: uuidFrom(`${ctx.seed}:${who.index}:${++seq}`),
    timestamp: new Date(t).toISOString(),
    ...extra
  })
  const wait = (minSeconds: number, maxSeconds: number) => (t += rng.int(minSeconds, maxSeconds) * TIME.SECOND)
  const track = <E extends EventName>(event: E, properties: EventProperties[E], extra?: Partial<CallMeta>) =>
    makeTrack(event, who, properties, meta(extra))
  const platform = (): PlatformSource => (rng.chance(0.8) ? who.platform : rng.pick(['web', 'app', 'mobile'] as const))

  // Registration: anonymous first, then identified.
  const registered = { ...who, userId: undefined }
  yield makeTrack(
    'Registration Started',
    registered,
    {
      email: who.profile.email,
      first_name: who.profile.firstName,
      last_name: who.profile.lastName,
      ...(who.profile.phone ? { phone: who.profile.phone } : {}),
      postcode: who.profile.address?.postalCode,
      email_opt_in: who.profile.email_opt_in,
      sms_opt_in: who.profile.sms_opt_in,
      signup_source: rng.pick(SIGNUP_SOURCES),
      platform_source: who.platform
    },
    meta()
  )
  wait(40, 240)
  const profile = { ...who.profile, createdAt: new Date(t).toISOString() }
  yield makeIdentify(who, profile, meta())
  nextSessionAt = t + rng.int(2, 30) * TIME.MINUTE

  function* emailClick(campaign: Campaign): Generator<JlpEvent> {
    const day = new Date(t).toISOString().slice(0, 10)
    const slug = campaign.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
    yield track(
      'Email Link Clicked',
      {
        email_id: `EML-${day}-${slug}`,
        campaign_name: campaign.name,
        email_subject: `${who.profile.firstName}, ${campaign === WIN_BACK ? 'your lucky numbers are waiting' : "this week's draw is open"}`,
        link_id: campaign.content,
        link_url: `https://play.stlukeslottery.example/${campaign === WIN_BACK ? 'subscribe' : 'draws'}?utm_campaign=${slug}`
      },
      { campaign }
    )
    wait(5, 40)
  }

  /** Product Added (once or twice) and Cart Viewed; returns the cart. */
  function* fillCart(product: JlpProduct, draw: Draw | undefined, source: PlatformSource, campaign?: Campaign) {
    const cart_id = `CART-${tag}-${n}-${orders + 1}`
    const ref = draw ? { draw_id: draw.draw_id, draw_no: draw.draw_no } : {}
    let quantity = 0
    for (let adds = product.lines ? 1 : rng.int(1, 2); adds > 0; adds--) {
      const q = product.lines ? 1 : rng.int(1, product.ticketsPerUnit > 1 ? 2 : 3)
      quantity += q
      yield track('Product Added', productAdded(product, q, { platform_source: source, cart_id, ...ref }), { campaign })
      wait(5, 90)
    }
    const products = [productLine(product, quantity, ref)]
    yield track('Cart Viewed', {
      cart_id,
      products,
      value: totalOf(products),
      currency: CURRENCY,
      platform_source: source
    })
    wait(10, 120)
    return { cart_id, quantity }
  }

  function* buyTickets(campaign?: Campaign): Generator<JlpEvent> {
    const raffle = rng.chance(0.3)
    const product = raffle ? PRODUCTS.raffleBook : PRODUCTS.weeklyLine
    const source = platform()
    const drawAt = (at: number) => (raffle ? calendar.raffleAfter(at) : calendar.weeklyDrawAfter(at))
    const { cart_id, quantity } = yield* fillCart(product, drawAt(t), source, campaign)
    // The draw is fixed when the order is placed: a purchase for an existing draw reuses its id and name.
    const draw = drawAt(t)
    const count = quantity * product.ticketsPerUnit
    const numbers = Array.from({ length: count }, () =>
      raffle ? `R${String(rng.int(1, 999_999)).padStart(6, '0')}` : String(rng.int(0, 999_999)).padStart(6, '0')
    )
    const donation = rng.chance(0.2) ? rng.pick([2, 5, 10, 20]) : undefined
    const order_id = `ORD-${tag}-${n}-${++orders}`
    const properties = ticketPurchase({
      order_id,
      cart_id,
      draw,
      product,
      quantity,
      numbers,
      donation,
      platform_source: source
    })
    yield track('Purchase Completed', properties, { campaign })
    wait(1, 20)
    yield track('Ticket Purchase Completed', properties)
  }

  function* subscribe(): Generator<JlpEvent> {
    const winBack = everSubscribed
    if (winBack) yield* emailClick(WIN_BACK)
    const product = rng.chance(0.6) ? PRODUCTS.monthlyOneLine : PRODUCTS.monthlyTwoLines
    const source = platform()
    const { cart_id } = yield* fillCart(product, undefined, source, winBack ? WIN_BACK : undefined)
    const order_id = `ORD-${tag}-${n}-${++orders}`
    const order = subscriptionOrder(order_id, product, source, cart_id)
    yield track('Purchase Completed', order)
    wait(1, 20)
    yield track('Order Completed', order)
    wait(1, 10)
    const id = `SUB-${tag}-${n}-${++subscriptions}`
    const dueAt = t + rng.int(1, 10) * TIME.MINUTE
    yield track('Recurring Payment Created', {
      subscription_id: id,
      order_id,
      plan: product.name,
      frequency: 'monthly',
      amount: product.price,
      currency: CURRENCY,
      lines: product.lines,
      payment_method: rng.pick<PaymentMethod>(['direct_debit', 'card', 'paypal']),
      start_date: new Date(t).toISOString(),
      next_payment_at: new Date(dueAt).toISOString()
    })
    const failProbability = persona === 'churner' ? 0.4 : 0.1
    subscription = { id, product, payment: 1, attempt: 1, dueAt, failProbability }
    everSubscribed = true
  }

  function* cancel(by: 'supporter' | 'payment_failure', reason: string): Generator<JlpEvent> {
    if (!subscription) return
    const { id, product } = subscription
    subscription = undefined
    yield track('Subscription Cancelled', {
      subscription_id: id,
      reason,
      cancelled_at: new Date(t).toISOString(),
      cancelled_by: by,
      plan: product.name,
      ...(by === 'supporter' ? { platform_source: platform() } : {})
    })
  }

  function* collect(sub: Subscription): Generator<JlpEvent> {
    const payment = {
      subscription_id: sub.id,
      payment_id: `PAY-${tag}-${n}-${subscriptions}-${sub.payment}`,
      plan: sub.product.name,
      frequency: 'monthly' as const,
      amount: sub.product.price,
      currency: CURRENCY,
      attempt_number: sub.attempt
    }
    yield track('Recurring Payment Attempted', payment)
    wait(2, 15)
    // Starters' first collection is scripted: the churner's fails once, the subscriber's is paid.
    const scripted = starter && sub.payment === 1 && sub.attempt === 1
    const paid = scripted ? persona !== 'churner' : !rng.chance(sub.failProbability)
    if (paid) {
      const next = addMonth(t)
      yield track('Recurring Payment Succeeded', { ...payment, next_payment_at: new Date(next).toISOString() })
      Object.assign(sub, { payment: sub.payment + 1, attempt: 1, dueAt: next })
      return
    }
    const [failure_reason, failure_code] = rng.pick(FAILURES)
    const final = sub.attempt >= MAX_ATTEMPTS
    const retryAt = t + 3 * TIME.DAY
    yield track('Recurring Payment Failed', {
      ...payment,
      failure_reason,
      failure_code,
      ...(final ? {} : { next_attempt_at: new Date(retryAt).toISOString() }),
      final_attempt: final
    })
    if (final) {
      wait(60, 3600)
      yield* cancel('payment_failure', `Payment failed ${MAX_ATTEMPTS} times`)
    } else Object.assign(sub, { attempt: sub.attempt + 1, dueAt: retryAt })
  }

  function* session(kind: Session): Generator<JlpEvent> {
    switch (kind) {
      case 'buy':
        return yield* buyTickets()
      case 'abandon':
        yield* fillCart(PRODUCTS.weeklyLine, calendar.weeklyDrawAfter(t), platform())
        return
      case 'email': {
        const campaign = rng.pick(CAMPAIGNS)
        yield* emailClick(campaign)
        if (rng.chance(0.5)) yield* buyTickets(campaign)
        return
      }
      case 'subscribe':
        return yield* subscribe()
      case 'cancel':
        return yield* cancel('supporter', rng.pick(CANCEL_REASONS))
      case 'update': {
        profile.email_opt_in = !profile.email_opt_in
        profile.sms_opt_in = rng.chance(0.5)
        yield makeIdentify(who, { ...profile }, meta())
      }
    }
  }

  function nextSession(): Session {
    const forced = planned.shift()
    if (forced) return forced
    const weights = { ...WEIGHTS[persona] }
    if (subscription) weights.subscribe = 0
    else weights.cancel = 0
    return rng.weighted(weights)
  }

  for (;;) {
    if (subscription && subscription.dueAt <= nextSessionAt) {
      t = Math.max(t + TIME.SECOND, subscription.dueAt)
      yield* collect(subscription)
      continue
    }
    t = Math.max(t + TIME.SECOND, nextSessionAt)
    yield* session(nextSession())
    nextSessionAt = t + (starter && planned.length > 0 ? rng.int(4, 20) : rng.int(6, 120)) * TIME.HOUR
  }
}

/** The same day and time next month (clamped to the month's last day). */
function addMonth(at: number): number {
  const d = new Date(at)
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).getUTCDate()
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds()
  )
}
