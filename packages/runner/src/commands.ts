// npm start, replay and serve as functions of (argv, context) → exit code, so tests drive them exactly as a
// person would. The context supplies the registry, the sandbox and the tracking plan's events; scripts/ pass
// the real one (context.ts), tests a fixture.
import type { DestinationDefinition, JSONObject, SegmentEvent } from '@segment/actions-core'
import { chooseDestinations, choosePresets, listOption, numberOption, parseOptions } from './cli'
import { readEventsFile } from './events'
import { progressReporter, type ProgressStream } from './progress'
import { buildReport, exitCodeFor, formatReport, type Report } from './report'
import { startServer, type RunningServer } from './serve'
import { fillPreset, type PresetSubscription } from './presets'
import { destinationFor } from './run'
import { deliver, type Target } from './session'
import { envPrefix, liveSettings, liveVariablesSet, settingDefaults } from './targets'
import { explainListenError, UsageError } from './usage-error'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Registry = Record<string, DestinationDefinition<any>>

/** Where events go: the sandbox or live credentials. */
export interface Upstream {
  kind: 'sandbox' | 'live'
  /** e.g. "the sandbox at http://127.0.0.1:4010". */
  description: string
  settingsFor(destinationKey: string): JSONObject
  /** API calls counted by the upstream itself, per destination key (the sandbox audit). */
  auditedApiCalls?(): Record<string, number>
  /** Values for required preset fields that no default fills (e.g. a user to assign Tasks to), per destination. */
  fills?(destinationKey: string): JSONObject
  /** Figures to print under "Sandbox audit". */
  audit?(): Array<[string, string | number]>
  close(): Promise<void>
}

export interface SandboxOptions {
  port?: number
  faults?: { rate: number; seed: number }
}

export interface CommandContext {
  registry: Registry
  env: NodeJS.ProcessEnv
  stdout: ProgressStream
  stderr: ProgressStream
  openSandbox(options: SandboxOptions): Promise<Upstream>
  /** The tracking plan's sample supporter journeys, in order. */
  sampleEvents(): SegmentEvent[]
  generateEvents(options: { seed: number; count: number }): SegmentEvent[]
  /** Called with the report before it is printed (tests read the figures from it). */
  onReport?(report: Report): void
}

const print = (stream: ProgressStream, text: string) => stream.write(`${text}\n`)

/**
 * Live credentials from the environment. Every missing variable of every chosen destination is named at once,
 * and each destination's credentials are tried (testAuthentication) before any event is sent.
 */
async function liveUpstream(registry: Registry, keys: readonly string[], env: NodeJS.ProcessEnv): Promise<Upstream> {
  const problems: string[] = []
  const settings = new Map<string, JSONObject>()
  for (const k of keys) {
    try {
      settings.set(k, { ...settingDefaults(registry[k]), ...liveSettings(k, registry[k], env) })
    } catch (err) {
      if (!(err instanceof UsageError)) throw err
      problems.push(err.message)
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'))
  for (const k of keys) {
    try {
      await destinationFor(registry[k]).testAuthentication(settings.get(k)!)
    } catch (err) {
      problems.push(
        `${k} refused the credentials in ${envPrefix(k)}_*: ${(err as Error).message.replace(/^Credentials are invalid:\s*/, '')}`
      )
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'))
  return {
    kind: 'live',
    description: `LIVE credentials (${keys.join(', ')}; from ${keys.map((k) => `${envPrefix(k)}_*`).join(', ')})`,
    settingsFor: (k) => settings.get(k) ?? {},
    close: async () => undefined
  }
}

const sandboxPort = (value: unknown, env: NodeJS.ProcessEnv) =>
  numberOption(value ?? env.JLP_SANDBOX_PORT, 'sandbox-port', { min: 0, max: 65535, integer: true })

async function openSandbox(ctx: CommandContext, options: SandboxOptions): Promise<Upstream> {
  try {
    return await ctx.openSandbox(options)
  } catch (err) {
    throw explainListenError(
      err,
      'The sandbox',
      options.port,
      'pass --sandbox-port <n> (or JLP_SANDBOX_PORT=<n>) for another port, or leave both out to use any free port'
    )
  }
}

interface SessionInput {
  events: SegmentEvent[]
  keys: string[]
  presetNames: string[]
  upstream: Upstream
  batchSize?: number
  retries?: number
  /** --fill field=value: values for required preset fields left empty. */
  fills: JSONObject
}

/** --fill owner_id=005… (repeatable) → { owner_id: '005…' }. */
function fillOption(value: unknown): JSONObject {
  const out: JSONObject = {}
  for (const pair of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
    const at = String(pair).indexOf('=')
    if (at < 1) throw new UsageError(`--fill takes field=value (e.g. --fill owner_id=0058d000001AbCd), got "${pair}"`)
    out[String(pair).slice(0, at)] = String(pair).slice(at + 1)
  }
  return out
}

/** Presets with the fields they need filled in from --fill and the upstream; notes saying what was filled or is missing. */
function filledPresets(ctx: CommandContext, key: string, presets: PresetSubscription[], input: SessionInput) {
  const def = ctx.registry[key]
  const values = { ...(input.upstream.fills?.(key) ?? {}), ...input.fills }
  const notes: string[] = []
  const filled = presets.map((p) => {
    const result = fillPreset(def, p, values)
    const label = (field: string) => `${def.actions[p.partnerAction].fields[field].label} (${field})`
    if (result.filled.length > 0) {
      const what = result.filled.map((f) => `${label(f)} = ${JSON.stringify(values[f])}`).join(', ')
      notes.push(`${key} "${p.name}" needs values a CSM fills in; this run uses ${what}.`)
    }
    if (result.missing.length > 0) {
      const flags = result.missing.map((f) => `--fill ${f}=<value>`).join(' ')
      notes.push(`${key} "${p.name}" needs ${result.missing.map(label).join(', ')}; it fails until you pass ${flags}.`)
    }
    return result.preset
  })
  return { presets: filled, notes }
}

async function runSession(ctx: CommandContext, input: SessionInput): Promise<Report> {
  const chosen = choosePresets(ctx.registry, input.keys, input.presetNames)
  const notes: string[] = []
  const targets: Target[] = input.keys
    .filter((k) => chosen.get(k)!.length > 0)
    .map((key) => {
      const filled = filledPresets(ctx, key, chosen.get(key)!, input)
      notes.push(...filled.notes)
      return {
        key,
        def: ctx.registry[key],
        settings: { ...settingDefaults(ctx.registry[key]), ...input.upstream.settingsFor(key) },
        presets: filled.presets
      }
    })
  const progress = progressReporter(ctx.stderr, 'sending')
  const delivered = await deliver(input.events, targets, {
    batchSize: input.batchSize,
    retries: input.retries,
    retryDelayMs: input.upstream.kind === 'live' ? 1000 : 0,
    onProgress: progress.update
  })
  progress.finish()
  const report = buildReport({
    target: input.upstream.description,
    destinations: targets.map((t) => t.key),
    events: delivered,
    auditedApiCalls: input.upstream.auditedApiCalls?.(),
    audit: input.upstream.audit?.(),
    notes
  })
  ctx.onReport?.(report)
  return report
}

const COMMON_OPTIONS = {
  destination: { type: 'string', multiple: true },
  preset: { type: 'string', multiple: true },
  batch: { type: 'string' },
  fill: { type: 'string', multiple: true },
  'sandbox-port': { type: 'string' }
} as const

export const START_USAGE = `npm start [-- options]
  Replays the tracking plan's sample supporter journeys through every destination's presets, against the
  in-memory sandbox, and prints what each preset did.
  --destination <key>     only these destinations (repeat or comma-separate)
  --preset <name>         only these presets
  --batch <n>             send events in batches of n (performBatch)
  --fill <field>=<value>  a value for a required preset field left for you to fill (see docs/presets.md)
  --sandbox-port <port>   run the sandbox on this port (default: any free port; or JLP_SANDBOX_PORT)
  --live                  send to the org/workspace in the environment's credentials instead (writes real records)`

export async function startCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const opts = parseOptions(argv, { ...COMMON_OPTIONS, live: { type: 'boolean' } }, START_USAGE)
  if (opts.help) return (print(ctx.stdout, START_USAGE), 0)
  const keys = chooseDestinations(ctx.registry, listOption(opts.destination))
  const presetNames = listOption(opts.preset)
  choosePresets(ctx.registry, keys, presetNames)
  const batchSize = numberOption(opts.batch, 'batch', { min: 1, integer: true })
  const fills = fillOption(opts.fill)
  const port = sandboxPort(opts['sandbox-port'], ctx.env)
  const found = keys.flatMap((k) => liveVariablesSet(k, ctx.registry[k], ctx.env))
  if (!opts.live && found.length > 0) {
    print(
      ctx.stderr,
      `Note: ${found.join(', ')} set — still using the sandbox. Add --live to send the demo there (real records).`
    )
  }
  const events = ctx.sampleEvents()
  const upstream = opts.live ? await liveUpstream(ctx.registry, keys, ctx.env) : await openSandbox(ctx, { port })
  try {
    const report = await runSession(ctx, { events, keys, presetNames, upstream, batchSize, fills })
    print(ctx.stdout, formatReport(report))
    return exitCodeFor(report)
  } finally {
    await upstream.close()
  }
}

export const REPLAY_USAGE = `npm run replay -- (--file <events.ndjson> | --generate <n> [--seed <s>]) [options]
  Sends Segment events (one JSON event a line, or a JSON array) through the presets and prints the report.
  --file <path>            events to send
  --generate <n>           send n events from the tracking plan's generator instead (--seed makes them repeatable)
  --seed <s>               seed for --generate and --faults (default 1)
  --destination <key>      only these destinations (repeat or comma-separate)
  --preset <name>          only these presets
  --target sandbox|live    sandbox (default) or the environment's credentials (writes real records)
  --faults <rate>          sandbox only: fail this share of API calls (0–1) the way the vendors do
  --retries <n>            retries of a retryable failure (default 2)
  --batch <n>              send events in batches of n (performBatch)
  --fill <field>=<value>   a value for a required preset field left for you to fill (see docs/presets.md)
  --events <n>             list at most n events one by one (default 20; --all for every one)
  --all                    list every event
  --sandbox-port <port>    run the sandbox on this port (default: any free port; or JLP_SANDBOX_PORT)`

export async function replayCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const opts = parseOptions(
    argv,
    {
      ...COMMON_OPTIONS,
      file: { type: 'string' },
      generate: { type: 'string' },
      seed: { type: 'string' },
      target: { type: 'string' },
      faults: { type: 'string' },
      retries: { type: 'string' },
      events: { type: 'string' },
      all: { type: 'boolean' }
    },
    REPLAY_USAGE
  )
  if (opts.help) return (print(ctx.stdout, REPLAY_USAGE), 0)
  if ((opts.file === undefined) === (opts.generate === undefined)) {
    throw new UsageError(`Give either --file <events.ndjson> or --generate <n>\n\n${REPLAY_USAGE}`)
  }
  const target = (opts.target as string | undefined) ?? 'sandbox'
  if (target !== 'sandbox' && target !== 'live')
    throw new UsageError(`--target must be sandbox or live, got "${target}"`)
  const keys = chooseDestinations(ctx.registry, listOption(opts.destination))
  const presetNames = listOption(opts.preset)
  choosePresets(ctx.registry, keys, presetNames)
  const seed = numberOption(opts.seed, 'seed', { integer: true }) ?? 1
  const rate = numberOption(opts.faults, 'faults', { max: 1 })
  if (rate !== undefined && target === 'live')
    throw new UsageError('--faults only works with the sandbox (--target sandbox)')
  const batchSize = numberOption(opts.batch, 'batch', { min: 1, integer: true })
  const retries = numberOption(opts.retries, 'retries', { integer: true })
  const fills = fillOption(opts.fill)
  const maxEvents = opts.all ? undefined : (numberOption(opts.events, 'events', { integer: true }) ?? 20)
  const port = sandboxPort(opts['sandbox-port'], ctx.env)
  const events =
    opts.file !== undefined
      ? readEventsFile(String(opts.file))
      : ctx.generateEvents({ seed, count: numberOption(opts.generate, 'generate', { min: 1, integer: true })! })

  const upstream =
    target === 'live'
      ? await liveUpstream(ctx.registry, keys, ctx.env)
      : await openSandbox(ctx, { port, faults: rate ? { rate, seed } : undefined })
  try {
    const report = await runSession(ctx, { events, keys, presetNames, upstream, batchSize, retries, fills })
    print(ctx.stdout, formatReport(report, { maxEvents }))
    return exitCodeFor(report)
  } finally {
    await upstream.close()
  }
}

export const SERVE_USAGE = `npm run serve [-- options]
  Serves the destinations over HTTP like upstream's serve, for curl or Segment's Actions Tester.
  --port <port>            listen on 127.0.0.1:<port> (default 3000, or PORT)
  --destination <key>      also answer the unprefixed routes (/manifest, /{action}) for this destination
  --target sandbox|live    default settings come from the sandbox (default) or the environment's credentials
  --sandbox-port <port>    run the sandbox on this port (default: any free port; or JLP_SANDBOX_PORT)`

export interface Serving {
  server: RunningServer
  upstream: Upstream
  close(): Promise<void>
}

export async function serveCommand(argv: string[], ctx: CommandContext): Promise<Serving | number> {
  const opts = parseOptions(
    argv,
    {
      port: { type: 'string' },
      destination: { type: 'string' },
      target: { type: 'string' },
      'sandbox-port': { type: 'string' }
    },
    SERVE_USAGE
  )
  if (opts.help) return (print(ctx.stdout, SERVE_USAGE), 0)
  const root =
    opts.destination === undefined ? undefined : chooseDestinations(ctx.registry, [String(opts.destination)])[0]
  const port = numberOption(opts.port ?? ctx.env.PORT, 'port', { min: 0, max: 65535, integer: true }) ?? 3000
  const target = (opts.target as string | undefined) ?? 'sandbox'
  if (target !== 'sandbox' && target !== 'live')
    throw new UsageError(`--target must be sandbox or live, got "${target}"`)
  const keys = Object.keys(ctx.registry)
  const upstream =
    target === 'live'
      ? await liveUpstream(ctx.registry, root ? [root] : keys, ctx.env)
      : await openSandbox(ctx, { port: sandboxPort(opts['sandbox-port'], ctx.env) })
  let server: RunningServer
  try {
    server = await startServer({
      destinations: ctx.registry,
      defaultSettings: (k) => upstream.settingsFor(k),
      root,
      port,
      log: (line) => print(ctx.stdout, line)
    })
  } catch (err) {
    await upstream.close()
    throw err
  }
  const routes = keys.flatMap((k) => [
    `  GET  ${server.url}/${k}/manifest`,
    ...Object.keys(ctx.registry[k].actions).map((a) => `  POST ${server.url}/${k}/${a}`),
    `  POST ${server.url}/${k}/authenticate`
  ])
  print(
    ctx.stdout,
    [
      `Serving ${keys.join(', ')} at ${server.url} (upstream: ${upstream.description})`,
      root
        ? `Actions Tester: use ${server.url} (routes without a prefix answer for ${root})`
        : `  GET  ${server.url}/manifest`,
      ...routes,
      'Ctrl+C to stop.'
    ].join('\n')
  )
  return {
    server,
    upstream,
    close: async () => {
      await server.close()
      await upstream.close()
    }
  }
}
