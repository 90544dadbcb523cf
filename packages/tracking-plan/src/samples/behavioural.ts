// Samples of the behavioural (client-side) events.
import { subscriptionOrder } from '../orders'
import { CURRENCY, PRODUCTS, productAdded, productLine, totalOf } from '../products'
import { campaigns, draws, people } from './people'
import { sample } from './sample'
import { ticketPurchaseScenarios } from './tickets'

const SITE = 'https://play.stlukeslottery.example'

const { weekly1234 } = draws
const tomCart = [productLine(PRODUCTS.weeklyLine, 1, { draw_id: weekly1234.draw_id, draw_no: weekly1234.draw_no })]
const aishaCart = [productLine(PRODUCTS.weeklyLine, 3, { draw_id: draws.weekly1236.draw_id, draw_no: 1236 })]

export const productAddedSamples = {
  lotteryLine: sample(
    'Product Added',
    'lottery-line',
    people.tom,
    '2026-06-08T12:01:15.000Z',
    productAdded(PRODUCTS.weeklyLine, 1, {
      platform_source: 'web',
      cart_id: 'CART-88101',
      draw_id: weekly1234.draw_id,
      draw_no: weekly1234.draw_no
    }),
    { page: { url: `${SITE}/draws/1234`, path: '/draws/1234', title: 'Weekly Jumbo Draw #1234' } }
  ),
  raffleBook: sample(
    'Product Added',
    'raffle-book',
    people.siobhan,
    '2026-06-18T08:11:02.000Z',
    productAdded(PRODUCTS.raffleBook, 1, {
      platform_source: 'mobile',
      cart_id: 'CART-88103',
      draw_id: draws.summerRaffle.draw_id
    }),
    { campaign: campaigns.summer }
  ),
  subscription: sample(
    'Product Added',
    'subscription',
    people.priya,
    '2026-06-01T18:20:44.000Z',
    productAdded(PRODUCTS.monthlyTwoLines, 1, { platform_source: 'app', cart_id: 'CART-88100' })
  )
}

export const cartViewedSamples = {
  oneLine: sample('Cart Viewed', 'one-line', people.tom, '2026-06-08T12:02:30.000Z', {
    cart_id: 'CART-88101',
    products: tomCart,
    value: totalOf(tomCart),
    currency: CURRENCY,
    platform_source: 'web'
  }),
  abandoned: sample(
    'Cart Viewed',
    'abandoned',
    people.aisha,
    '2026-06-21T22:48:09.000Z',
    {
      cart_id: 'CART-88120',
      products: aishaCart,
      value: totalOf(aishaCart),
      currency: CURRENCY,
      platform_source: 'mobile'
    },
    { campaign: campaigns.springSummer }
  )
}

export const purchaseCompletedSamples = {
  oneLine: sample(
    'Purchase Completed',
    'one-line',
    people.tom,
    '2026-06-08T12:03:38.000Z',
    ticketPurchaseScenarios.oneTicket[0].properties
  ),
  subscription: sample(
    'Purchase Completed',
    'subscription',
    people.priya,
    '2026-06-01T18:23:10.000Z',
    subscriptionOrder('ORD-700100', PRODUCTS.monthlyTwoLines, 'app', 'CART-88100')
  )
}

export const registrationStartedSamples = {
  web: sample(
    'Registration Started',
    'web',
    { ...people.aisha, userId: undefined },
    '2026-06-02T07:28:41.000Z',
    {
      email: 'aisha.bello@example.com',
      first_name: 'Aisha',
      last_name: 'Bello',
      phone: '+447700900321',
      postcode: 'M1 7JA',
      email_opt_in: true,
      sms_opt_in: true,
      signup_source: 'facebook_ad',
      platform_source: 'mobile'
    },
    {
      campaign: campaigns.springSummer,
      page: { url: `${SITE}/register`, path: '/register', title: 'Join the lottery' }
    }
  ),
  app: sample('Registration Started', 'app', { ...people.siobhan, userId: undefined }, '2026-05-28T18:40:55.000Z', {
    email: 'siobhan.obrien@example.co.uk',
    first_name: 'Siobhan',
    last_name: "O'Brien",
    email_opt_in: true,
    sms_opt_in: false,
    signup_source: 'app_onboarding',
    platform_source: 'app'
  })
}

export const emailLinkClickedSamples = {
  summerSuperdraw: sample(
    'Email Link Clicked',
    'summer-superdraw',
    people.siobhan,
    '2026-06-18T08:09:47.000Z',
    {
      email_id: 'EML-2026-06-17-SUPERDRAW',
      campaign_id: 'CMP-311',
      campaign_name: 'Summer Superdraw 2026',
      email_subject: "Siobhan, this Saturday's jackpot is £25,000",
      link_id: 'hero-button',
      link_url: `${SITE}/draws/superdraw?utm_source=newsletter&utm_medium=email`
    },
    { campaign: campaigns.summer }
  ),
  springSummerAppeal: sample('Email Link Clicked', 'spring-summer-appeal', people.gareth, '2026-06-05T12:30:00.000Z', {
    email_id: 'EML-2026-06-05-APPEAL',
    campaign_name: 'Spring\\Summer Appeal 2026',
    link_url: `${SITE}/appeal`
  }),
  winBack: sample(
    'Email Link Clicked',
    'win-back',
    people.gareth,
    '2026-07-28T10:14:21.000Z',
    {
      email_id: 'EML-2026-07-28-WINBACK',
      campaign_id: 'CMP-322',
      campaign_name: 'We miss you – win-back June 2026',
      email_subject: 'Gareth, your lucky numbers are still waiting',
      link_id: 'play-again',
      link_url: `${SITE}/subscribe?plan=jumbo-monthly-1`
    },
    { campaign: campaigns.winBack }
  )
}

export const subscriptionCancelledSamples = {
  bySupporter: sample('Subscription Cancelled', 'by-supporter', people.priya, '2026-07-14T20:02:11.000Z', {
    subscription_id: 'SUB-20001',
    reason: "Can't afford it at the moment",
    cancelled_at: '2026-07-14T20:02:11.000Z',
    cancelled_by: 'supporter',
    plan: PRODUCTS.monthlyTwoLines.name,
    platform_source: 'app'
  }),
  afterFailedPayments: sample(
    'Subscription Cancelled',
    'after-failed-payments',
    people.gareth,
    // Just after the third failed attempt (server.ts finalAttempt, 06:00:02) that caused it.
    '2026-07-09T06:00:05.000Z',
    {
      subscription_id: 'SUB-20002',
      reason: 'Payment failed 3 times',
      cancelled_at: '2026-07-09T06:00:05.000Z',
      cancelled_by: 'payment_failure',
      plan: PRODUCTS.monthlyOneLine.name
    }
  )
}
