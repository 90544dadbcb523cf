// Samples of the server-side events: Priya's subscription is paid; Gareth's fails three times and ends.
import { subscriptionOrder } from '../orders'
import { CURRENCY, PRODUCTS } from '../products'
import { people } from './people'
import { sample } from './sample'
import { ticketPurchaseScenarios } from './tickets'

const priyaPlan = { subscription_id: 'SUB-20001', plan: PRODUCTS.monthlyTwoLines.name, frequency: 'monthly' as const }
const garethPlan = { subscription_id: 'SUB-20002', plan: PRODUCTS.monthlyOneLine.name, frequency: 'monthly' as const }
const priyaPayment = { ...priyaPlan, payment_id: 'PAY-20001-001', amount: 8.68, currency: CURRENCY }
const garethPayment = { ...garethPlan, payment_id: 'PAY-20002-002', amount: 4.34, currency: CURRENCY }

export const recurringPaymentCreatedSamples = {
  monthlyTwoLines: sample('Recurring Payment Created', 'monthly-two-lines', people.priya, '2026-06-01T18:23:12.000Z', {
    ...priyaPlan,
    order_id: 'ORD-700100',
    amount: 8.68,
    currency: CURRENCY,
    lines: 2,
    payment_method: 'direct_debit',
    start_date: '2026-06-01T18:23:12.000Z',
    next_payment_at: '2026-06-05T06:00:00.000Z'
  }),
  monthlyOneLine: sample('Recurring Payment Created', 'monthly-one-line', people.gareth, '2026-05-02T10:00:00.000Z', {
    ...garethPlan,
    amount: 4.34,
    currency: CURRENCY,
    lines: 1,
    payment_method: 'card',
    start_date: '2026-05-02T10:00:00.000Z'
  })
}

export const recurringPaymentAttemptedSamples = {
  firstAttempt: sample('Recurring Payment Attempted', 'first-attempt', people.priya, '2026-06-05T06:00:00.000Z', {
    ...priyaPayment,
    attempt_number: 1
  }),
  retry: sample('Recurring Payment Attempted', 'retry', people.gareth, '2026-07-05T06:00:00.000Z', {
    ...garethPayment,
    attempt_number: 2
  })
}

export const recurringPaymentSucceededSamples = {
  firstPayment: sample('Recurring Payment Succeeded', 'first-payment', people.priya, '2026-06-05T06:00:04.000Z', {
    ...priyaPayment,
    attempt_number: 1,
    next_payment_at: '2026-07-05T06:00:00.000Z'
  })
}

export const recurringPaymentFailedSamples = {
  insufficientFunds: sample(
    'Recurring Payment Failed',
    'insufficient-funds',
    people.gareth,
    '2026-07-02T06:00:03.000Z',
    {
      ...garethPayment,
      attempt_number: 1,
      failure_reason: 'Insufficient funds',
      failure_code: 'insufficient_funds',
      next_attempt_at: '2026-07-05T06:00:00.000Z',
      final_attempt: false
    }
  ),
  finalAttempt: sample('Recurring Payment Failed', 'final-attempt', people.gareth, '2026-07-09T06:00:02.000Z', {
    ...garethPayment,
    attempt_number: 3,
    failure_reason: 'Card expired',
    failure_code: 'expired_card',
    final_attempt: true
  })
}

export const orderCompletedSamples = {
  subscription: sample(
    'Order Completed',
    'subscription',
    people.priya,
    '2026-06-01T18:23:11.000Z',
    subscriptionOrder('ORD-700100', PRODUCTS.monthlyTwoLines, 'app', 'CART-88100')
  ),
  raffleWithDonation: sample(
    'Order Completed',
    'raffle-with-donation',
    people.siobhan,
    '2026-06-18T08:15:28.000Z',
    ticketPurchaseScenarios.withDonation[0].properties
  )
}
