// Salesforce API calls, counted by the sandbox's audit the way Salesforce counts them (Composite, Graph and
// Collections 1, token calls 0) — one counter for both sides. Per event: each preset's tracking-plan sample delivered
// twice (Segment delivers at least once). Per 1,000 events: a generated stream one event at a time, and batched.
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import { matchingPresets, type PresetSubscription } from '@jlp/runner'
import { listSamples, type JlpEvent } from '@jlp/tracking-plan'
import { perThousand } from './measure'
import { officialEquivalent, supporterIdOf } from './official'
import { jlpSalesforce } from '@jlp/destinations'
import { batchable, deliver, type BenchOrg, type Call, type Side } from './sides'
import type { Table } from './table'

const asEvent = (e: JlpEvent) => e as unknown as SegmentEvent

/** Samples shown rather than the first one a preset takes: a purchase of several tickets. */
const PREFERRED = ['three-tickets']

/** The tracking-plan sample a preset's row shows: a preferred one it takes, else the first it takes. */
export function sampleFor(preset: PresetSubscription): { name: string; event: SegmentEvent } | undefined {
  const taken = listSamples().filter((s) => matchingPresets([preset], asEvent(s.sample)).length > 0)
  const found = taken.find((s) => PREFERRED.includes(s.name)) ?? taken[0]
  return found && { name: `${found.event} / ${found.name}`, event: asEvent(found.sample) }
}

/** What an org holds and has done: records, published Platform Events, Flow interviews. */
function effects(org: BenchOrg): number {
  const records = Object.values(org.sandbox.records.salesforce()).reduce((n, list) => n + list.length, 0)
  return records + org.sandbox.platformEvents().length + org.sandbox.flows().length
}

/** A known supporter: their Contact exists (seeded, not counted) — except for the preset that makes Leads. */
function seed(org: BenchOrg, preset: PresetSubscription, event: SegmentEvent) {
  if (preset.partnerAction === 'createOrUpdateLead') return
  const traits = (event.context?.traits ?? {}) as Record<string, string | undefined>
  org.sandbox.salesforce.insert('Contact', {
    FirstName: traits.firstName ?? null,
    LastName: traits.lastName ?? 'Supporter',
    Email: traits.email ?? null,
    JLP_Supporter_Id__c: supporterIdOf(event) ?? null
  })
}

export interface TwiceResult {
  first: number
  again: number
  /** Records, events and Flow runs the redelivery added. */
  duplicates: number
  failures: string[]
}

async function costOf(org: BenchOrg, side: Side, calls: Iterable<Call>) {
  const before = org.sandbox.audit.cost('salesforce')
  const { failures } = await deliver(side.destination, calls)
  return { calls: org.sandbox.audit.cost('salesforce') - before, failures }
}

/** On a fresh org: the sample once, then again; calls each time and what the second time added. */
export async function deliverTwice(
  org: BenchOrg,
  side: Side,
  preset: PresetSubscription,
  event: SegmentEvent
): Promise<TwiceResult> {
  org.sandbox.reset()
  seed(org, preset, event)
  const first = await costOf(org, side, side.calls(event, [preset]))
  const before = effects(org)
  const again = await costOf(org, side, side.calls(event, [preset]))
  return {
    first: first.calls,
    again: again.calls,
    duplicates: effects(org) - before,
    failures: [...first.failures, ...again.failures]
  }
}

const failed = (failures: string[]) =>
  failures.length === 0 ? [] : [`${failures.length} failed: ${[...new Set(failures)].slice(0, 2).join('; ')}`]

export async function perEventTable(org: BenchOrg, ours: Side, official: Side, presets: PresetSubscription[]) {
  const rows: Table['rows'] = []
  const fills = org.fills() as JSONObject
  // Once through everything first, so one-time work (sign-in, describe caches) is not charged to one row.
  for (const round of ['warm-up', 'measured']) {
    rows.length = 0
    for (const preset of presets) {
      const sample = sampleFor(preset)
      if (!sample) continue
      const eq = officialEquivalent(preset, fills)
      const a = await deliverTwice(org, ours, preset, sample.event)
      const b = 'none' in eq ? undefined : await deliverTwice(org, official, preset, sample.event)
      if (round === 'warm-up') continue
      rows.push([
        preset.name,
        sample.name,
        a.first,
        a.again,
        a.duplicates,
        'none' in eq ? eq.none : eq.label,
        b?.first,
        b?.again,
        b?.duplicates,
        [
          ...failed(a.failures).map((f) => `JLP: ${f}`),
          ...(b ? failed(b.failures).map((f) => `official: ${f}`) : []),
          ...('caveat' in eq && eq.caveat ? [eq.caveat] : [])
        ].join('; ') || ''
      ])
    }
  }
  const table: Table = {
    title: 'Salesforce API calls per event',
    note:
      'Each preset’s first tracking-plan sample on a fresh sandbox org (the supporter’s Contact already there, except ' +
      'for the Lead preset), delivered, then delivered again as Segment may; API calls from the sandbox audit after ' +
      'a warm-up pass; "added" is what the second delivery added (records, Platform Events, Flow runs).',
    headers: [
      'Preset',
      'Sample',
      'JLP calls',
      'JLP again',
      'JLP added',
      'Official (Actions) nearest equivalent',
      'Official calls',
      'Official again',
      'Official added',
      'Notes'
    ],
    rows
  }
  return table
}

export interface StreamTotals {
  events: number
  oneByOne: Record<string, number>
  batched: Record<string, number>
  /** Our batched calls from actions without performBatch (Segment sends their events one at a time). */
  oursUnbatchable: number
}

/**
 * A generated stream through every preset: one event at a time, then in batches as Segment sends them (ours at
 * each preset's batch_size through performBatch; the official destination through Bulk API 2.0 jobs of up to 5,000).
 */
export async function streamTable(
  org: BenchOrg,
  ours: Side,
  official: Side,
  presets: PresetSubscription[],
  events: SegmentEvent[]
): Promise<{ table: Table; totals: StreamTotals }> {
  const fills = org.fills() as JSONObject
  type Count = { calls: number; failures: string[] }
  const zero = (): Count => ({ calls: 0, failures: [] })
  const per = new Map(presets.map((p) => [p.name, { ours: [zero(), zero()], official: [zero(), zero()] }]))
  const add = (c: Count, more: { calls: number; failures: string[] }) => {
    c.calls += more.calls
    c.failures.push(...more.failures)
  }
  for (const [key, side] of [
    ['ours', ours],
    ['official', official]
  ] as const) {
    org.sandbox.reset()
    for (const event of events) {
      for (const p of matchingPresets(presets, event))
        add(per.get(p.name)![key][0], await costOf(org, side, side.calls(event, [p])))
    }
    org.sandbox.reset()
    for (const p of presets) add(per.get(p.name)![key][1], await costOf(org, side, side.batchCalls(p, events)))
  }
  const k = (n: number) => perThousand(n, events.length)
  const rows: Table['rows'] = []
  const totals: StreamTotals = {
    events: events.length,
    oneByOne: { ours: 0, official: 0 },
    batched: { ours: 0, official: 0 },
    oursUnbatchable: 0
  }
  for (const p of presets) {
    const matched = events.filter((e) => matchingPresets([p], e).length > 0).length
    if (matched === 0) continue
    const c = per.get(p.name)!
    const none = 'none' in officialEquivalent(p, fills)
    totals.oneByOne.ours += c.ours[0].calls
    totals.batched.ours += c.ours[1].calls
    if (!batchable(jlpSalesforce, p.partnerAction)) totals.oursUnbatchable += c.ours[1].calls
    if (!none) {
      totals.oneByOne.official += c.official[0].calls
      totals.batched.official += c.official[1].calls
    }
    const fails = [
      ...failed([...c.ours[0].failures, ...c.ours[1].failures]).map((f) => `JLP: ${f}`),
      ...failed([...c.official[0].failures, ...c.official[1].failures]).map((f) => `official: ${f}`)
    ]
    rows.push([
      p.name,
      matched,
      k(c.ours[0].calls),
      none ? 'no equivalent' : k(c.official[0].calls),
      k(c.ours[1].calls),
      none ? 'no equivalent' : k(c.official[1].calls),
      fails.join('; ')
    ])
  }
  rows.push([
    'All presets (official: where it has an equivalent)',
    events.length,
    k(totals.oneByOne.ours),
    k(totals.oneByOne.official),
    k(totals.batched.ours),
    k(totals.batched.official),
    ''
  ])
  return {
    totals,
    table: {
      title: 'Salesforce API calls per 1,000 events',
      note:
        `${events.length.toLocaleString('en-GB')} events generated from the tracking plan (seeded) through every preset on a ` +
        'fresh org, one at a time and then batched as Segment sends them (ours: each preset’s batch_size through ' +
        'performBatch, one by one for actions without it; official: Bulk API 2.0, one job per object and up to ' +
        '5,000 events); calls scaled to 1,000 events.',
      headers: [
        'Preset',
        'Events matched',
        'JLP one by one',
        'Official one by one',
        'JLP batched',
        'Official batched',
        'Notes'
      ],
      rows
    }
  }
}
