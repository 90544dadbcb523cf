// Run one event, or a batch, through a destination's presets and say per preset what happened.
// Each preset runs on its own so one failing action does not hide what the others did.
import { Destination, type DestinationDefinition, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import type { ActionOutcome } from '@jlp/destinations'
import { matchingPresets, type PresetSubscription } from './presets'

export interface RunError {
  name: string
  message: string
  status?: number
  code?: string
  retryable: boolean
}

export interface PresetRun {
  preset: string
  action: string
  ok: boolean
  outcome?: ActionOutcome
  error?: RunError
}

/** Errors Segment would retry: RetryableError, 5xx, 429 and timeouts. */
export function describeError(err: unknown): RunError {
  const e = err as { name?: string; message?: string; status?: number; code?: string; response?: { status?: number } }
  const status = e?.status ?? e?.response?.status
  const name = e?.name ?? 'Error'
  const retryable =
    name === 'RetryableError' ||
    (typeof status === 'number' && (status >= 500 || status === 429 || status === 408)) ||
    /timeout|ETIMEDOUT|ECONNRESET|socket hang up/i.test(`${e?.code ?? ''} ${e?.message ?? ''}`)
  return { name, message: e?.message ?? String(err), status, code: e?.code, retryable }
}

function executedOutcome(results: unknown[]): ActionOutcome | undefined {
  const executed = results.find((r) => (r as { output?: string })?.output === 'Action Executed') as
    { data?: ActionOutcome } | undefined
  return executed?.data
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const destinationCache = new WeakMap<DestinationDefinition<any>, Destination>()
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function destinationFor(def: DestinationDefinition<any>): Destination {
  let d = destinationCache.get(def)
  if (!d) {
    d = new Destination(def)
    destinationCache.set(def, d)
  }
  return d
}

// actions-core keeps every HTTP response on the Destination (for upstream's serve); a long replay through the
// cached Destination would hold them all, so each run forgets them once it is done.
const forgetResponses = (destination: Destination) => {
  ;(destination.responses as unknown[]).length = 0
}

export async function runEvent(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: DestinationDefinition<any>,
  event: SegmentEvent,
  settings: JSONObject,
  presets: readonly PresetSubscription[]
): Promise<PresetRun[]> {
  const destination = destinationFor(def)
  const runs: PresetRun[] = []
  for (const preset of matchingPresets(presets, event)) {
    try {
      const results = await destination.onEvent(event, { ...settings, subscription: preset as unknown as JSONObject })
      runs.push({ preset: preset.name, action: preset.partnerAction, ok: true, outcome: executedOutcome(results) })
    } catch (err) {
      runs.push({ preset: preset.name, action: preset.partnerAction, ok: false, error: describeError(err) })
    }
    forgetResponses(destination)
  }
  return runs
}

export interface BatchItemRun {
  preset: string
  action: string
  /** Index of the event in the batch given to runBatch. */
  index: number
  status: number
  ok: boolean
  body?: unknown
  error?: RunError
}

/**
 * Run a batch: for each preset, its matching events go through the action's performBatch in one call
 * (mapping gets `enable_batching: true`); each event gets its own status from the MultiStatusResponse.
 */
export async function runBatch(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: DestinationDefinition<any>,
  events: readonly SegmentEvent[],
  settings: JSONObject,
  presets: readonly PresetSubscription[]
): Promise<BatchItemRun[]> {
  const destination = destinationFor(def)
  const runs: BatchItemRun[] = []
  for (const preset of presets) {
    const indices = events.flatMap((e, i) => (matchingPresets([preset], e).length > 0 ? [i] : []))
    if (indices.length === 0) continue
    const batchable = Boolean(def.actions[preset.partnerAction]?.performBatch)
    if (!batchable) {
      for (const i of indices) {
        const [run] = await runEvent(def, events[i], settings, [preset])
        runs.push({
          preset: preset.name,
          action: preset.partnerAction,
          index: i,
          status: run.ok ? 200 : (run.error?.status ?? (run.error?.retryable ? 500 : 400)),
          ok: run.ok,
          body: run.outcome,
          error: run.error
        })
      }
      continue
    }
    const subscription = { ...preset, mapping: { ...preset.mapping, enable_batching: true } }
    try {
      const results = await destination.onBatch(
        indices.map((i) => events[i]),
        { ...settings, subscription: subscription as unknown as JSONObject }
      )
      const multistatus = (results[0] as { multistatus?: Array<Record<string, unknown>> })?.multistatus ?? []
      indices.forEach((eventIndex, k) => {
        const node = multistatus[k] ?? { status: 500, errormessage: 'no result for this event' }
        const status = Number(node.status ?? 500)
        const ok = status >= 200 && status < 300
        runs.push({
          preset: preset.name,
          action: preset.partnerAction,
          index: eventIndex,
          status,
          ok,
          body: node.body,
          error: ok
            ? undefined
            : {
                name: String(node.errortype ?? 'Error'),
                message: String(node.errormessage ?? 'failed'),
                status,
                retryable: status >= 500 || status === 429
              }
        })
      })
    } catch (err) {
      const error = describeError(err)
      for (const i of indices) {
        runs.push({
          preset: preset.name,
          action: preset.partnerAction,
          index: i,
          status: error.status ?? 500,
          ok: false,
          error
        })
      }
    }
    forgetResponses(destination)
  }
  return runs.sort((a, b) => a.index - b.index)
}
