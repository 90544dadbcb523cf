// The sandbox's notion of now: real time plus an offset tests can move forward (token expiry, dates) without
// waiting. Every timestamp the sandbox writes comes from here.
export interface Clock {
  now(): number
  /** Move the sandbox's time forward by `ms` milliseconds. */
  advance(ms: number): void
}

export function createClock(start?: number): Clock {
  let offset = start === undefined ? 0 : start - Date.now()
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms
    }
  }
}
