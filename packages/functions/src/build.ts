// One destination → one self-contained Destination Function script (no imports, no require), with esbuild.
// The bundle defines the handlers Segment calls (onTrack, onIdentify, …, onBatch) as top-level functions.
import * as fs from 'fs'
import * as path from 'path'
import { build, type Metafile, type Plugin } from 'esbuild'
import { destinations } from '@jlp/destinations'
import { HANDLER_NAMES } from './adapter'
import { functionSettings, type FunctionSetting } from './settings'

/** Segment takes the code of a Function as one string; we keep each bundle well below this. */
export const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024

const RUNTIME_DIR = path.join(__dirname, 'runtime')
const PACKAGES_DIR = path.resolve(__dirname, '../..')
const DESTINATIONS_DIR = path.join(path.dirname(require.resolve('@jlp/destinations')), 'destinations')
/** The name the bundle's module scope is kept under; the handlers call through it. */
const GLOBAL_NAME = '__jlpFunction'

/** Node built-ins the runtime exposes as globals; every other built-in is absent (an empty module). */
const BUILTIN_GLOBALS: Record<string, string> = {
  crypto: 'module.exports = globalThis.crypto',
  https: 'module.exports = globalThis.https',
  buffer: 'module.exports = { Buffer: globalThis.Buffer }'
}
const NODE_BUILTINS = new Set(require('module').builtinModules as string[])

const isOwnSource = (file: string) =>
  file.startsWith(PACKAGES_DIR + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)

/** What the bundle's modules import: the runtime's fetch, our EventEmitter and process, and stand-ins for Node. */
function functionRuntimePlugin(): Plugin {
  return {
    name: 'jlp-function-runtime',
    setup(b) {
      b.onResolve({ filter: /^(cross-fetch|node-fetch)$/ }, () => ({ path: path.join(RUNTIME_DIR, 'fetch.ts') }))
      b.onResolve({ filter: /^(node:)?events$/ }, () => ({ path: path.join(RUNTIME_DIR, 'events.ts') }))
      b.onResolve({ filter: /^(node:)?[a-z_0-9/]+$/ }, (args) => {
        const name = args.path.replace(/^node:/, '')
        if (!NODE_BUILTINS.has(name)) return undefined
        return { path: name, namespace: 'node-builtin', sideEffects: false }
      })
      // Our packages define values at import time and do nothing else, so a module none of whose exports the
      // Function uses (the tracking plan's export tool, samples, generator) is left out, with its fs/path use.
      b.onResolve({ filter: /^(@jlp\/|\.)/ }, async (args) => {
        if (args.pluginData === 'own-package' || args.namespace !== 'file') return undefined
        if (!args.path.startsWith('@jlp/') && !isOwnSource(args.importer)) return undefined
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'own-package'
        })
        if (resolved.errors.length > 0 || !isOwnSource(resolved.path)) return undefined
        return { path: resolved.path, sideEffects: false }
      })
      b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
        contents: BUILTIN_GLOBALS[args.path] ?? 'module.exports = {}',
        loader: 'js'
      }))
    }
  }
}

/** The destination's vendor client modules: its `*-client` folders with an index. */
function clientModules(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.endsWith('-client'))
    .map((d) => path.join(folder, d.name))
    .filter((dir) => fs.existsSync(path.join(dir, 'index.ts')))
}

export interface BuildOptions {
  /** Write `<key>.js` here too (e.g. dist/functions). */
  outDir?: string
  /** Minify (default false: readable in Segment's editor, and a deploy's diff means something). Names are kept
   * either way: error mapping reads error class names. */
  minify?: boolean
}

export interface BuiltFunction {
  destination: string
  displayName: string
  description: string
  code: string
  bytes: number
  settings: FunctionSetting[]
  /** Node built-ins that bundled modules import but a Function does not have (they get empty modules). */
  absentBuiltins: string[]
  file?: string
  metafile: Metafile
}

export async function buildFunction(key: string, options: BuildOptions = {}): Promise<BuiltFunction> {
  const def = destinations[key]
  if (!def) throw new Error(`Unknown destination "${key}". Known: ${Object.keys(destinations).join(', ')}.`)
  const folder = path.join(DESTINATIONS_DIR, key)
  const settings = functionSettings(def)
  const clients = clientModules(folder)
  const handlers = HANDLER_NAMES.map(
    (name) => `async function ${name}(event, settings) {\n  return ${GLOBAL_NAME}.handlers.${name}(event, settings)\n}`
  ).join('\n')
  const result = await build({
    stdin: {
      contents: [
        `import definition from ${JSON.stringify(folder)}`,
        ...clients.map((dir, i) => `import * as client${i} from ${JSON.stringify(dir)}`),
        `import { functionHandlers } from './entry'`,
        `export const handlers = functionHandlers(definition, [${clients.map((_, i) => `client${i}`).join(', ')}])`
      ].join('\n'),
      resolveDir: RUNTIME_DIR,
      sourcefile: `${key}-function.ts`,
      loader: 'ts'
    },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: GLOBAL_NAME,
    target: 'node20',
    minify: options.minify ?? false,
    keepNames: true,
    legalComments: 'eof',
    inject: [path.join(RUNTIME_DIR, 'process.ts')],
    define: { 'globalThis.process': 'process' },
    banner: {
      js: `// ${def.name}: a Segment Destination Function built from @jlp/destinations (${key}) by \`npm run bundle\`. Rebuild rather than edit.`
    },
    footer: { js: handlers },
    plugins: [functionRuntimePlugin()],
    metafile: true,
    logLevel: 'silent'
  })
  const code = result.outputFiles[0].text
  const bundled = Object.keys(Object.values(result.metafile.outputs)[0].inputs)
  const built: BuiltFunction = {
    destination: key,
    displayName: def.name,
    description: def.description ?? '',
    code,
    bytes: Buffer.byteLength(code, 'utf8'),
    settings,
    absentBuiltins: bundled
      .filter((f) => f.startsWith('node-builtin:') && !(f.slice(13) in BUILTIN_GLOBALS))
      .map((f) => f.slice(13))
      .sort(),
    metafile: result.metafile
  }
  if (options.outDir) {
    fs.mkdirSync(options.outDir, { recursive: true })
    built.file = path.join(options.outDir, `${key}.js`)
    fs.writeFileSync(built.file, code)
  }
  return built
}
