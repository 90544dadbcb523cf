// `npm run bench` options: every count from a flag, else an environment variable, else a default sized so the
// whole run stays well under 5 minutes on a loaded 2-core machine.
import { numberOption, parseOptions, UsageError } from '@jlp/runner'

export const DEFAULT_RESULTS = 'scripts/bench/results.md'

export const BENCH_USAGE = `Usage: npm run bench [-- options]

  --events N         events per throughput workload and side (BENCH_EVENTS, default 200)
  --warmup N         warm-up events before each measured run (BENCH_WARMUP, default 10)
  --stream N         generated events for the calls-per-1,000 table (BENCH_STREAM, default 1000)
  --bundle-events N  events per Function bundle in the vm harness (BENCH_BUNDLE_EVENTS, default 100)
  --loads N          cold starts per bundle (BENCH_LOADS, default 5)
  --seed N           seed of the generated events and the sandbox (BENCH_SEED, default 42)
  --out FILE         where the results go (default ${DEFAULT_RESULTS})
  --no-write         print the tables only`

export interface BenchOptions {
  events: number
  warmup: number
  stream: number
  bundleEvents: number
  loads: number
  seed: number
  out: string
  write: boolean
  help: boolean
}

const COUNTS = {
  events: { flag: 'events', env: 'BENCH_EVENTS', default: 200, min: 2 },
  warmup: { flag: 'warmup', env: 'BENCH_WARMUP', default: 10, min: 0 },
  stream: { flag: 'stream', env: 'BENCH_STREAM', default: 1000, min: 1 },
  bundleEvents: { flag: 'bundle-events', env: 'BENCH_BUNDLE_EVENTS', default: 100, min: 1 },
  loads: { flag: 'loads', env: 'BENCH_LOADS', default: 5, min: 1 },
  seed: { flag: 'seed', env: 'BENCH_SEED', default: 42, min: 0 }
} as const

export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const values: Record<string, unknown> = parseOptions(
    argv,
    {
      ...Object.fromEntries(Object.values(COUNTS).map((c) => [c.flag, { type: 'string' as const }])),
      out: { type: 'string' },
      'no-write': { type: 'boolean' }
    },
    BENCH_USAGE
  )
  const count = (key: keyof typeof COUNTS) => {
    const c = COUNTS[key]
    const flag = numberOption(values[c.flag], c.flag, { min: c.min, integer: true })
    let fromEnv: number | undefined
    try {
      fromEnv = numberOption(env[c.env], c.env, { min: c.min, integer: true })
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/^--/, ''))
    }
    return flag ?? fromEnv ?? c.default
  }
  return {
    events: count('events'),
    warmup: count('warmup'),
    stream: count('stream'),
    bundleEvents: count('bundleEvents'),
    loads: count('loads'),
    seed: count('seed'),
    out: typeof values.out === 'string' ? values.out : DEFAULT_RESULTS,
    write: values['no-write'] !== true,
    help: values.help === true
  }
}
