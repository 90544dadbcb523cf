// The preset catalogue a customer-success manager reads: generated from the definitions, never by hand.
// For each destination: its presets (trigger in words, action, mapping), its actions (fields, default
// mappings, descriptions, the vendor objects they touch) and its settings with the variables for live runs.
//
// Objects an action touches come from the convention `export const touches: Touches = {...}` in the
// action's index.ts, keyed by the object names its outcomes use (TouchedRecord.object).
import type { DestinationDefinition, MinimalInputField } from '@segment/actions-core'
import * as path from 'path'
import { presetNeeds } from './presets'
import { settingVariables } from './targets'
import { fqlInWords, mappingInWords } from './words'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

/** Object name (as in TouchedRecord.object) → how the action touches it, in a CSM's words. */
export type Touches = Readonly<Record<string, string>>

export interface CatalogueAction {
  key: string
  title: string
  description: string
  batch: boolean
  touches?: Touches
  fields: Array<{ key: string; label: string; type: string; required: boolean; default: string; description: string }>
}

export interface CataloguePreset {
  name: string
  trigger: string
  fql: string
  action: string
  actionTitle: string
  /** Required fields the preset leaves empty: whoever enables it must fill them in. */
  needs: string[]
  /** Every field the preset maps; `own` marks those that differ from the action's default mapping. */
  mapping: Array<{ field: string; label: string; source: string; description: string; own: boolean }>
}

export interface CatalogueDestination {
  key: string
  name: string
  description: string
  presets: CataloguePreset[]
  actions: CatalogueAction[]
  settings: ReturnType<typeof settingVariables>
}

/** Reads `touches` exported next to each action of the registry's destinations (folder = action key). */
export function touchesFromModules(destinationsDir: string) {
  return (destinationKey: string, actionKey: string): Touches | undefined => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(destinationsDir, destinationKey, actionKey)) as { touches?: Touches }
      return mod.touches
    } catch (err) {
      if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined
      throw err
    }
  }
}

/** The folder holding `<destination>/<action>/index.ts` in @jlp/destinations. */
export const DESTINATIONS_DIR = path.join(path.dirname(require.resolve('@jlp/destinations')), 'destinations')

const typeOf = (f: MinimalInputField) => `${f.type}${f.multiple ? '[]' : ''}`

export function describeDestinations(
  destinations: Record<string, AnyDestination>,
  touchesFor: (destinationKey: string, actionKey: string) => Touches | undefined = touchesFromModules(DESTINATIONS_DIR)
): CatalogueDestination[] {
  return Object.entries(destinations).map(([key, def]) => ({
    key,
    name: def.name,
    description: def.description ?? '',
    settings: settingVariables(key, def),
    presets: (def.presets ?? []).flatMap((p) => {
      if (p.type !== 'automatic') return []
      const action = def.actions[p.partnerAction]
      return [
        {
          name: p.name ?? '',
          fql: p.subscribe,
          trigger: fqlInWords(p.subscribe),
          action: p.partnerAction,
          actionTitle: action?.title ?? p.partnerAction,
          needs: presetNeeds(def, p).map((field) => `${action.fields[field].label} (${field})`),
          mapping: Object.entries(p.mapping ?? {}).map(([field, value]) => ({
            field,
            label: action?.fields[field]?.label ?? field,
            source: mappingInWords(value),
            description: action?.fields[field]?.description ?? '',
            own: JSON.stringify(value) !== JSON.stringify(action?.fields[field]?.default)
          }))
        }
      ]
    }),
    actions: Object.entries(def.actions).map(([actionKey, action]) => ({
      key: actionKey,
      title: action.title,
      description: action.description,
      batch: Boolean(action.performBatch),
      touches: touchesFor(key, actionKey),
      fields: Object.entries(action.fields).map(([fieldKey, f]) => ({
        key: fieldKey,
        label: f.label,
        type: typeOf(f),
        required: Boolean(f.required),
        default: mappingInWords(f.default),
        description: f.description ?? ''
      }))
    }))
  }))
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const counts = (d: CatalogueDestination) =>
  `${plural(d.presets.length, 'preset')}, ${plural(d.actions.length, 'action')}`

const own = (p: CataloguePreset) => p.mapping.filter((m) => m.own)
const defaulted = (p: CataloguePreset) => p.mapping.length - own(p).length
const defaultsNote = (p: CataloguePreset) =>
  own(p).length === 0
    ? `the action's default mapping (${plural(p.mapping.length, 'field')})`
    : `${plural(defaulted(p), 'more field')} as the action's defaults`

const HEADER = 'Generated by `npm run docs` from the destination definitions. Do not edit by hand.'

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
const code = (s: string) => (s ? `\`${s.replace(/`/g, "'")}\`` : '')

function touchesText(touches: Touches | undefined): string {
  if (!touches || Object.keys(touches).length === 0) return 'not declared'
  return Object.entries(touches)
    .map(([object, how]) => `**${object}** — ${how}`)
    .join('; ')
}

export function catalogueMarkdown(catalogue: readonly CatalogueDestination[]): string {
  const out: string[] = ['# JLP preset catalogue', '', HEADER, '']
  out.push(
    'A preset sends one kind of JLP event to one action with a ready-made mapping. Pick presets per destination;',
    'change a mapping only when your org stores things differently. A preset marked **You fill in** needs a value',
    'before it runs: in Segment you enter it when you enable the preset; locally pass `--fill <field>=<value>`.',
    ''
  )
  for (const d of catalogue) {
    out.push(`- [${d.name}](#${d.key}) — ${counts(d)}`)
  }
  for (const d of catalogue) {
    out.push('', `<a id="${d.key}"></a>`, '', `## ${d.name} (\`${d.key}\`)`, '', d.description, '', '### Presets', '')
    if (d.presets.length === 0) out.push('No presets yet.')
    else {
      out.push('| Preset | Fires on | Action | Mapping |', '| --- | --- | --- | --- |')
      for (const p of d.presets) {
        const mapping = [
          ...p.needs.map((n) => `**You fill in:** ${n}`),
          ...own(p).map((m) => `${m.label} ← ${code(m.source)}`),
          ...(defaulted(p) > 0 ? [defaultsNote(p)] : [])
        ].join('<br>')
        out.push(
          `| ${cell(p.name)} | ${cell(p.trigger)} | ${cell(p.actionTitle)} (\`${p.action}\`) | ${cell(mapping)} |`
        )
      }
    }
    out.push('', '### Actions')
    for (const a of d.actions) {
      out.push('', `#### ${a.title} (\`${a.key}\`)`, '', a.description, '')
      out.push(`Touches: ${touchesText(a.touches)}. Batches: ${a.batch ? 'yes' : 'no'}.`, '')
      out.push('| Field | Type | Required | Default mapping | Description |', '| --- | --- | --- | --- | --- |')
      for (const f of a.fields) {
        out.push(
          `| ${cell(f.label)} (\`${f.key}\`) | ${f.type} | ${f.required ? 'yes' : 'no'} | ${cell(code(f.default))} | ${cell(f.description)} |`
        )
      }
    }
    if (d.actions.length === 0) out.push('', 'No actions yet.')
    out.push(
      '',
      '### Settings',
      '',
      'For live runs (`npm start -- --live`, `npm run replay -- --target live`) each setting comes from its variable.',
      ''
    )
    out.push('| Setting | Variable | Required | Description |', '| --- | --- | --- | --- |')
    for (const s of d.settings) {
      out.push(`| ${s.setting} | \`${s.variable}\` | ${s.required ? 'yes' : 'no'} | ${cell(s.description)} |`)
    }
  }
  return out.join('\n') + '\n'
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:1rem 2rem;color:#1c2333}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #dfe3ea;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #dfe3ea;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f5f9}code{background:#f3f5f9;padding:0 .2rem;border-radius:3px;font-size:90%}
.muted{color:#5b6478}.touches li{margin:.1rem 0}ul.mapping{margin:0;padding-left:1rem}
#filter{font-size:1rem;padding:.4rem .6rem;width:22rem;max-width:100%;margin:.5rem 0}
details{margin:.5rem 0 1rem}.needs{margin:0 0 .3rem;color:#8a4b00}summary{cursor:pointer;font-weight:600}`.trim()

// The page marks itself ready once its script ran (a test reads that from headless Chromium's DOM).
const SCRIPT = `
document.documentElement.setAttribute('data-ready', 'yes');
document.getElementById('filter').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('tr[data-preset]').forEach(function (row) {
    row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
  });
});`.trim()

export function catalogueHtml(catalogue: readonly CatalogueDestination[]): string {
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>JLP preset catalogue</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>JLP preset catalogue</h1>',
    `<p class="muted">${esc(HEADER.replace(/`/g, ''))}</p>`,
    '<p>A preset sends one kind of JLP event to one action with a ready-made mapping. Pick presets per destination; change a mapping only when your org stores things differently. A preset marked <em>You fill in</em> needs a value before it runs: in Segment you enter it when you enable the preset; locally pass <code>--fill &lt;field&gt;=&lt;value&gt;</code>.</p>',
    '<input id="filter" type="search" placeholder="Filter presets by event, action or field">',
    '<ul>',
    ...catalogue.map((d) => `<li><a href="#${esc(d.key)}">${esc(d.name)}</a> — ${counts(d)}</li>`),
    '</ul>'
  ]
  for (const d of catalogue) {
    out.push(
      `<section id="${esc(d.key)}"><h2>${esc(d.name)} <code>${esc(d.key)}</code></h2><p>${esc(d.description)}</p>`
    )
    out.push('<h3>Presets</h3>')
    if (d.presets.length === 0) out.push('<p class="muted">No presets yet.</p>')
    else {
      out.push('<table><thead><tr><th>Preset</th><th>Fires on</th><th>Action</th><th>Mapping</th></tr></thead><tbody>')
      for (const p of d.presets) {
        const mapping =
          p.needs.map((n) => `<p class="needs">You fill in: <strong>${esc(n)}</strong></p>`).join('') +
          `<ul class="mapping">${own(p)
            .map((m) => `<li>${esc(m.label)} ← <code>${esc(m.source)}</code></li>`)
            .join('')}</ul>` +
          `<details><summary>All ${plural(p.mapping.length, 'field')}${defaulted(p) > 0 ? ` (${defaulted(p)} as the action's defaults)` : ''}</summary>` +
          `<table><tbody>${p.mapping
            .map(
              (m) =>
                `<tr><td>${esc(m.label)}</td><td><code>${esc(m.source)}</code></td><td>${esc(m.description)}</td></tr>`
            )
            .join('')}</tbody></table></details>`
        out.push(
          `<tr data-preset="${esc(p.name)}"><td><strong>${esc(p.name)}</strong></td>` +
            `<td>${esc(p.trigger)}<br><code class="muted">${esc(p.fql)}</code></td>` +
            `<td><a href="#${esc(`${d.key}-${p.action}`)}">${esc(p.actionTitle)}</a></td><td>${mapping}</td></tr>`
        )
      }
      out.push('</tbody></table>')
    }
    out.push('<h3>Actions</h3>')
    if (d.actions.length === 0) out.push('<p class="muted">No actions yet.</p>')
    for (const a of d.actions) {
      out.push(
        `<h4 id="${esc(`${d.key}-${a.key}`)}">${esc(a.title)} <code>${esc(a.key)}</code></h4><p>${esc(a.description)}</p>`
      )
      const touches =
        a.touches && Object.keys(a.touches).length > 0
          ? `<ul class="touches">${Object.entries(a.touches)
              .map(([o, how]) => `<li><strong>${esc(o)}</strong> — ${esc(how)}</li>`)
              .join('')}</ul>`
          : '<span class="muted">not declared</span>'
      out.push(`<p>Touches: ${touches}Batches: ${a.batch ? 'yes' : 'no'}</p>`)
      out.push(
        `<details><summary>${a.fields.length} fields</summary><table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Default mapping</th><th>Description</th></tr></thead><tbody>`
      )
      for (const f of a.fields) {
        out.push(
          `<tr><td>${esc(f.label)} <code>${esc(f.key)}</code></td><td>${esc(f.type)}</td><td>${f.required ? 'yes' : 'no'}</td>` +
            `<td>${f.default ? `<code>${esc(f.default)}</code>` : ''}</td><td>${esc(f.description)}</td></tr>`
        )
      }
      out.push('</tbody></table></details>')
    }
    out.push('<h3>Settings</h3><p>For live runs each setting comes from its environment variable.</p>')
    out.push(
      '<table><thead><tr><th>Setting</th><th>Variable</th><th>Required</th><th>Description</th></tr></thead><tbody>'
    )
    for (const s of d.settings) {
      out.push(
        `<tr><td>${esc(s.setting)}</td><td><code>${esc(s.variable)}</code></td><td>${s.required ? 'yes' : 'no'}</td><td>${esc(s.description)}</td></tr>`
      )
    }
    out.push('</tbody></table></section>')
  }
  out.push(`<script>${SCRIPT}</script>`, '</body></html>')
  return out.join('\n') + '\n'
}

export interface CatalogueFile {
  file: string
  content: string
}

/** The catalogue's files under `docsDir`: presets.md and catalogue.html. */
export function catalogueFiles(docsDir: string, catalogue: readonly CatalogueDestination[]): CatalogueFile[] {
  return [
    { file: path.join(docsDir, 'presets.md'), content: catalogueMarkdown(catalogue) },
    { file: path.join(docsDir, 'catalogue.html'), content: catalogueHtml(catalogue) }
  ]
}
