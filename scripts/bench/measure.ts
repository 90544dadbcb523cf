// Timing and the figures the tables show, from per-event samples: events/s, CPU per event, median and p95.
import { percentiles } from './table'

export interface Timed<T> {
  ms: number
  /** User + system CPU of the whole process (the in-process sandbox included), in microseconds. */
  cpuUs: number
  value?: T
  error?: unknown
}

export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const done = (out: { value?: T; error?: unknown }): Timed<T> => {
    const used = process.cpuUsage(cpu)
    return { ms: performance.now() - started, cpuUs: used.user + used.system, ...out }
  }
  try {
    return done({ value: await fn() })
  } catch (error) {
    return done({ error })
  }
}

export interface Sample {
  ms: number
  cpuUs: number
}

export interface RunStats {
  events: number
  /** Events divided by the time spent in the destination's calls. */
  eventsPerSecond: number
  cpuMsPerEvent: number
  p50: number
  p95: number
}

export function summarize(samples: readonly Sample[]): RunStats {
  const totalMs = samples.reduce((sum, s) => sum + s.ms, 0)
  const cpuUs = samples.reduce((sum, s) => sum + s.cpuUs, 0)
  const { p50, p95 } = percentiles(samples.map((s) => s.ms))
  return {
    events: samples.length,
    eventsPerSecond: totalMs > 0 ? (samples.length * 1000) / totalMs : NaN,
    cpuMsPerEvent: samples.length > 0 ? cpuUs / 1000 / samples.length : NaN,
    p50,
    p95
  }
}

/** API calls scaled to 1,000 events (undefined without events). */
export function perThousand(calls: number, events: number): number | undefined {
  return events > 0 ? (calls * 1000) / events : undefined
}
