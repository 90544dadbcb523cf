// `npm run bench [-- --help]`: our Salesforce destination against the official Salesforce (Actions) destination on
// the same events and the same sandbox org (API calls per event and per 1,000, throughput and overhead through
// Destination.onEvent), and the Destination Function bundles in the vm harness. Prints the tables and writes
// scripts/bench/results.md (rerun rather than edit it). Not a test: `npm test` never runs it.
import { execFileSync } from 'child_process'
import * as fs from 'fs'
import * as path from 'path'
import type { SegmentEvent } from '@segment/actions-core'
import { runCli, type Console } from '@jlp/runner'
import { processConsole } from '@jlp/runner/src/context'
import { generateEvents } from '@jlp/tracking-plan'
import { bundleTable } from './bundles'
import { perEventTable, streamTable, type StreamTotals } from './calls'
import { BENCH_USAGE, parseBenchOptions } from './options'
import { CALL_TIMEOUT_MS, officialSide, openBenchOrg, ourPresets, ourSide } from './sides'
import { fmt, machine, ratio, resultsMarkdown, textTable, withoutEmptyColumns, type Table } from './table'
import { runWorkloads, throughputTable } from './throughput'

const ROOT = path.resolve(__dirname, '../..')

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}

/** The commit measured, and whether the packages had changes on top of it. */
function commitMeasured(): string | undefined {
  const head = git(['rev-parse', '--short', 'HEAD'])
  if (!head) return undefined
  return git(['status', '--porcelain', '--', 'packages']) ? `${head} (with uncommitted changes in packages/)` : head
}

const cell = (table: Table, rowLabel: string, column: string) => {
  const row = table.rows.find((r) => r[0] === rowLabel)
  const i = table.headers.indexOf(column)
  return row && i >= 0 && typeof row[i] === 'number' ? (row[i] as number) : undefined
}

/** The API-call figures the README quotes, from the per-event and per-1,000 tables. */
export function headlineTable(perEvent: Table, stream: StreamTotals): Table {
  const calls = (label: string, preset: string): Table['rows'][number] => {
    const a = cell(perEvent, preset, 'JLP calls')
    const b = cell(perEvent, preset, 'Official calls')
    return [label, a, b, ratio(a, b, false)]
  }
  const k = (n: number) => (n * 1000) / stream.events
  const total = (label: string, counts: Record<string, number>): Table['rows'][number] => [
    label,
    k(counts.ours),
    k(counts.official),
    ratio(counts.ours, counts.official, false)
  ]
  return {
    title: 'Headline: Salesforce API calls, JLP Salesforce vs the official Salesforce (Actions) destination',
    note:
      'From the two API-call tables below (fewer is better); the ratio says how many times fewer calls ours makes ' +
      '(below 1× means more).',
    headers: ['Measure', 'JLP Salesforce', 'Salesforce (Actions)', 'Ratio'],
    rows: [
      calls('Registration → Lead (new supporter)', 'New registration becomes a Lead'),
      calls('Purchase → supporter value', 'Purchase adds to the supporter’s total spend'),
      calls(
        'Ticket purchase, 3 tickets',
        'Ticket purchase syncs the draw Campaign, buyer and an Opportunity per ticket'
      ),
      calls('Product added → activity Task', 'Product added is logged as an activity on the supporter'),
      total('Per 1,000 generated events, one by one', stream.oneByOne),
      total('Per 1,000 generated events, batched', stream.batched)
    ]
  }
}

export async function benchCommand(argv: string[], env: NodeJS.ProcessEnv, console: Console): Promise<number> {
  const options = parseBenchOptions(argv, env)
  if (options.help) {
    console.out(BENCH_USAGE)
    return 0
  }
  const started = performance.now()
  const step = (what: string) => console.err(`bench: ${what} (${fmt((performance.now() - started) / 1000, 0)} s)`)
  const org = await openBenchOrg(options.seed)
  let tables: Table[]
  let totals: StreamTotals
  try {
    const ours = ourSide(org)
    const official = officialSide(org)
    const presets = ourPresets(org)
    step('API calls per event')
    const perEvent = await perEventTable(org, ours, official, presets)
    step(`API calls over ${options.stream} generated events, one by one and batched`)
    const events = generateEvents({ seed: options.seed, count: options.stream }) as unknown as SegmentEvent[]
    const stream = await streamTable(org, ours, official, presets, events)
    totals = stream.totals
    step(`throughput: ${options.events} events per workload and side`)
    const workloads = await runWorkloads(org, ours, official, presets, options)
    const throughput = throughputTable(workloads)
    step('Function bundles')
    const bundles = await bundleTable(org, {
      events: options.bundleEvents,
      warmup: options.warmup,
      loads: options.loads,
      seed: options.seed
    })
    tables = [headlineTable(perEvent, stream.totals), perEvent, stream.table, throughput, bundles].map(
      withoutEmptyColumns
    )
  } finally {
    await org.close()
  }
  const seconds = (performance.now() - started) / 1000
  const gaveUp = tables.some((t) => t.rows.some((r) => r.some((c) => String(c).includes('no answer within'))))
  for (const t of tables) console.out(`\n${textTable(t)}`)
  const command = ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ')
  const doc = resultsMarkdown({
    date: new Date(),
    machine: machine(),
    commit: commitMeasured(),
    command,
    tables,
    notes: [
      `Counts: ${options.events} events per throughput workload and side after ${options.warmup} warm-up events, ` +
        `a stream of ${options.stream} generated events, ${options.bundleEvents} events per bundle, ` +
        `${options.loads} cold starts per bundle, seed ${options.seed}. The whole run took ${fmt(seconds, 0)} s.`,
      'Official equivalents run unmodified (`@segment/action-destinations` 3.497.0, deep import) through the same ' +
        'actions-core `Destination`. Its mappings can only read the event: the Salesforce ids one record needs of ' +
        'another (an Opportunity’s Campaign and Contact, a Task’s Contact, a CampaignMember’s both) are looked up in ' +
        'the sandbox by the bench, without an API call — more than it could do in Segment.',
      'Its Bulk API 2.0 path creates a job, uploads the CSV and closes the job (3 calls) and never reads the job’s ' +
        'results, so rows Salesforce rejects are not reported per event; Salesforce processes the job later.',
      `Of our ${fmt((totals.batched.ours * 1000) / totals.events, 0)} batched calls per 1,000 events, ` +
        `${fmt((totals.oursUnbatchable * 1000) / totals.events, 0)} come from actions without performBatch ` +
        '(logActivity, createFollowUpTask), whose events Segment sends one at a time.',
      ...(gaveUp
        ? [
            `"no answer within ${CALL_TIMEOUT_MS / 1000} s": the call never answered and the bench gave up on it ` +
              '(it counts as failed; the calls it made before are counted).'
          ]
        : []),
      'The official Ortto (Actions) destination is not compared: it posts to Ortto’s Segment endpoints ' +
        '(`/identify`, `/track`), which the sandbox does not model.'
    ]
  })
  if (options.write) {
    const file = path.resolve(ROOT, options.out)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, doc)
    console.out(`\nWrote ${path.relative(process.cwd(), file)} (${fmt(seconds, 0)} s).`)
  }
  return 0
}

if (require.main === module) {
  runCli(() => benchCommand(process.argv.slice(2), process.env, processConsole), processConsole, 'bench').then(
    // A call that never answered may still hold a socket open: leave anyway.
    (code) => process.exit(code)
  )
}
