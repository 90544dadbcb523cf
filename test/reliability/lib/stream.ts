// At-least-once delivery as Segment does it: every event sent one to three times, in shuffled order.
// Deterministic for a seed (the tracking plan's Rng), so a failing run can be replayed exactly.
import type { SegmentEvent } from '@segment/actions-core'
import { Rng } from '@jlp/tracking-plan'

export interface AtLeastOnceOptions {
  seed: number
  /** Each event is delivered 1..maxCopies times (default 3). */
  maxCopies?: number
  /** 'full' shuffles the whole stream (default); a number moves each delivery at most that many places. */
  shuffle?: 'full' | 'none' | number
}

export interface AtLeastOnceStream {
  /** What is delivered, in delivery order. */
  deliveries: SegmentEvent[]
  /** For each delivery, the index of its event in the input. */
  origin: number[]
  /** How many events were delivered more than once. */
  duplicated: number
}

/** Fisher–Yates over the whole array, or within a sliding window of `window` places. */
function shuffleInPlace<T>(items: T[], rng: Rng, window: number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(Math.max(0, i - window), i)
    ;[items[i], items[j]] = [items[j], items[i]]
  }
}

export function atLeastOnce(events: readonly SegmentEvent[], options: AtLeastOnceOptions): AtLeastOnceStream {
  const rng = new Rng(`at-least-once:${options.seed}`)
  const maxCopies = Math.max(1, options.maxCopies ?? 3)
  const slots: number[] = []
  let duplicated = 0
  events.forEach((_, index) => {
    const copies = rng.int(1, maxCopies)
    if (copies > 1) duplicated++
    for (let c = 0; c < copies; c++) slots.push(index)
  })
  const shuffle = options.shuffle ?? 'full'
  if (shuffle !== 'none') shuffleInPlace(slots, rng, shuffle === 'full' ? slots.length : Math.max(0, shuffle))
  return { deliveries: slots.map((i) => events[i]), origin: slots, duplicated }
}
