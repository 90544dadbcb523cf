// What the command-line tools share: options, choosing destinations and presets, and turning mistakes into
// one-line messages. The scripts in scripts/ only call these.
import type { DestinationDefinition } from '@segment/actions-core'
import { parseArgs, type ParseArgsConfig } from 'util'
import { presetSubscriptions, type PresetSubscription } from './presets'
import { UsageError, EXIT_USAGE } from './usage-error'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Registry = Record<string, DestinationDefinition<any>>

export type Options = NonNullable<ParseArgsConfig['options']>

/** Parse argv; an unknown or incomplete option is a UsageError that ends with the usage text. */
export function parseOptions<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, strict: true })
      .values as unknown as Record<keyof O | 'help', string | boolean | string[] | undefined>
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('. ')[0]}\n\n${usage}`)
  }
}

/** A non-negative number option, e.g. --faults 0.2 or --generate 50. */
export function numberOption(
  value: unknown,
  name: string,
  { min = 0, max = Infinity, integer = false } = {}
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    n > max ||
    (integer && !Number.isInteger(n))
  ) {
    const range =
      max === Infinity ? `${integer ? 'a whole number' : 'a number'} ≥ ${min}` : `a number from ${min} to ${max}`
    throw new UsageError(`--${name} must be ${range}, got "${String(value)}"`)
  }
  return n
}

/** Comma-separated and repeated values: --destination a,b --destination c → [a, b, c]. */
export function listOption(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean)
}

export function chooseDestinations(registry: Registry, names: readonly string[]): string[] {
  const keys = Object.keys(registry)
  const unknown = names.filter((n) => !registry[n])
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown destination${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}. Available: ${keys.join(', ')}`
    )
  }
  return names.length > 0 ? [...new Set(names)] : keys
}

/**
 * Presets per destination: all automatic presets, or only the named ones (a name may belong to any chosen
 * destination; one that belongs to none is a UsageError listing them all).
 */
export function choosePresets(
  registry: Registry,
  keys: readonly string[],
  names: readonly string[]
): Map<string, PresetSubscription[]> {
  const all = new Map(keys.map((k) => [k, presetSubscriptions(registry[k])]))
  if (names.length === 0) return all
  const unknown = names.filter((n) => ![...all.values()].some((presets) => presets.some((p) => p.name === n)))
  if (unknown.length > 0) {
    const available = keys.map(
      (k) =>
        `  ${k}: ${
          all
            .get(k)!
            .map((p) => `"${p.name}"`)
            .join(', ') || '(no presets yet)'
        }`
    )
    throw new UsageError(
      `Unknown preset${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}. Available:\n${available.join('\n')}`
    )
  }
  return new Map(keys.map((k) => [k, all.get(k)!.filter((p) => names.includes(p.name))]))
}

export interface Console {
  out: (text: string) => void
  err: (text: string) => void
}

/** Run a command: a UsageError prints its message (no stack) and exits 2; anything else is a crash (1). */
export async function runCli(command: () => Promise<number>, console: Console, name: string): Promise<number> {
  try {
    return await command()
  } catch (err) {
    if (err instanceof UsageError) {
      console.err(`${name}: ${err.message}`)
      return EXIT_USAGE
    }
    console.err(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    return 1
  }
}
