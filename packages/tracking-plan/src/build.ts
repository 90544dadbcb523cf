// Builds complete Segment calls (ids, timestamp, context) around properties or traits. Samples and the
// generator both use it, so every event in the package has the same shape.
import {
  BEHAVIOURAL_EVENTS,
  type Campaign,
  type ContextTraits,
  type EventContext,
  type EventKind,
  type EventName,
  type EventProperties,
  type SegmentIdentifyEvent,
  type SegmentTrackEvent,
  type SupporterTraits
} from './types'

export const WEB_LIBRARY = { name: 'analytics.js', version: 'npm:next-1.72.0' }
export const SERVER_LIBRARY = { name: '@segment/analytics-node', version: '2.2.1' }

export function kindOf(event: EventName): EventKind {
  return (BEHAVIOURAL_EVENTS as readonly string[]).includes(event) ? 'behavioural' : 'server'
}

/** Who sends a call: a supporter (userId once registered) on a device. */
export type Actor = {
  userId?: string
  anonymousId?: string
  traits: ContextTraits
  device: { ip: string; userAgent: string }
}

export type CallMeta = {
  messageId: string
  timestamp: string
  campaign?: Campaign
  page?: EventContext['page']
}

function clientContext(actor: Actor, meta: CallMeta): EventContext {
  return {
    traits: actor.traits,
    ...(meta.campaign ? { campaign: meta.campaign } : {}),
    ...(meta.page ? { page: meta.page } : {}),
    ip: actor.device.ip,
    userAgent: actor.device.userAgent,
    locale: 'en-GB',
    library: WEB_LIBRARY
  }
}

/** A track call. Behavioural events come from the supporter's device, server events from JLP's backend. */
export function makeTrack<E extends EventName>(
  event: E,
  actor: Actor,
  properties: EventProperties[E],
  meta: CallMeta
): SegmentTrackEvent<E> {
  const client = kindOf(event) === 'behavioural'
  return {
    type: 'track',
    event,
    ...(actor.userId ? { userId: actor.userId } : {}),
    ...(client && actor.anonymousId ? { anonymousId: actor.anonymousId } : {}),
    messageId: meta.messageId,
    timestamp: meta.timestamp,
    properties,
    context: client ? clientContext(actor, meta) : { traits: actor.traits, library: SERVER_LIBRARY }
  } as SegmentTrackEvent<E>
}

/** An identify call from the supporter's device (it carries the anonymousId it replaces). */
export function makeIdentify(actor: Actor & { userId: string }, traits: SupporterTraits, meta: CallMeta) {
  const event: SegmentIdentifyEvent = {
    type: 'identify',
    userId: actor.userId,
    ...(actor.anonymousId ? { anonymousId: actor.anonymousId } : {}),
    messageId: meta.messageId,
    timestamp: meta.timestamp,
    traits,
    context: clientContext(actor, meta)
  }
  return event
}

/** The supporter as carried in context.traits, from their identify traits. */
export function contextTraitsOf(traits: SupporterTraits): ContextTraits {
  const { email, firstName, lastName, phone, address, supporter_id } = traits
  return compact({ email, firstName, lastName, phone, address, supporter_id })
}

/** The object without its undefined values (so events hold only what was sent). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
