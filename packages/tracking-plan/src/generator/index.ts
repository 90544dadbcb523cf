// A seeded stream of realistic supporter journeys, merged in time order. Deterministic: each supporter has
// its own generator seeded from (seed, index), and nothing reads the clock or Math.random.
import { hash32, Rng } from '../prng'
import type { JlpEvent } from '../types'
import { DrawCalendar, TIME } from './calendar'
import { journey } from './journey'
import { makeSupporter } from './population'

export type GenerateOptions = {
  /** Any integer; the same seed always gives the same events. */
  seed: number
  /** How many calls to return. */
  count: number
  /** How many supporters take part (default: one per 30 events, at least 4). */
  supporters?: number
  /** When the first supporter arrives (ISO string or Date; default 2026-06-01T08:00:00Z). */
  startTime?: string | Date
}

const DEFAULT_START = '2026-06-01T08:00:00.000Z'

export function generateEvents(options: GenerateOptions): JlpEvent[] {
  const { seed, count } = options
  if (!Number.isInteger(seed)) throw new RangeError(`generateEvents: seed must be an integer (got ${seed})`)
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`generateEvents: count must be a whole number ≥ 0 (got ${count})`)
  }
  const population = options.supporters ?? Math.max(4, Math.ceil(count / 30))
  if (!Number.isInteger(population) || population < 1) {
    throw new RangeError(`generateEvents: supporters must be a whole number ≥ 1 (got ${options.supporters})`)
  }
  const start = new Date(options.startTime ?? DEFAULT_START).getTime()
  if (Number.isNaN(start)) throw new RangeError(`generateEvents: startTime is not a date (got ${options.startTime})`)

  const seed32 = seed >>> 0
  const tag = seed32.toString(36).toUpperCase()
  const calendar = new DrawCalendar(seed32)
  // Supporters arrive over the first hours and days (about 45 minutes apart).
  const streams = Array.from({ length: population }, (_, index) => {
    const rng = new Rng(hash32(`${seed32}:supporter:${index}`))
    const supporter = makeSupporter(rng, seed32, index, tag)
    const arrival = start + index * 45 * TIME.MINUTE + rng.int(0, 30 * 60) * TIME.SECOND
    return journey({ seed: seed32, tag, rng, calendar, supporter, arrival })
  })

  const heap = new MinHeap()
  streams.forEach((stream, index) => heap.push({ event: stream.next().value, index }))
  const events: JlpEvent[] = []
  while (events.length < count) {
    const head = heap.pop()
    events.push(head.event)
    heap.push({ event: streams[head.index].next().value, index: head.index })
  }
  return events
}

type Head = { event: JlpEvent; index: number }

/** Earliest timestamp first; ties go to the lower supporter index, so the order is fully determined. */
const before = (a: Head, b: Head) =>
  a.event.timestamp < b.event.timestamp || (a.event.timestamp === b.event.timestamp && a.index < b.index)

class MinHeap {
  private readonly items: Head[] = []

  push(item: Head): void {
    const items = this.items
    items.push(item)
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (!before(items[i], items[parent])) break
      ;[items[i], items[parent]] = [items[parent], items[i]]
      i = parent
    }
  }

  pop(): Head {
    const items = this.items
    const top = items[0]
    const last = items.pop() as Head
    if (items.length > 0) {
      items[0] = last
      for (let i = 0; ;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < items.length && before(items[l], items[m])) m = l
        if (r < items.length && before(items[r], items[m])) m = r
        if (m === i) break
        ;[items[i], items[m]] = [items[m], items[i]]
        i = m
      }
    }
    return top
  }
}
