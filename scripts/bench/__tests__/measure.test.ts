// The figures behind the throughput and calls tables: rates from summed call time, CPU per event, rank percentiles.
import { perThousand, summarize, timed } from '../measure'

describe('bench measures', () => {
  it('divides events by the time spent in calls, and CPU by events', () => {
    const samples = [
      { ms: 2, cpuUs: 1000 },
      { ms: 4, cpuUs: 3000 },
      { ms: 6, cpuUs: 2000 },
      { ms: 8, cpuUs: 2000 }
    ]
    expect(summarize(samples)).toEqual({ events: 4, eventsPerSecond: 200, cpuMsPerEvent: 2, p50: 4, p95: 8 })
  })

  it('has no rate without samples', () => {
    const empty = summarize([])
    expect(empty.events).toBe(0)
    expect(empty.eventsPerSecond).toBeNaN()
    expect(empty.cpuMsPerEvent).toBeNaN()
  })

  it('scales API calls to 1,000 events', () => {
    expect(perThousand(49, 200)).toBe(245)
    expect(perThousand(3, 0)).toBeUndefined()
  })

  it('keeps the value or the error of what it timed', async () => {
    await expect(timed(async () => 42)).resolves.toMatchObject({ value: 42 })
    const failed = await timed(async () => {
      throw new Error('nope')
    })
    expect(failed.error).toEqual(new Error('nope'))
    expect(failed.value).toBeUndefined()
    expect(failed.ms).toBeGreaterThanOrEqual(0)
    expect(failed.cpuUs).toBeGreaterThanOrEqual(0)
  })
})
