// `npm run replay -- --file events.ndjson | --generate N [--seed S] [--faults 0.2] …`: events through the presets,
// then the report and the sandbox audit. Options: `npm run replay -- --help`. Logic: @jlp/runner (replayCommand).
import { replayCommand, runCli } from '@jlp/runner'
import { processConsole, realContext } from '@jlp/runner/src/context'

runCli(() => replayCommand(process.argv.slice(2), realContext()), processConsole, 'replay').then((code) => {
  process.exitCode = code
})
