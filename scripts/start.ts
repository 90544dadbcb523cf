// `npm start`: the sample supporter journeys through every destination on the sandbox, then the report.
// Options: `npm start -- --help`. The logic lives in @jlp/runner (startCommand).
import { runCli, startCommand } from '@jlp/runner'
import { processConsole, realContext } from '@jlp/runner/src/context'

runCli(() => startCommand(process.argv.slice(2), realContext()), processConsole, 'npm start').then((code) => {
  process.exitCode = code
})
