// Recurring payments (server-side): a subscription is created, then each collection is attempted and
// either succeeds or fails (failed collections are retried with a higher attempt_number).
import type {
  RecurringPaymentAttemptedProperties,
  RecurringPaymentCreatedProperties,
  RecurringPaymentFailedProperties,
  RecurringPaymentSucceededProperties
} from '../types'
import { bool, dateTime, int, money, obj, oneOf, opt, str, type Fields } from './builder'
import { currency, FREQUENCIES, PAYMENT_METHODS, subscriptionId } from './common'

const plan = str('Name of the plan, e.g. Weekly Jumbo Draw – 2 lines.')
const frequency = oneOf('How often the supporter pays.', FREQUENCIES)
const amount = money('Amount collected each time, in pounds.')

const payment: Fields<RecurringPaymentAttemptedProperties> = {
  subscription_id: subscriptionId,
  payment_id: str('Id of this collection (the same across its retries).', { minLength: 1 }),
  plan: opt(plan),
  frequency: opt(frequency),
  amount,
  currency,
  attempt_number: int('1 for the first try of this collection, 2 for the first retry, and so on.', { minimum: 1 })
}

export const recurringCreatedProperties = obj<RecurringPaymentCreatedProperties>()(
  {
    subscription_id: subscriptionId,
    order_id: opt(str('The order that started the subscription.')),
    plan,
    frequency,
    amount,
    currency,
    lines: opt(int('Lottery lines (entries) bought in every draw.', { minimum: 1 })),
    payment_method: opt(oneOf('How the supporter pays.', PAYMENT_METHODS)),
    start_date: dateTime('When the subscription starts.'),
    next_payment_at: opt(dateTime('When the first collection is due.'))
  },
  { description: 'A new recurring subscription.' }
)

export const recurringAttemptedProperties = obj<RecurringPaymentAttemptedProperties>()(payment, {
  description: 'A collection being tried.'
})

export const recurringSucceededProperties = obj<RecurringPaymentSucceededProperties>()(
  { ...payment, next_payment_at: opt(dateTime('When the next collection is due.')) },
  { description: 'A collection that was paid.' }
)

export const recurringFailedProperties = obj<RecurringPaymentFailedProperties>()(
  {
    ...payment,
    failure_reason: str('Why the payment failed, in words, e.g. Insufficient funds.', { minLength: 1 }),
    failure_code: opt(str('Code from the payment provider, e.g. insufficient_funds.')),
    next_attempt_at: opt(dateTime('When it will be retried (absent when no retry is planned).')),
    final_attempt: opt(bool('True when no further retry will be made.'))
  },
  { description: 'A collection that failed.' }
)
