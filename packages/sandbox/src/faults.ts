// Fault injection, deterministic for a seed: a global rate and mix, rules per endpoint (path pattern, method,
// vendor), and scripted sequences for tests. Every fault except `lostResponse` and `slow` answers BEFORE the
// handler runs, so a failed call never writes anything. `lostResponse` runs the handler (the write is applied) and
// then resets the connection: the client sees a network error for a call that succeeded.
import { reply, type Reply } from './http'
import { orttoError, orttoRateLimit } from './ortto/api'
import { mulberry32 } from '@jlp/tracking-plan/src/prng'

type Rng = () => number

export const FAULT_KINDS = [
  'unavailable',
  'rateLimited',
  'requestLimit',
  'lockRow',
  'invalidSession',
  'reset',
  'slow',
  'lostResponse'
] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

export type Vendor = 'salesforce' | 'ortto'

/** Which kinds to draw, equally likely (an array) or weighted ({unavailable: 3, reset: 1}). */
export type FaultMix = readonly FaultKind[] | Partial<Record<FaultKind, number>>

export interface FaultRule {
  /** Path substring (e.g. '/composite', '/v1/person/merge') or a RegExp tested on the full path. Default: any. */
  match?: string | RegExp
  method?: string
  vendor?: Vendor
  /** Share of matching calls that fail (0–1). */
  rate?: number
  kinds?: FaultMix
  /** Faults for the next matching calls, in order (null = let that call through); then the rule stops. */
  sequence?: ReadonlyArray<FaultKind | null>
}

export interface FaultConfig {
  /** Share of all API calls that fail (0–1). Default 0. Token calls are spared unless a rule matches them. */
  rate?: number
  /** Mix for the global rate. Default: every kind equally. */
  kinds?: FaultMix
  /** Rules tried in order before the global rate; the first matching rule decides. */
  rules?: FaultRule[]
  /** Seed of the fault PRNG (default: the sandbox's seed). */
  seed?: number
  /** Delay of a `slow` fault in ms. Default 250. */
  slowMs?: number
  /** try-in-seconds / Retry-After of rate-limit faults. Default 1. */
  retryAfterSeconds?: number
}

export interface FaultTarget {
  vendor: Vendor
  method: string
  path: string
  /** Token endpoint: spared by the global rate. */
  auth: boolean
}

function pick(mix: FaultMix | undefined, rng: Rng): FaultKind {
  const weights: Array<[FaultKind, number]> = Array.isArray(mix)
    ? mix.map((k) => [k, 1])
    : mix
      ? (Object.entries(mix) as Array<[FaultKind, number]>)
      : FAULT_KINDS.map((k) => [k, 1])
  const total = weights.reduce((n, [, w]) => n + w, 0)
  let r = rng() * total
  for (const [kind, w] of weights) {
    r -= w
    if (r < 0) return kind
  }
  return weights[weights.length - 1][0]
}

const matches = (rule: FaultRule, t: FaultTarget) =>
  (!rule.vendor || rule.vendor === t.vendor) &&
  (!rule.method || rule.method.toUpperCase() === t.method) &&
  (rule.match === undefined || (typeof rule.match === 'string' ? t.path.includes(rule.match) : rule.match.test(t.path)))

export class FaultInjector {
  private rng: Rng
  private config: FaultConfig = {}
  private cursors = new Map<FaultRule, number>()

  constructor(
    config: FaultConfig | undefined,
    private readonly defaultSeed: number
  ) {
    this.rng = mulberry32(defaultSeed)
    this.set(config)
  }

  set(config: FaultConfig = {}): void {
    for (const rule of config.rules ?? []) {
      if (rule.rate !== undefined && (rule.rate < 0 || rule.rate > 1)) throw new Error('fault rate must be 0–1')
    }
    if (config.rate !== undefined && (config.rate < 0 || config.rate > 1)) throw new Error('fault rate must be 0–1')
    this.config = config
    this.cursors.clear()
    this.rng = mulberry32(config.seed ?? this.defaultSeed)
  }

  /** The configuration in force. */
  get current(): FaultConfig {
    return this.config
  }

  get slowMs(): number {
    return this.config.slowMs ?? 250
  }

  get retryAfterSeconds(): number {
    return this.config.retryAfterSeconds ?? 1
  }

  /** The fault for this call, if any. */
  decide(t: FaultTarget): FaultKind | undefined {
    for (const rule of this.config.rules ?? []) {
      if (!matches(rule, t)) continue
      if (rule.sequence) {
        const i = this.cursors.get(rule) ?? 0
        if (i >= rule.sequence.length) continue
        this.cursors.set(rule, i + 1)
        return rule.sequence[i] ?? undefined
      }
      return this.rng() < (rule.rate ?? 1) ? pick(rule.kinds, this.rng) : undefined
    }
    if (t.auth || !this.config.rate) return undefined
    return this.rng() < this.config.rate ? pick(this.config.kinds, this.rng) : undefined
  }

  /** The answer for a fault that answers (undefined for reset, slow, lostResponse and kinds a vendor lacks). */
  answer(kind: FaultKind, vendor: Vendor): Reply | undefined {
    const wait = this.retryAfterSeconds
    if (vendor === 'ortto') {
      if (kind === 'rateLimited' || kind === 'requestLimit') return orttoRateLimit(wait)
      if (kind === 'unavailable' || kind === 'lockRow') return orttoError(503, 'Service unavailable, please try again')
      return undefined
    }
    const sf = (status: number, errorCode: string, message: string, headers?: Record<string, string>) =>
      reply(status, [{ message, errorCode, fields: [] }], headers)
    switch (kind) {
      case 'unavailable':
        return sf(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.')
      case 'rateLimited':
        return sf(429, 'REQUEST_LIMIT_EXCEEDED', 'Too many requests. Please retry later.', {
          'Retry-After': String(wait)
        })
      case 'requestLimit':
        return sf(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
      case 'lockRow':
        return sf(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records')
      case 'invalidSession':
        return sf(401, 'INVALID_SESSION_ID', 'Session expired or invalid')
      default:
        return undefined
    }
  }
}
