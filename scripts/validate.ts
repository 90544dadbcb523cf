// `npm run validate`: static checks over every destination in the registry. Exits 1 listing every problem.
import { destinations } from '@jlp/destinations'
import { validateDestination } from './lib/validate-definitions'

const problems = Object.entries(destinations).flatMap(([key, def]) => validateDestination(key, def))
const counts = Object.entries(destinations).map(
  ([key, def]) => `${key}: ${Object.keys(def.actions).length} actions, ${(def.presets ?? []).length} presets`
)
if (problems.length > 0) {
  for (const p of problems) console.error(`✗ ${p.where}: ${p.message}`)
  console.error(`\nvalidate: ${problems.length} problem(s) found`)
  process.exit(1)
}
console.log(`validate: ok (${counts.join('; ')})`)
