// One named sample: a complete track call whose messageId is derived from its event and name.
import { makeTrack, type Actor, type CallMeta } from '../build'
import { uuidFrom } from '../prng'
import type { EventName, EventProperties, SegmentTrackEvent } from '../types'

export function sample<E extends EventName>(
  event: E,
  label: string,
  who: Actor,
  timestamp: string,
  properties: EventProperties[E],
  extra: Partial<CallMeta> = {}
): SegmentTrackEvent<E> {
  return makeTrack(event, who, properties, { messageId: uuidFrom(`sample:${event}:${label}`), timestamp, ...extra })
}
