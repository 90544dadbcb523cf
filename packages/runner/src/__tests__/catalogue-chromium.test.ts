// The HTML catalogue a CSM opens: loaded in headless Chromium, every preset must be on the page.
import { destinations } from '@jlp/destinations'
import { execFileSync } from 'child_process'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { catalogueHtml, describeDestinations } from '../catalogue'
import { fixture } from './fixture'

const INSTALL = 'install it with `apt-get update && apt-get install -y chromium` (Debian) or set CHROMIUM to its path'

function chromium(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean
  ) as string[]
  const found = candidates.find((c) => fs.existsSync(c))
  if (!found)
    throw new Error(
      `Headless Chromium is needed for this test and was not found (${candidates.join(', ')}): ${INSTALL}`
    )
  return found
}

/** The DOM after the page loaded and ran its script, as Chromium serialises it. */
function dumpDom(file: string): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-chromium-'))
  try {
    return execFileSync(
      chromium(),
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        `file://${file}`
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }
    )
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
}

const text = (dom: string) =>
  dom
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')

const presetRows = (dom: string) => (dom.match(/<tr data-preset=/g) ?? []).length

it('the committed docs/catalogue.html opens in Chromium, its script runs, and every preset of every destination is on it', () => {
  const file = path.join(__dirname, '..', '..', '..', '..', 'docs', 'catalogue.html')
  expect(fs.existsSync(file)).toBe(true)
  const dom = dumpDom(file)
  expect(dom).toMatch(/<html[^>]* data-ready="yes"/)
  const page = text(dom)
  const presets = Object.values(destinations).flatMap((d) => (d.presets ?? []).map((p) => p.name as string))
  for (const name of presets) expect(page).toContain(name)
  expect(presetRows(dom)).toBe(presets.length)
  for (const d of Object.values(destinations)) expect(page).toContain(d.name)
})

it('a catalogue with awkward names still shows every preset', () => {
  const awkward = {
    ...fixture,
    presets: [...fixture.presets!, { ...fixture.presets![0], name: "Signups <b>& “friends”</b> 'quoted'" }]
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-catalogue-'))
  const file = path.join(dir, 'catalogue.html')
  fs.writeFileSync(file, catalogueHtml(describeDestinations({ fixture: awkward }, () => undefined)))
  const dom = dumpDom(file)
  const page = text(dom)
  for (const p of awkward.presets) expect(page).toContain(p.name)
  expect(presetRows(dom)).toBe(3)
  expect(dom).not.toContain('<b>&')
})
