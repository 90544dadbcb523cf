// `npm run deploy`: build each destination's Function, show what would change against the deployed one, then
// create or update it through the Public API. Without a token (or with --dry-run) nothing is sent: the exact
// request bodies are written next to the bundle instead.
import * as fs from 'fs'
import * as path from 'path'
import { chooseDestinations, listOption, parseOptions, UsageError, type Console } from '@jlp/runner'
import { destinations } from '@jlp/destinations'
import { buildFunction, MAX_BUNDLE_BYTES, type BuiltFunction } from '../build'
import {
  PublicApi,
  PublicApiError,
  PUBLIC_API_HOSTS,
  type CreateFunctionBody,
  type DeployedFunction,
  type UpdateFunctionBody
} from './api'
import { diffCode, diffSettings, settingsUnchanged } from './diff'

export const DEFAULT_TOKEN_ENV = 'SEGMENT_TOKEN'
export const DEFAULT_OUT_DIR = path.join('dist', 'functions')

export const DEPLOY_USAGE = `usage: npm run deploy -- [--destination <key>] [--workspace-token-env <VAR>]
                         [--function-id <id> | --create] [--eu] [--dry-run]

Builds each destination (default: all) into a Segment Destination Function, shows what changes against the
deployed Function, then updates it (or creates it with --create).

  --destination <key>          jlp-salesforce, jlp-ortto (repeat or comma-separate; default: all)
  --workspace-token-env <VAR>  the environment variable holding a Public API token (default: ${DEFAULT_TOKEN_ENV})
  --function-id <id>           the Function to update (one destination only); without it, the Function whose
                               name is the destination's is updated
  --create                     create the Function (refused when one of that name exists)
  --eu                         the workspace is in the EU region (${PUBLIC_API_HOSTS.eu})
  --dry-run                    send nothing: write the request bodies to ${DEFAULT_OUT_DIR}/ (the default when
                               the token variable is not set)
  --out-dir <dir>              where bundles and request bodies go (default: ${DEFAULT_OUT_DIR})
  --logo-url <url>             a logo for a created Function
  --minify                     minify the bundle (smaller, but unreadable in Segment's editor)`

export interface DeployContext {
  env: NodeJS.ProcessEnv
  console: Console
  fetch?: typeof fetch
  /** Default buildFunction (tests pass a memoised one). */
  build?: typeof buildFunction
}

export interface DeployOptions {
  keys: string[]
  tokenEnv: string
  functionId?: string
  create: boolean
  eu: boolean
  dryRun: boolean
  outDir: string
  logoUrl?: string
  minify: boolean
}

export function parseDeployArgs(argv: string[], env: NodeJS.ProcessEnv): DeployOptions | 'help' {
  const opts = parseOptions(
    argv,
    {
      destination: { type: 'string', multiple: true },
      'workspace-token-env': { type: 'string' },
      'function-id': { type: 'string' },
      create: { type: 'boolean' },
      eu: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'out-dir': { type: 'string' },
      'logo-url': { type: 'string' },
      minify: { type: 'boolean' }
    },
    DEPLOY_USAGE
  )
  if (opts.help) return 'help'
  const keys = chooseDestinations(destinations, listOption(opts.destination))
  const functionId = opts['function-id'] as string | undefined
  if (functionId !== undefined && opts.create) throw new UsageError('Give --function-id or --create, not both.')
  if (functionId !== undefined && keys.length !== 1) {
    throw new UsageError('--function-id updates one Function: name its destination with --destination.')
  }
  if (functionId !== undefined && !/^[A-Za-z0-9_-]+$/.test(functionId)) {
    throw new UsageError(`--function-id "${functionId}" is not a Function id (e.g. dfn_6543abcd…).`)
  }
  const tokenEnv = (opts['workspace-token-env'] as string | undefined) ?? DEFAULT_TOKEN_ENV
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
    throw new UsageError(`--workspace-token-env takes the NAME of an environment variable, e.g. ${DEFAULT_TOKEN_ENV}.`)
  }
  return {
    keys,
    tokenEnv,
    functionId,
    create: Boolean(opts.create),
    eu: Boolean(opts.eu),
    dryRun: Boolean(opts['dry-run']) || !env[tokenEnv],
    outDir: (opts['out-dir'] as string | undefined) ?? DEFAULT_OUT_DIR,
    logoUrl: opts['logo-url'] as string | undefined,
    minify: Boolean(opts.minify)
  }
}

export function createBody(built: BuiltFunction, logoUrl?: string): CreateFunctionBody {
  return {
    code: built.code,
    displayName: built.displayName,
    resourceType: 'DESTINATION',
    settings: built.settings,
    description: built.description,
    ...(logoUrl ? { logoUrl } : {})
  }
}

export function updateBody(built: BuiltFunction): UpdateFunctionBody {
  return { code: built.code, settings: built.settings, description: built.description }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`

/** Prints what the deploy would change; returns whether anything would. */
function showChanges(out: (t: string) => void, deployed: DeployedFunction, built: BuiltFunction): boolean {
  const code = diffCode(deployed.code ?? '', built.code)
  const settings = diffSettings(deployed.settings ?? [], built.settings)
  const description = (deployed.description ?? '') !== built.description
  if (code.added + code.removed === 0 && settingsUnchanged(settings) && !description) {
    out(`  No changes: ${deployed.id} already runs this build.`)
    return false
  }
  if (code.added + code.removed > 0) {
    out(`  Code: +${code.added} −${code.removed} lines`)
    code.lines.forEach((l) => out(`    ${l}`))
    if (code.truncated > 0) out(`    … ${code.truncated} more diff lines`)
  } else out('  Code: unchanged')
  if (settingsUnchanged(settings)) out('  Settings: unchanged')
  else {
    settings.added.forEach((n) => out(`  Settings: + ${n}`))
    settings.removed.forEach((n) => out(`  Settings: − ${n}`))
    Object.entries(settings.changed).forEach(([n, props]) => out(`  Settings: ~ ${n} (${props.join(', ')})`))
  }
  if (description) out('  Description: changed')
  return true
}

function writeDryRun(out: (t: string) => void, options: DeployOptions, built: BuiltFunction, host: string) {
  const create = path.join(options.outDir, `${built.destination}.create-request.json`)
  const update = path.join(options.outDir, `${built.destination}.update-request.json`)
  fs.writeFileSync(create, JSON.stringify(createBody(built, options.logoUrl), null, 2) + '\n')
  fs.writeFileSync(update, JSON.stringify(updateBody(built), null, 2) + '\n')
  out(`  POST  ${host}/functions             body: ${create}`)
  out(`  PATCH ${host}/functions/<function id>  body: ${update}`)
}

/** Finds the Function to update, or checks that creating one is safe. */
async function target(
  api: PublicApi,
  options: DeployOptions,
  built: BuiltFunction,
  out: (t: string) => void
): Promise<DeployedFunction | undefined> {
  if (options.functionId) {
    out(`› Reading Function ${options.functionId}`)
    const found = await api.getFunction(options.functionId)
    if (found.resourceType && found.resourceType !== 'DESTINATION') {
      throw new PublicApiError(`${options.functionId} is a ${found.resourceType} Function, not a destination Function.`)
    }
    return found
  }
  out(`› Looking for the destination Function "${built.displayName}"`)
  const named = (await api.listDestinationFunctions()).filter((f) => f.displayName === built.displayName)
  if (options.create) {
    if (named.length > 0) {
      throw new PublicApiError(
        `A destination Function "${built.displayName}" exists already (${named.map((f) => f.id).join(', ')}): ` +
          `update it with --function-id ${named[0].id}, or rename it in Segment before --create.`
      )
    }
    return undefined
  }
  if (named.length === 0) {
    throw new PublicApiError(
      `No destination Function is named "${built.displayName}" in this workspace: pass --create to create it, or ` +
        `--function-id <id> to update one with another name.`
    )
  }
  if (named.length > 1) {
    throw new PublicApiError(
      `${named.length} destination Functions are named "${built.displayName}" (${named.map((f) => f.id).join(', ')}): ` +
        `choose one with --function-id.`
    )
  }
  return api.getFunction(named[0].id)
}

export interface DeployOutcome {
  destination: string
  action: 'dry-run' | 'created' | 'updated' | 'unchanged'
  functionId?: string
  bytes: number
}

async function deployOne(key: string, options: DeployOptions, ctx: DeployContext): Promise<DeployOutcome> {
  const out = ctx.console.out
  const host = options.eu ? PUBLIC_API_HOSTS.eu : PUBLIC_API_HOSTS.us
  out(`› Building ${key}`)
  const built = await (ctx.build ?? buildFunction)(key, { outDir: options.outDir, minify: options.minify })
  if (built.bytes > MAX_BUNDLE_BYTES) {
    throw new UsageError(`${key} bundles to ${kB(built.bytes)}, over the ${kB(MAX_BUNDLE_BYTES)} limit.`)
  }
  out(`  ${built.file} (${kB(built.bytes)}), ${built.settings.length} settings`)
  const token = ctx.env[options.tokenEnv]
  if (options.dryRun && !token) {
    out(`  $${options.tokenEnv} is not set: dry run, nothing sent.`)
    writeDryRun(out, options, built, host)
    return { destination: key, action: 'dry-run', bytes: built.bytes }
  }
  const api = new PublicApi({ token: token!, tokenEnv: options.tokenEnv, eu: options.eu, fetch: ctx.fetch })
  const deployed = await target(api, options, built, out)
  if (!deployed) {
    out(`  New Function "${built.displayName}": ${built.settings.length} settings, ${kB(built.bytes)} of code`)
    if (options.dryRun) {
      writeDryRun(out, options, built, host)
      return { destination: key, action: 'dry-run', bytes: built.bytes }
    }
    out(`› Creating "${built.displayName}"`)
    const created = await api.createFunction(createBody(built, options.logoUrl))
    out(`  Created ${created.id}.`)
    return { destination: key, action: 'created', functionId: created.id, bytes: built.bytes }
  }
  const changes = showChanges(out, deployed, built)
  if (options.dryRun) {
    writeDryRun(out, options, built, host)
    return { destination: key, action: 'dry-run', functionId: deployed.id, bytes: built.bytes }
  }
  if (!changes) return { destination: key, action: 'unchanged', functionId: deployed.id, bytes: built.bytes }
  out(`› Updating ${deployed.id}`)
  await api.updateFunction(deployed.id, updateBody(built))
  const [latest] = await api.listVersions(deployed.id)
  out(`  Updated ${deployed.id}` + (latest ? `: version ${latest.id}${latest.isDeployed ? ', deployed' : ''}.` : '.'))
  return { destination: key, action: 'updated', functionId: deployed.id, bytes: built.bytes }
}

const NEXT_STEPS = `Next, in Segment: Connections → Catalog → Functions → the Function → Connect destination → the JLP source;
fill in its settings (secrets are encrypted) and, under Presets, the presets to run (empty: all).`

/** Runs `npm run deploy`; returns the exit code. Public API failures print one sentence (never the token). */
export async function deployCommand(argv: string[], ctx: DeployContext): Promise<number> {
  const options = parseDeployArgs(argv, ctx.env)
  if (options === 'help') {
    ctx.console.out(DEPLOY_USAGE)
    return 0
  }
  fs.mkdirSync(options.outDir, { recursive: true })
  const outcomes: DeployOutcome[] = []
  try {
    for (const key of options.keys) outcomes.push(await deployOne(key, options, ctx))
  } catch (err) {
    if (!(err instanceof PublicApiError)) throw err
    ctx.console.err(`deploy: ${err.message}`)
    return 1
  }
  if (outcomes.some((o) => o.action === 'created' || o.action === 'updated')) ctx.console.out(NEXT_STEPS)
  return 0
}
