// What a deploy would change: the code as a short line diff, the settings setting by setting.
import type { FunctionSetting } from '../settings'

export interface CodeDiff {
  added: number
  removed: number
  /** Unified-style lines (`+`, `-`, ` ` context, `@@` between hunks), at most `maxLines`. */
  lines: string[]
  truncated: number
}

const CONTEXT = 2
/** Above this many cells the middle section is reported as replaced rather than aligned. */
const MAX_CELLS = 4_000_000

type Op = { kind: ' ' | '-' | '+'; text: string }

/** Longest-common-subsequence alignment of two (already trimmed) line lists. */
function align(a: string[], b: string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text): Op => ({ kind: '-', text })), ...b.map((text): Op => ({ kind: '+', text }))]
  }
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
    }
  }
  const ops: Op[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i++] })
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', text: a[i++] })
    } else {
      ops.push({ kind: '+', text: b[j++] })
    }
  }
  return ops
}

const clip = (line: string) => (line.length > 160 ? `${line.slice(0, 157)}...` : line)

export function diffCode(before: string, after: string, maxLines = 60): CodeDiff {
  const a = before.split('\n')
  const b = after.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  const ops: Op[] = [
    ...a.slice(0, start).map((text): Op => ({ kind: ' ', text })),
    ...align(a.slice(start, a.length - end), b.slice(start, b.length - end)),
    ...a.slice(a.length - end).map((text): Op => ({ kind: ' ', text }))
  ]
  const changed = ops.map((op, k) => (op.kind === ' ' ? -1 : k)).filter((k) => k >= 0)
  const shown = new Set(changed.flatMap((k) => Array.from({ length: 2 * CONTEXT + 1 }, (_, d) => k - CONTEXT + d)))
  const out: string[] = []
  let previous = -2
  ops.forEach((op, k) => {
    if (!shown.has(k)) return
    if (k !== previous + 1) out.push(`@@ line ${ops.slice(0, k).filter((o) => o.kind !== '+').length + 1} @@`)
    out.push(`${op.kind}${clip(op.text)}`)
    previous = k
  })
  return {
    added: ops.filter((o) => o.kind === '+').length,
    removed: ops.filter((o) => o.kind === '-').length,
    lines: out.slice(0, maxLines),
    truncated: Math.max(0, out.length - maxLines)
  }
}

export interface SettingsDiff {
  added: string[]
  removed: string[]
  /** name → the properties that differ, e.g. ['description', 'required']. */
  changed: Record<string, string[]>
}

const PROPS: Array<keyof FunctionSetting> = ['label', 'description', 'type', 'required', 'sensitive']

export function diffSettings(before: readonly FunctionSetting[], after: readonly FunctionSetting[]): SettingsDiff {
  const old = new Map(before.map((s) => [s.name, s]))
  const now = new Map(after.map((s) => [s.name, s]))
  const changed: Record<string, string[]> = {}
  for (const [name, setting] of now) {
    const was = old.get(name)
    if (!was) continue
    const props = PROPS.filter((p) => (was[p] ?? '') !== (setting[p] ?? ''))
    if (props.length > 0) changed[name] = props
  }
  return {
    added: [...now.keys()].filter((n) => !old.has(n)),
    removed: [...old.keys()].filter((n) => !now.has(n)),
    changed
  }
}

export const settingsUnchanged = (d: SettingsDiff) =>
  d.added.length === 0 && d.removed.length === 0 && Object.keys(d.changed).length === 0
