// Runs a built bundle the way Segment's Functions runtime does, as far as its documentation tells: a fresh
// context whose globals are the language's, Node 20's timers/URL/encoders/AbortController, and the documented
// Function globals (fetch from node-fetch 2, atob/btoa, crypto, https, Buffer, cache, the four error classes).
// No require, no process, no module: a bundle that needs them fails here as it would there.
import * as crypto from 'crypto'
import * as https from 'https'
import * as vm from 'vm'
import { HANDLER_NAMES, type FunctionCache } from './adapter'
import type { FunctionErrorName } from './errors'

class FunctionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}
export class EventNotSupported extends FunctionError {}
export class InvalidEventPayload extends FunctionError {}
export class ValidationError extends FunctionError {}
export class RetryError extends FunctionError {}

export const functionErrors: Record<FunctionErrorName, typeof FunctionError> = {
  EventNotSupported,
  InvalidEventPayload,
  ValidationError,
  RetryError
}

/** An in-memory `cache` with the documented API; `entries` shows what a bundle keeps there. */
export function memoryCache(now: () => number = Date.now): FunctionCache & { entries: Map<string, unknown> } {
  const store = new Map<string, { value: unknown; expires: number }>()
  return {
    get entries() {
      return new Map([...store].filter(([, v]) => v.expires > now()).map(([k, v]) => [k, v.value]))
    },
    async load<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
      const hit = store.get(key)
      if (hit && hit.expires > now()) return hit.value as T
      const value = await fn()
      store.set(key, { value, expires: ttlMs === -1 || ttlMs === undefined ? Infinity : now() + ttlMs })
      return value
    },
    delete(key: string) {
      store.delete(key)
    }
  }
}

export type HandlerName = (typeof HANDLER_NAMES)[number]

export interface LoadOptions {
  /** Variables the bundle's own `process.env` gets (e.g. JLP_ALLOW_LOOPBACK=1 to reach the sandbox). */
  env?: Record<string, string>
  /** The runtime's fetch; default node-fetch 2, as in Segment's runtime. */
  fetch?: unknown
  cache?: FunctionCache
  /** Where console.* goes; default: kept in `logs`. */
  console?: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug'>
  filename?: string
}

export interface LoadedFunction {
  /** Calls a handler as Segment would: the event and settings are plain JSON built inside the context. */
  call(handler: HandlerName, event: unknown, settings: Record<string, unknown>): Promise<unknown>
  /** The handlers the bundle defines. */
  handlers: HandlerName[]
  /** The global names a bundle sees (besides the language's own). */
  globals: string[]
  /** Milliseconds to evaluate the script (cold start before the first event). */
  loadMs: number
  logs: string[]
  cache: FunctionCache
  /** The context itself, to look at what a bundle can see. */
  context: vm.Context
}

export function loadFunction(code: string, options: LoadOptions = {}): LoadedFunction {
  const logs: string[] = []
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      logs.push(`${level}: ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`)
  const cache = options.cache ?? memoryCache()
  const globals: Record<string, unknown> = {
    console: options.console ?? {
      log: record('log'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      debug: record('debug')
    },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
    queueMicrotask,
    structuredClone,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    AbortController,
    AbortSignal,
    Buffer,
    atob,
    btoa,
    crypto,
    https,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    fetch: options.fetch ?? require('node-fetch'),
    cache,
    ...functionErrors
  }
  if (options.env) globals.__jlpHarnessEnv = { ...options.env }
  const context = vm.createContext(globals, { name: options.filename ?? 'destination-function' })
  const script = new vm.Script(code, { filename: options.filename ?? 'function.js' })
  const started = performance.now()
  script.runInContext(context)
  const loadMs = performance.now() - started

  const invoke = vm.runInContext(
    '(name, json) => { const [event, settings] = JSON.parse(json); return globalThis[name](event, settings) }',
    context
  ) as (name: string, json: string) => Promise<unknown>
  const handlers = HANDLER_NAMES.filter((h) => typeof context[h] === 'function')
  return {
    async call(handler, event, settings) {
      if (!handlers.includes(handler)) throw new EventNotSupported(`${handler} is not defined`)
      const result = await invoke(handler, JSON.stringify([event, settings]))
      return result === undefined ? undefined : JSON.parse(JSON.stringify(result))
    },
    handlers,
    globals: Object.keys(globals).filter((k) => !k.startsWith('__')),
    loadMs,
    logs,
    cache,
    context
  }
}
