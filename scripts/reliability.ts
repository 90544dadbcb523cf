// `npm run test:reliability`: the reliability suite at full size — 2,000 generated events through both destinations
// with 20% faults (exactly-once), 10,000 fuzz cases, the secrets scan — printing its figures. `npm test` runs the same
// suite at CI size. Sizes and seed can be set: RELIABILITY_EVENTS, RELIABILITY_FUZZ_RUNS, RELIABILITY_SEED.
import { spawnSync } from 'child_process'
import * as path from 'path'

const root = path.resolve(__dirname, '..')
const env = {
  ...process.env,
  RELIABILITY_EVENTS: process.env.RELIABILITY_EVENTS ?? '2000',
  RELIABILITY_FUZZ_RUNS: process.env.RELIABILITY_FUZZ_RUNS ?? '10000'
}
console.log(
  `reliability suite: ${env.RELIABILITY_EVENTS} events with 20% faults, ${env.RELIABILITY_FUZZ_RUNS} fuzz cases` +
    (process.env.RELIABILITY_SEED ? `, seed ${process.env.RELIABILITY_SEED}` : '')
)
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js')
const result = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    jest,
    // A path pattern (it only matches files of the e2e project).
    'test/reliability/',
    ...process.argv.slice(2)
  ],
  { cwd: root, env, stdio: 'inherit' }
)
process.exit(result.status ?? 1)
