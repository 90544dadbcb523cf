// Shared by the bundle tests: each destination built once per test file, loaded into a fresh vm harness per
// test, and settings that satisfy any destination's required settings.
import type { DestinationDefinition, GlobalSetting } from '@segment/actions-core'
import { buildFunction, type BuiltFunction } from '../build'
import { loadFunction, type LoadedFunction, type LoadOptions } from '../harness'

const builds = new Map<string, Promise<BuiltFunction>>()

export function bundleOf(key: string): Promise<BuiltFunction> {
  if (!builds.has(key)) builds.set(key, buildFunction(key))
  return builds.get(key)!
}

export async function loadBundle(key: string, options: LoadOptions = {}): Promise<LoadedFunction> {
  return loadFunction((await bundleOf(key)).code, { filename: `${key}.js`, ...options })
}

/** A value for every required setting: the first choice, or a placeholder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function placeholderSettings(def: DestinationDefinition<any>): Record<string, unknown> {
  const fields = (def.authentication?.fields ?? {}) as Record<string, GlobalSetting>
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, f]) => f.required === true && f.default === undefined)
      .map(([name, f]) => {
        const choice = f.choices?.[0]
        if (choice !== undefined) return [name, typeof choice === 'object' ? choice.value : choice]
        return [name, f.type === 'boolean' ? false : f.format === 'uri' ? 'https://example.my.salesforce.com' : 'x']
      })
  )
}

/** Runs `fn` and returns how long it took, in ms, with its outcome (value or error). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now()
  try {
    const value = await fn()
    return { ms: performance.now() - started, value }
  } catch (error) {
    return { ms: performance.now() - started, error }
  }
}
