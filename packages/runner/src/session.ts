// Deliver a stream of events to several destinations through their presets, the way Segment would:
// every matching preset runs, retryable failures are retried a few times, and each event keeps what
// every preset did. npm start, replay and the tests all go through here.
import type { DestinationDefinition, JSONObject, SegmentEvent } from '@segment/actions-core'
import type { PresetSubscription } from './presets'
import { runBatch, runEvent, type PresetRun } from './run'

export interface Target {
  /** Registry key, e.g. "jlp-salesforce". */
  key: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: DestinationDefinition<any>
  settings: JSONObject
  presets: PresetSubscription[]
}

export interface DeliveredRun extends PresetRun {
  destination: string
  /** 1 when it worked (or failed for good) the first time. */
  attempts: number
}

export interface DeliveredEvent {
  index: number
  event: SegmentEvent
  runs: DeliveredRun[]
}

export interface DeliverOptions {
  /** How many times a retryable failure is tried again (Segment retries too). Default 2. */
  retries?: number
  /** Wait before a retry, doubled each time. Default 0 (the sandbox needs none). */
  retryDelayMs?: number
  /** More than 1: events go through performBatch in groups of this size. */
  batchSize?: number
  onProgress?: (done: number, total: number) => void
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function retried(
  target: Target,
  event: SegmentEvent,
  preset: PresetSubscription,
  first: PresetRun,
  options: DeliverOptions
): Promise<DeliveredRun> {
  let run = first
  let attempts = 1
  while (!run.ok && run.error?.retryable && attempts <= (options.retries ?? 2)) {
    if (options.retryDelayMs) await sleep(options.retryDelayMs * 2 ** (attempts - 1))
    ;[run] = await runEvent(target.def, event, target.settings, [preset])
    attempts++
  }
  return { ...run, destination: target.key, attempts }
}

async function deliverOne(target: Target, event: SegmentEvent, options: DeliverOptions): Promise<DeliveredRun[]> {
  const runs = await runEvent(target.def, event, target.settings, target.presets)
  const out: DeliveredRun[] = []
  for (const run of runs) {
    const preset = target.presets.find((p) => p.name === run.preset) as PresetSubscription
    out.push(await retried(target, event, preset, run, options))
  }
  return out
}

async function deliverBatch(
  target: Target,
  events: readonly SegmentEvent[],
  options: DeliverOptions
): Promise<DeliveredRun[][]> {
  const perEvent: DeliveredRun[][] = events.map(() => [])
  for (const item of await runBatch(target.def, events, target.settings, target.presets)) {
    const first: PresetRun = {
      preset: item.preset,
      action: item.action,
      ok: item.ok,
      outcome: item.ok ? (item.body as PresetRun['outcome']) : undefined,
      error: item.error
    }
    const preset = target.presets.find((p) => p.name === item.preset) as PresetSubscription
    perEvent[item.index].push(await retried(target, events[item.index], preset, first, options))
  }
  return perEvent
}

/** Every event through every target, in order; the result keeps each event with what each preset did. */
export async function deliver(
  events: readonly SegmentEvent[],
  targets: readonly Target[],
  options: DeliverOptions = {}
): Promise<DeliveredEvent[]> {
  const delivered: DeliveredEvent[] = events.map((event, index) => ({ index, event, runs: [] }))
  const size = Math.max(1, Math.floor(options.batchSize ?? 1))
  for (let start = 0; start < events.length; start += size) {
    const chunk = events.slice(start, start + size)
    for (const target of targets) {
      if (size === 1) {
        delivered[start].runs.push(...(await deliverOne(target, chunk[0], options)))
      } else {
        const perEvent = await deliverBatch(target, chunk, options)
        perEvent.forEach((runs, k) => delivered[start + k].runs.push(...runs))
      }
    }
    options.onProgress?.(Math.min(start + size, events.length), events.length)
  }
  return delivered
}
