// npm run bench options: flags over environment variables over defaults; a bad count names where it came from.
import { UsageError } from '@jlp/runner'
import { DEFAULT_RESULTS, parseBenchOptions } from '../options'

describe('bench options', () => {
  it('has defaults that write the results file', () => {
    expect(parseBenchOptions([], {})).toEqual({
      events: 200,
      warmup: 10,
      stream: 1000,
      bundleEvents: 100,
      loads: 5,
      seed: 42,
      out: DEFAULT_RESULTS,
      write: true,
      help: false
    })
  })

  it('takes counts from the environment, and flags over them', () => {
    const options = parseBenchOptions(['--events', '40', '--no-write'], { BENCH_EVENTS: '20', BENCH_STREAM: '250' })
    expect(options).toMatchObject({ events: 40, stream: 250, write: false })
  })

  it('refuses a count that is not a whole number, naming the flag or the variable', () => {
    expect(() => parseBenchOptions(['--loads', '0'], {})).toThrow(UsageError)
    expect(() => parseBenchOptions(['--loads', '0'], {})).toThrow(/^--loads must be/)
    expect(() => parseBenchOptions([], { BENCH_WARMUP: 'lots' })).toThrow(/^BENCH_WARMUP must be a whole number/)
    expect(() => parseBenchOptions(['--bogus'], {})).toThrow(UsageError)
  })
})
