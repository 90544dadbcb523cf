// `npm run bundle`: each destination as one Segment Destination Function script in dist/functions/.
// Options: `npm run bundle -- --help`. The logic lives in @jlp/functions (bundleCommand).
import { runCli } from '@jlp/runner'
import { bundleCommand } from '@jlp/functions'

const console = {
  out: (t: string) => process.stdout.write(`${t}\n`),
  err: (t: string) => process.stderr.write(`${t}\n`)
}

runCli(() => bundleCommand(process.argv.slice(2), console), console, 'npm run bundle').then((code) => {
  process.exitCode = code
})
