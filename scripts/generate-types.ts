// `npm run types` writes every generated-types.ts; `npm run types:check` fails when one is missing or stale.
import { destinations } from '@jlp/destinations'
import * as fs from 'fs'
import * as path from 'path'
import { generatedFilesFor, staleFiles } from './lib/generate-types'

const DESTINATIONS_DIR = path.join(__dirname, '..', 'packages', 'destinations', 'src', 'destinations')

async function main(): Promise<void> {
  const check = process.argv.includes('--check')
  const files = (
    await Promise.all(
      Object.entries(destinations).map(([key, def]) => generatedFilesFor(path.join(DESTINATIONS_DIR, key), def))
    )
  ).flat()
  const stale = staleFiles(files)
  const rel = (f: string) => path.relative(process.cwd(), f)
  if (check) {
    if (stale.length > 0) {
      console.error(`types: ${stale.length} generated file(s) are stale — run \`npm run types\` and commit:`)
      for (const f of stale) console.error(`  ${rel(f)}`)
      process.exit(1)
    }
    console.log(`types: all ${files.length} generated files are current`)
    return
  }
  for (const f of files.filter((f) => stale.includes(f.file))) {
    fs.mkdirSync(path.dirname(f.file), { recursive: true })
    fs.writeFileSync(f.file, f.content)
    console.log(`wrote ${rel(f.file)}`)
  }
  console.log(`types: ${files.length} files, ${stale.length} updated`)
}

main().catch((err) => {
  console.error(`types: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
