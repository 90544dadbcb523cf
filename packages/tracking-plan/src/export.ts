// Writing the tracking plan to a JSON file (used by `npm run tracking-plan:export`).
import * as fs from 'fs'
import * as path from 'path'
import { toProtocolsTrackingPlan, toPublicApiRules } from './protocols'

export const EXPORT_FORMATS = ['config-api', 'public-api'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const DEFAULT_EXPORT_PATH = path.join('dist', 'tracking-plan.json')

export type ExportOptions = { out: string; format: ExportFormat }

export const EXPORT_USAGE =
  'usage: npm run tracking-plan:export -- [file] [--format config-api|public-api]\n' +
  `  file      where to write (default ${DEFAULT_EXPORT_PATH})\n` +
  '  --format  config-api: { display_name, rules: { global, events, identify, group } } (default)\n' +
  '            public-api: { rules: [{ type, key, version, jsonSchema }] }'

/** Parse the script's arguments; a RangeError carries a message for the person who ran it. */
export function parseExportArgs(argv: readonly string[]): ExportOptions {
  let out: string | undefined
  let format: ExportFormat = 'config-api'
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice('--format='.length) : argv[++i]
      if (!EXPORT_FORMATS.includes(value as ExportFormat)) {
        throw new RangeError(`--format must be ${EXPORT_FORMATS.join(' or ')} (got ${value ?? 'nothing'})`)
      }
      format = value as ExportFormat
    } else if (arg.startsWith('-')) throw new RangeError(`unknown option ${arg}`)
    else if (out === undefined) out = arg
    else throw new RangeError(`one output file only (got ${out} and ${arg})`)
  }
  return { out: out ?? DEFAULT_EXPORT_PATH, format }
}

export function trackingPlanDocument(format: ExportFormat): object {
  return format === 'public-api' ? { rules: toPublicApiRules() } : toProtocolsTrackingPlan()
}

/** Write the plan (creating folders as needed); returns the absolute path and what it holds. */
export function exportTrackingPlan(options: ExportOptions): { path: string; events: number; bytes: number } {
  const file = path.resolve(options.out)
  const text = `${JSON.stringify(trackingPlanDocument(options.format), null, 2)}\n`
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  return { path: file, events: toProtocolsTrackingPlan().rules.events.length, bytes: Buffer.byteLength(text) }
}
