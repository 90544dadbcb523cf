// Identify samples: one per sample supporter, sent when they registered (with the device's anonymousId).
import { makeIdentify } from '../build'
import { uuidFrom } from '../prng'
import type { SegmentIdentifyEvent } from '../types'
import { people, type SampleSupporter } from './people'

function identify(name: string, who: SampleSupporter): SegmentIdentifyEvent {
  const timestamp = who.profile.createdAt ?? '2026-06-01T00:00:00.000Z'
  return makeIdentify(who, who.profile, { messageId: uuidFrom(`sample:identify:${name}`), timestamp })
}

export const identifySamples = {
  siobhan: identify('siobhan', people.siobhan),
  tom: identify('tom', people.tom),
  priya: identify('priya', people.priya),
  gareth: identify('gareth', people.gareth),
  aisha: identify('aisha', people.aisha)
}
