// Destination Function bundles: size as built (readable, and minified), cold start (evaluating the script in the vm
// harness), the first event (sign-in included) and warm per-event time in the harness against the sandbox — next to
// the same events through the same presets in process, so the Function runtime's own cost shows.
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { destinations } from '@jlp/destinations'
import { buildFunction, loadFunction, memoryCache, resolveSettings, PRESETS_SETTING } from '@jlp/functions'
import { matchingPresets, presetNeeds, presetSubscriptions, runEvent } from '@jlp/runner'
import { SANDBOX_PARTS } from '@jlp/runner/src/sandbox-upstream'
import { generateEvents } from '@jlp/tracking-plan'
import { summarize, timed, type Sample } from './measure'
import type { BenchOrg } from './sides'
import { fmt, percentiles, ratio, type Table } from './table'

const LOOPBACK = { JLP_ALLOW_LOOPBACK: '1' }

const kB = (bytes: number) => `${fmt(bytes / 1000, 0)} kB`

/** Function setting values for a destination on the bench org: Salesforce over the routed HTTPS host. */
function functionValues(org: BenchOrg, key: string, presets: string[]): Record<string, unknown> {
  const settings = key === 'jlp-salesforce' ? org.ours : SANDBOX_PARTS[key].settings(org.sandbox)
  return { ...settings, [PRESETS_SETTING]: presets }
}

export interface BundleOptions {
  events: number
  warmup: number
  loads: number
  seed: number
}

export async function bundleTable(org: BenchOrg, options: BundleOptions): Promise<Table> {
  process.env.JLP_ALLOW_LOOPBACK = '1'
  const rows: Table['rows'] = []
  const stream = generateEvents({ seed: options.seed, count: 2000 }) as unknown as SegmentEvent[]
  for (const key of Object.keys(destinations)) {
    const def = destinations[key]
    // Presets a CSM must fill in (a follow-up Task's owner) cannot run from Function settings alone.
    const presets = presetSubscriptions(def).filter((p) => presetNeeds(def, p).length === 0)
    const values = functionValues(
      org,
      key,
      presets.map((p) => p.name)
    )
    const events = stream
      .filter((e) => matchingPresets(presets, e).length > 0)
      .slice(0, options.warmup + options.events)
    const built = await timed(() => buildFunction(key))
    const minified = await buildFunction(key, { minify: true })
    const code = built.value!.code
    const loads = Array.from({ length: options.loads }, () => loadFunction(code, { env: LOOPBACK }).loadMs)
    const minLoads = Array.from({ length: options.loads }, () => loadFunction(minified.code, { env: LOOPBACK }).loadMs)

    // In process: the same presets and settings the Function resolves, through runEvent.
    const { settings } = resolveSettings(def, values)
    org.sandbox.reset()
    const inProcess: Sample[] = []
    for (const [i, e] of events.entries()) {
      const t = await timed(() => runEvent(def, e, settings as JSONObject, presets))
      if (i >= options.warmup) inProcess.push(t)
    }

    // In the vm harness: a fresh Function (empty cache), its first event, then the rest.
    org.sandbox.reset()
    const fn = loadFunction(code, { env: LOOPBACK, cache: memoryCache(), filename: `${key}.js` })
    const handler = (e: SegmentEvent) => (e.type === 'identify' ? 'onIdentify' : 'onTrack')
    const first = await timed(() => fn.call(handler(events[0]), events[0], values))
    const inVm: Sample[] = []
    const failures: string[] = first.error ? [String((first.error as Error).message)] : []
    for (const [i, e] of events.slice(1).entries()) {
      const t = await timed(() => fn.call(handler(e), e, values))
      if (t.error) failures.push(String((t.error as Error).message))
      if (i + 1 >= options.warmup) inVm.push(t)
    }
    const vm = summarize(inVm)
    const local = summarize(inProcess)
    rows.push([
      key,
      kB(built.value!.bytes),
      kB(minified.bytes),
      `${fmt(built.ms, 0)} ms`,
      `${fmt(percentiles(loads).p50, 1)} ms`,
      `${fmt(percentiles(minLoads).p50, 1)} ms`,
      `${fmt(first.ms, 1)} ms`,
      `${fmt(vm.p50, 1)} / ${fmt(vm.p95, 1)}`,
      `${fmt(local.p50, 1)} / ${fmt(local.p95, 1)}`,
      ratio(vm.p50, local.p50),
      vm.events,
      failures.length ? `${failures.length} failed: ${failures[0]}` : ''
    ])
  }
  return {
    title: 'Destination Function bundles',
    note:
      `Built with esbuild as npm run bundle does; cold start is the median of ${options.loads} evaluations of the ` +
      'script in the vm harness (packages/functions, Segment’s documented globals only); per-event times are the ' +
      'generated events each bundle’s presets take, after a warm-up, against the sandbox, next to the same events ' +
      'and settings through runEvent in process; "vm / in process" divides the medians.',
    headers: [
      'Bundle',
      'Size',
      'Minified',
      'Build',
      'Cold start',
      'Cold start (minified)',
      'First event (sign-in)',
      'vm median / p95 ms',
      'In process median / p95 ms',
      'vm / in process',
      'Events',
      'Notes'
    ],
    rows
  }
}
