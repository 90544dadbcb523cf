// What a bundle runs when Segment loads it: the adapter over the runtime's globals (its error classes and cache).
// build.ts generates the bundle's entry, which imports one destination and calls `functionHandlers` with it.
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function functionHandlers(def: DestinationDefinition<any>): FunctionHandlers {
  const errors = Object.fromEntries(FUNCTION_ERROR_NAMES.map((n) => [n, errorClass(n)])) as FunctionErrorClasses
  const cache = runtimeGlobals.cache as FunctionCache | undefined
  return createHandlers(def, { errors, cache })
}
