// `npm run tracking-plan:export [-- file] [--format config-api|public-api]`: writes the JLP tracking plan as
// Segment Protocols JSON (default dist/tracking-plan.json). The logic lives in @jlp/tracking-plan.
import { EXPORT_USAGE, exportTrackingPlan, parseExportArgs } from '@jlp/tracking-plan'
import * as path from 'path'

const argv = process.argv.slice(2)
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(EXPORT_USAGE)
} else {
  try {
    const options = parseExportArgs(argv)
    const result = exportTrackingPlan(options)
    const relative = path.relative(process.cwd(), result.path)
    const where = relative.startsWith('..') ? result.path : relative
    console.log(
      `tracking-plan: wrote ${where} (${options.format}, ${result.events} events + identify, ${result.bytes} bytes)`
    )
  } catch (err) {
    console.error(`tracking-plan: ${(err as Error).message}\n${EXPORT_USAGE}`)
    process.exitCode = 1
  }
}
