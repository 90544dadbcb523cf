// Every sample, by event and name: `samples.ticketPurchase.threeTickets`, or
// `getSample('Ticket Purchase Completed', 'three-tickets')`, or `getScenario('two-buyers-same-draw')`.
import type { EventName, JlpEvent, SegmentIdentifyEvent, SegmentTrackEvent } from '../types'
import {
  cartViewedSamples,
  emailLinkClickedSamples,
  productAddedSamples,
  purchaseCompletedSamples,
  registrationStartedSamples,
  subscriptionCancelledSamples
} from './behavioural'
import { identifySamples } from './identify'
import {
  orderCompletedSamples,
  recurringPaymentAttemptedSamples,
  recurringPaymentCreatedSamples,
  recurringPaymentFailedSamples,
  recurringPaymentSucceededSamples
} from './server'
import { ticketPurchaseScenarios, type TicketPurchaseScenario } from './tickets'

const { oneTicket, threeTickets, withDonation, twoBuyersSameDraw, sameBuyerTwice, drawRenamed } =
  ticketPurchaseScenarios

export const samples = {
  productAdded: productAddedSamples,
  cartViewed: cartViewedSamples,
  purchaseCompleted: purchaseCompletedSamples,
  registrationStarted: registrationStartedSamples,
  emailLinkClicked: emailLinkClickedSamples,
  subscriptionCancelled: subscriptionCancelledSamples,
  recurringPaymentCreated: recurringPaymentCreatedSamples,
  recurringPaymentAttempted: recurringPaymentAttemptedSamples,
  recurringPaymentSucceeded: recurringPaymentSucceededSamples,
  recurringPaymentFailed: recurringPaymentFailedSamples,
  orderCompleted: orderCompletedSamples,
  ticketPurchase: {
    oneTicket: oneTicket[0],
    threeTickets: threeTickets[0],
    withDonation: withDonation[0],
    twoBuyersSameDraw1: twoBuyersSameDraw[0],
    twoBuyersSameDraw2: twoBuyersSameDraw[1],
    sameBuyerTwice1: sameBuyerTwice[0],
    sameBuyerTwice2: sameBuyerTwice[1],
    drawRenamed1: drawRenamed[0],
    drawRenamed2: drawRenamed[1]
  },
  identify: identifySamples
}

export type SampleGroups = { [E in EventName]: Record<string, SegmentTrackEvent<E>> } & {
  identify: Record<string, SegmentIdentifyEvent>
}

export const samplesByEvent: SampleGroups = {
  'Product Added': samples.productAdded,
  'Cart Viewed': samples.cartViewed,
  'Purchase Completed': samples.purchaseCompleted,
  'Registration Started': samples.registrationStarted,
  'Email Link Clicked': samples.emailLinkClicked,
  'Subscription Cancelled': samples.subscriptionCancelled,
  'Recurring Payment Created': samples.recurringPaymentCreated,
  'Recurring Payment Attempted': samples.recurringPaymentAttempted,
  'Recurring Payment Succeeded': samples.recurringPaymentSucceeded,
  'Recurring Payment Failed': samples.recurringPaymentFailed,
  'Order Completed': samples.orderCompleted,
  'Ticket Purchase Completed': samples.ticketPurchase,
  identify: samples.identify
}

/** 'three-tickets' → 'threeTickets', 'two-buyers-same-draw-1' → 'twoBuyersSameDraw1' (camelCase passes through). */
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
const kebab = (name: string) => name.replace(/([A-Z0-9])/g, (c) => `-${c.toLowerCase()}`)

export function getSample<E extends EventName>(event: E, name: string): SegmentTrackEvent<E>
export function getSample(event: 'identify', name: string): SegmentIdentifyEvent
export function getSample(event: EventName | 'identify', name: string): JlpEvent {
  const group: Record<string, JlpEvent> | undefined = samplesByEvent[event]
  if (!group) throw new RangeError(`No samples for "${event}": it is not an event of the JLP tracking plan`)
  const found = group[camel(name)]
  if (!found) {
    const known = Object.keys(group).map(kebab).join(', ')
    throw new RangeError(`No "${name}" sample for ${event} (samples: ${known})`)
  }
  return found
}

/** The purchases of a Ticket Purchase Completed scenario, in order ('two-buyers-same-draw' or camelCase). */
export function getScenario(name: string): SegmentTrackEvent<'Ticket Purchase Completed'>[] {
  const scenario = ticketPurchaseScenarios[camel(name) as TicketPurchaseScenario]
  if (!scenario) {
    const known = Object.keys(ticketPurchaseScenarios).map(kebab).join(', ')
    throw new RangeError(`No ticket purchase scenario "${name}" (scenarios: ${known})`)
  }
  return scenario
}

export type NamedSample = { event: EventName | 'identify'; name: string; sample: JlpEvent }

/** Every sample with its event and kebab-case name. */
export function listSamples(): NamedSample[] {
  return Object.entries(samplesByEvent).flatMap(([event, group]) =>
    Object.entries(group as Record<string, JlpEvent>).map(([name, sample]) => ({
      event: event as NamedSample['event'],
      name: kebab(name),
      sample
    }))
  )
}

export { ticketPurchaseScenarios, type TicketPurchaseScenario }
export { people, draws, superdrawRenamed, campaigns, type SampleSupporter, type SampleDraw } from './people'
