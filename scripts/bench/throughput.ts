// Throughput and overhead through Destination.onEvent: the same generated events, serially, ours and the official
// destination's nearest equivalent, each side on a fresh org after a warm-up. Sides alternate A B B A over two halves
// of the events so that a machine getting busier or quieter does not favour one of them.
import type { SegmentEvent } from '@segment/actions-core'
import { matchingPresets, type PresetSubscription } from '@jlp/runner'
import { generateEvents } from '@jlp/tracking-plan'
import { summarize, type Sample } from './measure'
import { deliver, type BenchOrg, type Side } from './sides'
import { fmt, ratio, type Table } from './table'

export interface Workload {
  label: string
  preset: string
}

export const WORKLOADS: Workload[] = [
  { label: 'Registration → Lead', preset: 'New registration becomes a Lead' },
  { label: 'Purchase → supporter value', preset: 'Purchase adds to the supporter’s total spend' },
  {
    label: 'Ticket purchase → Campaign, Contact, Opportunities, member',
    preset: 'Ticket purchase syncs the draw Campaign, buyer and an Opportunity per ticket'
  }
]

/** The first `count` generated events each preset takes (the stream grows until every preset has enough). */
export function eventsFor(presets: PresetSubscription[], count: number, seed: number): Map<string, SegmentEvent[]> {
  for (let size = 1000; ; size *= 2) {
    const stream = generateEvents({ seed, count: size }) as unknown as SegmentEvent[]
    const picked = new Map(
      presets.map((p) => [p.name, stream.filter((e) => matchingPresets([p], e).length > 0).slice(0, count)])
    )
    if ([...picked.values()].every((list) => list.length >= count) || size >= 128_000) return picked
  }
}

export interface SideRun {
  samples: Sample[]
  calls: number
  failures: string[]
}

async function run(
  org: BenchOrg,
  side: Side,
  preset: PresetSubscription,
  warmup: SegmentEvent[],
  events: SegmentEvent[]
) {
  org.sandbox.reset()
  for (const e of warmup) await deliver(side.destination, side.calls(e, [preset]))
  const out: SideRun = { samples: [], calls: 0, failures: [] }
  const before = org.sandbox.audit.cost('salesforce')
  for (const e of events) {
    const d = await deliver(side.destination, side.calls(e, [preset]))
    out.samples.push({ ms: d.ms, cpuUs: d.cpuUs })
    out.failures.push(...d.failures)
  }
  out.calls = org.sandbox.audit.cost('salesforce') - before
  return out
}

export interface WorkloadResult {
  workload: Workload
  ours: SideRun
  official: SideRun
}

export async function runWorkloads(
  org: BenchOrg,
  ours: Side,
  official: Side,
  presets: PresetSubscription[],
  options: { events: number; warmup: number; seed: number }
): Promise<WorkloadResult[]> {
  const chosen = WORKLOADS.map((w) => ({ w, preset: presets.find((p) => p.name === w.preset)! }))
  const streams = eventsFor(
    chosen.map((c) => c.preset),
    options.events + options.warmup,
    options.seed
  )
  const results: WorkloadResult[] = []
  for (const { w, preset } of chosen) {
    const all = streams.get(preset.name)!
    const warmup = all.slice(0, options.warmup)
    const measured = all.slice(options.warmup)
    const half = Math.ceil(measured.length / 2)
    const merged = { ours: [] as SideRun[], official: [] as SideRun[] }
    const rounds: Array<[SegmentEvent[], Array<['ours' | 'official', Side]>]> = [
      [
        measured.slice(0, half),
        [
          ['ours', ours],
          ['official', official]
        ]
      ],
      [
        measured.slice(half),
        [
          ['official', official],
          ['ours', ours]
        ]
      ]
    ]
    for (const [events, order] of rounds) {
      for (const [key, side] of order) merged[key].push(await run(org, side, preset, warmup, events))
    }
    const join = (runs: SideRun[]): SideRun => ({
      samples: runs.flatMap((r) => r.samples),
      calls: runs.reduce((n, r) => n + r.calls, 0),
      failures: runs.flatMap((r) => r.failures)
    })
    results.push({ workload: w, ours: join(merged.ours), official: join(merged.official) })
  }
  return results
}

export function throughputTable(results: WorkloadResult[]): Table {
  const row = (label: string, a: SideRun, b: SideRun) => {
    const x = summarize(a.samples)
    const y = summarize(b.samples)
    const failures = [
      ...(a.failures.length ? [`JLP ${a.failures.length} failed: ${a.failures[0]}`] : []),
      ...(b.failures.length ? [`official ${b.failures.length} failed: ${b.failures[0]}`] : [])
    ]
    return [
      label,
      x.events,
      fmt(x.eventsPerSecond, 0),
      fmt(y.eventsPerSecond, 0),
      ratio(x.eventsPerSecond, y.eventsPerSecond),
      fmt(x.cpuMsPerEvent, 2),
      fmt(y.cpuMsPerEvent, 2),
      ratio(x.cpuMsPerEvent, y.cpuMsPerEvent, false),
      `${fmt(x.p50, 1)} / ${fmt(x.p95, 1)}`,
      `${fmt(y.p50, 1)} / ${fmt(y.p95, 1)}`,
      fmt(a.calls / Math.max(1, x.events), 2),
      fmt(b.calls / Math.max(1, y.events), 2),
      failures.join('; ')
    ]
  }
  const rows = results.map((r) => row(r.workload.label, r.ours, r.official))
  const all = (key: 'ours' | 'official'): SideRun => ({
    samples: results.flatMap((r) => r[key].samples),
    calls: results.reduce((n, r) => n + r[key].calls, 0),
    failures: results.flatMap((r) => r[key].failures)
  })
  rows.push(row('All three', all('ours'), all('official')))
  return {
    title: 'Throughput and overhead through Destination.onEvent',
    note:
      'The same generated events serially through each side on a fresh org after a warm-up, over HTTPS on loopback, ' +
      'sides alternating A B B A; time and CPU (process user + system, so the in-process sandbox’s own work for ' +
      'each call is included) only inside onEvent; ratios are ours over official (higher is better for us).',
    headers: [
      'Workload',
      'Events',
      'JLP events/s',
      'Official events/s',
      'Throughput ratio',
      'JLP CPU ms/event',
      'Official CPU ms/event',
      'CPU ratio',
      'JLP median / p95 ms',
      'Official median / p95 ms',
      'JLP calls/event',
      'Official calls/event',
      'Notes'
    ],
    rows
  }
}
