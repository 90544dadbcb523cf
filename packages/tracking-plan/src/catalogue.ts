// The JLP event catalogue: every event with its kind, a plain-words description, its schema and samples.
import { samplesByEvent } from './samples'
import { propertiesSchemas } from './schemas'
import { kindOf } from './build'
import { BEHAVIOURAL_EVENTS, SERVER_EVENTS, type EventDefinition, type EventName } from './types'

const descriptions: Record<EventName, string> = {
  'Product Added':
    'A supporter put something in their basket: lottery lines, a raffle ticket book or a subscription. ' +
    'Shows interest even when they do not buy.',
  'Cart Viewed': 'A supporter looked at their basket. A viewed basket with no purchase after it is an abandoned cart.',
  'Purchase Completed':
    "The supporter's browser or app confirmed a checkout. The same order is also reported by the server " +
    '(Ticket Purchase Completed or Order Completed), with the same order_id.',
  'Registration Started':
    'Someone filled in the sign-up form. They are not a supporter yet: the identify call that follows ' +
    'gives them a supporter id.',
  'Email Link Clicked': 'A supporter clicked a link in one of our marketing emails.',
  'Subscription Cancelled':
    'A recurring lottery subscription ended, because the supporter stopped it, because payments kept ' +
    'failing, or because the care team closed it.',
  'Recurring Payment Created':
    'A supporter started a recurring subscription (for example, 2 lines every week, paid monthly).',
  'Recurring Payment Attempted':
    'We tried to collect a subscription payment. attempt_number is 1 the first time and goes up with each retry.',
  'Recurring Payment Succeeded': 'A subscription payment was collected.',
  'Recurring Payment Failed':
    'A subscription payment could not be collected. failure_reason says why; next_attempt_at says when we ' +
    'will retry; final_attempt is true when we will not.',
  'Order Completed':
    'The server recorded a completed order: a subscription sign-up, or a purchase of tickets and donations.',
  'Ticket Purchase Completed':
    'A supporter bought tickets for one draw or raffle. Lists every ticket, the draw (its id stays the same ' +
    'even if its name changes) and any donation made at the same time.'
}

function definition<E extends EventName>(name: E): EventDefinition<E> {
  return {
    name,
    kind: kindOf(name),
    description: descriptions[name],
    schema: propertiesSchemas[name],
    samples: Object.values(samplesByEvent[name]) as EventDefinition<E>['samples']
  }
}

export const EVENT_NAMES: readonly EventName[] = [...BEHAVIOURAL_EVENTS, ...SERVER_EVENTS]

/** Every event of the tracking plan, behavioural first. */
export const catalogue: EventDefinition[] = EVENT_NAMES.map((name) => definition(name))

export function getEventDefinition(name: string): EventDefinition | undefined {
  return catalogue.find((d) => d.name === name)
}

export const isEventName = (name: unknown): name is EventName => EVENT_NAMES.includes(name as EventName)
