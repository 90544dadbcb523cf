// The `process` a bundle sees. Segment's Functions runtime documents no `process`, so the bundle carries this
// minimal one. Its env is fixed here — a Function setting can never change it. Only a local harness can add
// variables (e.g. JLP_ALLOW_LOOPBACK for the sandbox) through the `__jlpHarnessEnv` global it defines;
// Segment defines no such global.
declare const __jlpHarnessEnv: Record<string, string> | undefined

const harnessEnv: Record<string, string> =
  typeof __jlpHarnessEnv === 'object' && __jlpHarnessEnv !== null ? { ...__jlpHarnessEnv } : {}

export const process = {
  env: harnessEnv as Record<string, string | undefined>,
  platform: 'linux',
  version: 'v20.0.0',
  versions: { node: '20.0.0' },
  argv: [] as string[],
  cwd: () => '/',
  emitWarning: () => undefined,
  nextTick: (fn: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
  hrtime: Object.assign(
    (prev?: [number, number]) => {
      const ms = Date.now()
      const now: [number, number] = [Math.floor(ms / 1000), (ms % 1000) * 1e6]
      return prev ? [now[0] - prev[0], now[1] - prev[1]] : now
    },
    { bigint: () => BigInt(Date.now()) * 1_000_000n }
  )
}
