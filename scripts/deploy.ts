// `npm run deploy`: build, diff against the deployed Function, then create or update it through the Segment
// Public API (a dry run writing the request bodies when no token is set). Options: `npm run deploy -- --help`.
// The logic lives in @jlp/functions (deployCommand).
import { runCli } from '@jlp/runner'
import { deployCommand } from '@jlp/functions'

const console = {
  out: (t: string) => process.stdout.write(`${t}\n`),
  err: (t: string) => process.stderr.write(`${t}\n`)
}

runCli(() => deployCommand(process.argv.slice(2), { env: process.env, console }), console, 'npm run deploy').then(
  (code) => {
    process.exitCode = code
  }
)
