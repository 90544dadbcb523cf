// `npm run docs` writes the preset catalogue (docs/presets.md, docs/catalogue.html) from the definitions;
// `npm run docs:check` fails when the committed catalogue is stale.
import { destinations } from '@jlp/destinations'
import { catalogueFiles, describeDestinations } from '@jlp/runner'
import * as fs from 'fs'
import * as path from 'path'
import { staleFiles } from './lib/generate-types'

const files = catalogueFiles(path.join(__dirname, '..', 'docs'), describeDestinations(destinations))
const stale = staleFiles(files)
const rel = (f: string) => path.relative(process.cwd(), f)

if (process.argv.includes('--check')) {
  if (stale.length > 0) {
    console.error(`docs: the preset catalogue is stale — run \`npm run docs\` and commit:`)
    for (const f of stale) console.error(`  ${rel(f)}`)
    process.exit(1)
  }
  console.log(`docs: the preset catalogue is current (${files.map((f) => rel(f.file)).join(', ')})`)
} else {
  for (const f of files.filter((f) => stale.includes(f.file))) {
    fs.mkdirSync(path.dirname(f.file), { recursive: true })
    fs.writeFileSync(f.file, f.content)
    console.log(`wrote ${rel(f.file)}`)
  }
  console.log(`docs: ${files.length} files, ${stale.length} updated — open docs/catalogue.html in a browser`)
}
