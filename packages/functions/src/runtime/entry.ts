// What a bundle runs when Segment loads it: the adapter over the runtime's error classes, with the runtime's cache
// behind every vendor client that keeps tokens. build.ts generates the bundle's entry, which imports one
// destination and its vendor client modules (the `*-client` folders) and calls `functionHandlers` with them.
import type { DestinationDefinition } from '@segment/actions-core'
import { createHandlers, type FunctionCache, type FunctionHandlers } from '../adapter'
import { FUNCTION_ERROR_NAMES, type FunctionErrorClasses } from '../errors'

const runtimeGlobals = globalThis as unknown as Record<string, unknown>

/** The runtime's class, or (outside Segment) a plain Error subclass of the same name. */
function errorClass(name: string): new (message: string) => Error {
  const existing = runtimeGlobals[name]
  if (typeof existing === 'function') return existing as new (message: string) => Error
  return class extends Error {
    constructor(message: string) {
      super(message)
      this.name = name
    }
  }
}

/** A vendor client module; one that keeps access tokens lets them be kept elsewhere with `setTokenStore`. */
export interface ClientModule {
  setTokenStore?: (store: FunctionCache) => void
}

const isCache = (c: unknown): c is FunctionCache =>
  typeof c === 'object' && c !== null && typeof (c as FunctionCache).load === 'function'

export function functionHandlers(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: DestinationDefinition<any>,
  clients: readonly ClientModule[] = []
): FunctionHandlers {
  const cache = runtimeGlobals.cache
  // Tokens then outlive one invocation (the cache is per process and best-effort: a miss only costs a sign-in).
  if (isCache(cache)) clients.forEach((client) => client.setTokenStore?.(cache))
  const errors = Object.fromEntries(FUNCTION_ERROR_NAMES.map((n) => [n, errorClass(n)])) as FunctionErrorClasses
  return createHandlers(def, { errors })
}
