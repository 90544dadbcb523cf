// Both sides on one in-memory org: our destination's presets and the official Salesforce (Actions) destination's
// nearest equivalents, each turned into the same `Destination.onEvent` / `onBatch` calls and timed and counted the
// same way. Both reach the sandbox over HTTPS as https://jlp-sandbox.my.salesforce.com (the official destination
// accepts nothing else), so neither gets a cheaper transport.
import Salesforce from '@segment/action-destinations/dist/destinations/salesforce'
import { Destination, type DestinationDefinition, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { jlpSalesforce } from '@jlp/destinations'
import {
  SANDBOX_PARTS,
  describeError,
  destinationFor,
  fillPreset,
  matchingPresets,
  presetSubscriptions,
  type PresetSubscription
} from '@jlp/runner'
import { routeHostsToSandbox, startSandbox, type HostRouting, type Sandbox } from '@jlp/sandbox'
import { timed } from './measure'
import { OFFICIAL_BATCH_SIZE, officialEquivalent, officialMapping, type OrgIds } from './official'

export interface BenchOrg {
  sandbox: Sandbox
  routing: HostRouting
  /** Ids the official destination's mappings cannot find themselves (no API call). */
  ids: OrgIds
  /** Values for preset fields a CSM fills in (the care-team owner). */
  fills(): JSONObject
  ours: JSONObject
  official: JSONObject
  close(): Promise<void>
}

export async function openBenchOrg(seed: number): Promise<BenchOrg> {
  const sandbox = await startSandbox({ https: true, seed })
  const routing = routeHostsToSandbox(sandbox.httpsPort!)
  const part = SANDBOX_PARTS['jlp-salesforce']
  const { salesforce } = sandbox
  return {
    sandbox,
    routing,
    ids: {
      id: (object, field, value) =>
        value === undefined
          ? undefined
          : (sandbox.records.salesforce(object).find((r) => r[field] === value)?.Id as string | undefined)
    },
    fills: () => part.fills?.(sandbox) ?? {},
    // Self-managed client credentials and the supporter-id fields, as npm start uses them; only the URL differs.
    ours: { ...part.settings(sandbox), instanceUrl: routing.instanceUrl },
    // Connected through Segment: an access token Segment would hold, and what it needs to refresh one.
    official: {
      instanceUrl: routing.instanceUrl,
      oauth: {
        access_token: salesforce.accessToken(),
        refresh_token: salesforce.refreshToken,
        clientId: salesforce.clientId,
        clientSecret: salesforce.clientSecret
      }
    },
    close: async () => {
      routing.restore()
      await sandbox.stop()
    }
  }
}

/** One onEvent (one event) or onBatch (several) call. */
export interface Call {
  events: SegmentEvent | SegmentEvent[]
  settings: JSONObject
}

export interface Side {
  name: string
  destination: Destination
  /** The calls one event makes, lazily: a step may need what the previous one wrote. */
  calls(event: SegmentEvent, presets: readonly PresetSubscription[]): Iterable<Call>
  /** The calls a batch of events makes for one preset (those of its events that match it). */
  batchCalls(preset: PresetSubscription, events: readonly SegmentEvent[]): Iterable<Call>
}

export interface Delivery {
  ms: number
  cpuUs: number
  /** Events (or batch items) that failed, with why. */
  failures: string[]
}

/** Settings with the one subscription an onEvent / onBatch call runs. */
const subscribed = (settings: JSONObject, subscription: object): JSONObject => ({
  ...settings,
  subscription: subscription as unknown as JSONObject
})

/** Our presets with the values the sandbox fills in (the follow-up Task's owner). */
export function ourPresets(org: BenchOrg, names?: readonly string[]): PresetSubscription[] {
  return presetSubscriptions(jlpSalesforce, names).map((p) => fillPreset(jlpSalesforce, p, org.fills()).preset)
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const batchable = (def: DestinationDefinition<any>, action: string) => Boolean(def.actions[action]?.performBatch)
const matching = (preset: PresetSubscription, events: readonly SegmentEvent[]) =>
  events.filter((e) => matchingPresets([preset], e).length > 0)

export function ourSide(org: BenchOrg): Side {
  return {
    name: 'JLP Salesforce',
    destination: destinationFor(jlpSalesforce),
    *calls(event, presets) {
      for (const p of matchingPresets(presets, event)) yield { events: event, settings: subscribed(org.ours, p) }
    },
    // As Segment batches: up to the mapping's batch_size per onBatch; actions without performBatch one by one.
    *batchCalls(preset, events) {
      const mine = matching(preset, events)
      if (!batchable(jlpSalesforce, preset.partnerAction)) {
        for (const e of mine) yield { events: e, settings: subscribed(org.ours, preset) }
        return
      }
      const mapping = { ...preset.mapping, enable_batching: true }
      const size = Number(preset.mapping.batch_size ?? 200)
      for (const chunk of chunks(mine, size)) {
        yield { events: chunk, settings: subscribed(org.ours, { ...preset, mapping }) }
      }
    }
  }
}

export function officialSide(org: BenchOrg): Side {
  return {
    name: 'Salesforce (Actions)',
    destination: new Destination(Salesforce as unknown as DestinationDefinition<JSONObject>),
    *calls(event, presets) {
      for (const p of matchingPresets(presets, event)) {
        const eq = officialEquivalent(p, org.fills())
        if ('none' in eq) continue
        for (const step of eq.steps) {
          const sub = { partnerAction: step.action, subscribe: p.subscribe, mapping: officialMapping(step) }
          for (const e of step.expand?.(event, org.ids) ?? [event]) {
            yield { events: e, settings: subscribed(org.official, sub) }
          }
        }
      }
    },
    // Bulk API 2.0: one job per step and up to 5,000 events.
    *batchCalls(preset, events) {
      const eq = officialEquivalent(preset, org.fills())
      if ('none' in eq) return
      const mine = matching(preset, events)
      for (const step of eq.steps) {
        const sub = { partnerAction: step.action, subscribe: preset.subscribe, mapping: officialMapping(step, true) }
        const expanded = mine.flatMap((e) => step.expand?.(e, org.ids) ?? [e])
        for (const chunk of chunks(expanded, OFFICIAL_BATCH_SIZE)) {
          yield { events: chunk, settings: subscribed(org.official, sub) }
        }
      }
    }
  }
}

/** Why a call failed: the error, and Salesforce's own error code and message when the answer has one. */
export function failureText(err: unknown): string {
  const data = (err as { response?: { data?: unknown } })?.response?.data
  const first = (Array.isArray(data) ? data[0] : data) as { errorCode?: unknown; message?: unknown } | undefined
  const message = describeError(err).message
  return typeof first?.errorCode === 'string' ? `${message} (${first.errorCode}: ${String(first.message)})` : message
}

/** The items of an onBatch answer that did not succeed. */
function batchFailures(results: unknown[]): string[] {
  const multistatus = (results[0] as { multistatus?: Array<Record<string, unknown>> } | undefined)?.multistatus ?? []
  return multistatus
    .filter((node) => Number(node.status ?? 500) >= 300)
    .map((node) => `${String(node.status)} ${String(node.errormessage ?? node.errortype ?? 'failed')}`)
}

/** A call that has not answered by then is a failure (the bench moves on; it would hang otherwise). */
export const CALL_TIMEOUT_MS = 10_000

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

/** Make the calls one after another; time only the destination's own calls (not the bench's id lookups). */
export async function deliver(destination: Destination, calls: Iterable<Call>): Promise<Delivery> {
  const out: Delivery = { ms: 0, cpuUs: 0, failures: [] }
  for (const call of calls) {
    const batch = Array.isArray(call.events)
    const result = await timed(() =>
      withTimeout(
        Array.isArray(call.events)
          ? destination.onBatch(call.events, call.settings)
          : destination.onEvent(call.events, call.settings),
        CALL_TIMEOUT_MS
      )
    )
    out.ms += result.ms
    out.cpuUs += result.cpuUs
    if (result.error !== undefined) {
      const count = batch ? (call.events as SegmentEvent[]).length : 1
      out.failures.push(...Array<string>(count).fill(failureText(result.error)))
    } else if (batch) {
      out.failures.push(...batchFailures(result.value as unknown[]))
    }
    // actions-core keeps every response on the Destination; a long run would hold them all.
    ;(destination.responses as unknown[]).length = 0
  }
  return out
}
