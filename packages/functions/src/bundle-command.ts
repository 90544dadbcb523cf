// `npm run bundle`: build every destination (or the chosen ones) into dist/functions/<key>.js and print sizes.
import * as path from 'path'
import { chooseDestinations, listOption, parseOptions, UsageError, type Console } from '@jlp/runner'
import { destinations } from '@jlp/destinations'
import { buildFunction, MAX_BUNDLE_BYTES } from './build'

export const DEFAULT_BUNDLE_DIR = path.join('dist', 'functions')

export const BUNDLE_USAGE = `usage: npm run bundle -- [--destination <key>] [--out-dir <dir>] [--minify]

Builds each destination (default: all) into one Segment Destination Function script.

  --destination <key>  jlp-salesforce, jlp-ortto (repeat or comma-separate; default: all)
  --out-dir <dir>      where <key>.js goes (default: ${DEFAULT_BUNDLE_DIR})
  --minify             minify (smaller, but unreadable in Segment's editor)`

export async function bundleCommand(argv: string[], console: Console): Promise<number> {
  const opts = parseOptions(
    argv,
    { destination: { type: 'string', multiple: true }, 'out-dir': { type: 'string' }, minify: { type: 'boolean' } },
    BUNDLE_USAGE
  )
  if (opts.help) {
    console.out(BUNDLE_USAGE)
    return 0
  }
  const outDir = (opts['out-dir'] as string | undefined) ?? DEFAULT_BUNDLE_DIR
  for (const key of chooseDestinations(destinations, listOption(opts.destination))) {
    const built = await buildFunction(key, { outDir, minify: Boolean(opts.minify) })
    const size = `${(built.bytes / 1024).toFixed(0)} kB`
    if (built.bytes > MAX_BUNDLE_BYTES) {
      throw new UsageError(`${key} bundles to ${size}, over the ${(MAX_BUNDLE_BYTES / 1024).toFixed(0)} kB limit.`)
    }
    const absent = built.absentBuiltins.length > 0 ? `; no-op stand-ins for ${built.absentBuiltins.join(', ')}` : ''
    console.out(`${key}: ${built.file} (${size}, ${built.settings.length} settings${absent})`)
  }
  return 0
}
