// `npm run serve [-- --port 3000 --destination jlp-salesforce]`: the destinations over HTTP for curl or Segment's
// Actions Tester, with the sandbox as their upstream. Options: `npm run serve -- --help`. Logic: @jlp/runner.
import { runCli, serveCommand } from '@jlp/runner'
import { processConsole, realContext } from '@jlp/runner/src/context'

runCli(
  async () => {
    const serving = await serveCommand(process.argv.slice(2), realContext())
    if (typeof serving === 'number') return serving
    const stop = () => void serving.close().then(() => process.exit(0))
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    return 0
  },
  processConsole,
  'serve'
).then((code) => {
  process.exitCode = code
})
