// The Destination Function adapter: Function handlers → the runner core (runEvent / runBatch) with the presets
// chosen in the Function settings → Function errors and onBatch statuses. It knows no vendor: only a destination
// definition, its presets and its settings.
import type { DestinationDefinition, SegmentEvent } from '@segment/actions-core'
import { describeError, runBatch, runEvent, type BatchItemRun } from '@jlp/runner/src/run'
import { matchingPresets, presetSubscriptions, type PresetSubscription } from '@jlp/runner/src/presets'
import { batchStatus, failureOf, type BatchStatus, type FunctionErrorClasses, type FunctionErrorName } from './errors'
import { resolveSettings } from './settings'
import type { ActionOutcome } from '@jlp/destinations'
import type { JSONObject } from '@segment/actions-core'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

/** The runtime's best-effort cache (`cache` global of Segment Functions). */
export interface FunctionCache {
  load<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>
  delete(key: string): void
}

/** What the adapter takes from the Functions runtime. */
export interface FunctionRuntime {
  errors: FunctionErrorClasses
}

export type FunctionSettingValues = Record<string, unknown>
type Handler = (event: unknown, settings: FunctionSettingValues) => Promise<HandledEvent>

/** What a single-event handler returns (shown in Segment's Function tester): what each preset did. */
export interface HandledEvent {
  presets: Array<{ preset: string; action: string; outcome?: ActionOutcome }>
}

export interface FunctionHandlers {
  onTrack: Handler
  onIdentify: Handler
  onPage: Handler
  onScreen: Handler
  onGroup: Handler
  onAlias: Handler
  onDelete: Handler
  onBatch(events: unknown[], settings: FunctionSettingValues): Promise<BatchStatus[]>
}

export const HANDLER_NAMES = [
  'onTrack',
  'onIdentify',
  'onPage',
  'onScreen',
  'onGroup',
  'onAlias',
  'onDelete',
  'onBatch'
] as const satisfies ReadonlyArray<keyof FunctionHandlers>

/**
 * Segment stops an invocation after 5 s (and retries it as a timeout). A handler gives up first, with a RetryError
 * that says so: actions-core's own per-request timeout is 10 s (3.170.0 reads DEFAULT_REQUEST_TIMEOUT but never
 * applies it). Writes still in flight may land; the redelivery finds them, as every write is idempotent.
 */
export const INVOCATION_BUDGET_MS = 4500

function withinBudget<T>(work: Promise<T>, late: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), INVOCATION_BUDGET_MS)
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

const isEvent = (e: unknown): e is SegmentEvent =>
  typeof e === 'object' && e !== null && !Array.isArray(e) && typeof (e as { type?: unknown }).type === 'string'

const eventLabel = (e: SegmentEvent) => (e.type === 'track' ? `track "${e.event ?? ''}"` : e.type)

export function createHandlers(def: AnyDestination, runtime: FunctionRuntime): FunctionHandlers {
  const fail = (name: FunctionErrorName, message: string) => new runtime.errors[name](message)

  const prepare = (
    values: FunctionSettingValues | undefined
  ): { settings: JSONObject; presets: PresetSubscription[] } => {
    try {
      const { settings, presetNames } = resolveSettings(def, values)
      return { settings, presets: presetSubscriptions(def, presetNames) }
    } catch (err) {
      throw fail('ValidationError', describeError(err).message)
    }
  }

  const late = () =>
    fail('RetryError', `${def.name} did not finish within ${INVOCATION_BUDGET_MS / 1000} s; Segment will retry.`)

  const handleEvent: Handler = async (event, values) => {
    if (!isEvent(event)) throw fail('InvalidEventPayload', 'The event is not a Segment event object with a type.')
    const { settings, presets } = prepare(values)
    const matching = matchingPresets(presets, event)
    if (matching.length === 0) {
      throw fail('EventNotSupported', `No chosen preset of ${def.name} handles ${eventLabel(event)}.`)
    }
    const runs = await runEvent(def, event, settings, matching)
    const failure = failureOf(runs)
    if (failure) throw fail(failure.error, failure.message)
    return { presets: runs.map((r) => ({ preset: r.preset, action: r.action, outcome: r.outcome })) }
  }

  const handle: Handler = (event, values) => withinBudget(handleEvent(event, values), late)

  const handleBatch = async (events: unknown[], values: FunctionSettingValues): Promise<BatchStatus[]> => {
    if (!Array.isArray(events)) throw fail('InvalidEventPayload', 'onBatch takes a list of Segment events.')
    const { settings, presets } = prepare(values)
    const valid = events.flatMap((e, index) => (isEvent(e) ? [{ e, index }] : []))
    const runs = await runBatch(
      def,
      valid.map((v) => v.e),
      settings,
      presets
    )
    const byEvent = new Map<number, BatchItemRun[]>()
    for (const run of runs) {
      const index = valid[run.index].index
      byEvent.set(index, [...(byEvent.get(index) ?? []), run])
    }
    return events.map((event, index): BatchStatus => {
      if (!isEvent(event)) {
        return { status: 400, errormessage: 'InvalidEventPayload: not a Segment event object with a type.' }
      }
      const eventRuns = byEvent.get(index)
      if (!eventRuns) {
        return { status: 400, errormessage: `EventNotSupported: no chosen preset handles ${eventLabel(event)}.` }
      }
      return batchStatus(failureOf(eventRuns))
    })
  }

  const onBatch = (events: unknown[], values: FunctionSettingValues) => withinBudget(handleBatch(events, values), late)

  return {
    onTrack: handle,
    onIdentify: handle,
    onPage: handle,
    onScreen: handle,
    onGroup: handle,
    onAlias: handle,
    onDelete: handle,
    onBatch
  }
}
