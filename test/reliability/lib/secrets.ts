// Recognisable fake secrets, and a scanner that finds them (as they are, base64-encoded, URL-encoded, or a long
// enough piece of one) in any text: log lines, error messages, reports, snapshots, the sandbox's request log.
import * as fs from 'fs'
import * as path from 'path'

/** Every credential the destinations take, each unmistakable and unlike any other string in the repo. */
export const FAKE_SECRETS = {
  orttoApiKey: 'FAKESECRET-ortto-api-key-Qx7Wm2Zr9Tk4',
  salesforceAccessToken: '00DFAKESECRET!AQsfAccessTok3n.Vb8Ny5Lp1Hd6',
  salesforceRefreshToken: 'FAKESECRET-sf-refresh-5Cq8Rt2Jw7Ek',
  salesforceClientId: 'FAKESECRET-sf-client-id-3MVG9Ua7Xs0Pd',
  salesforceClientSecret: 'FAKESECRET-sf-client-secret-Gh4Kz1Yv8Bn'
} as const

export type SecretName = keyof typeof FAKE_SECRETS

/** Credentials the sandbox refuses (for the wrong-credentials run): as recognisable, and scanned for too. */
export const WRONG_SECRETS = {
  wrongOrttoApiKey: 'FAKESECRET-wrong-ortto-key-Ld3Hs8Vq1Zc6',
  wrongSalesforceRefreshToken: 'FAKESECRET-wrong-sf-refresh-Pn5Xb2Wt9Gm',
  wrongSalesforceClientSecret: 'FAKESECRET-wrong-sf-secret-Ry7Ck4Jf0Ua'
} as const

/** The forms a secret can leak in. */
export function secretForms(secret: string): Array<[form: string, text: string]> {
  const middle = secret.slice(Math.floor(secret.length / 4), Math.floor(secret.length / 4) + 14)
  return [
    ['as is', secret],
    ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
    ['URL-encoded', encodeURIComponent(secret)],
    ['a 14-character piece', middle]
  ]
}

export interface Leak {
  secret: string
  form: string
  where: string
  /** The text around it, with the secret masked. */
  context: string
}

/** Every leak of a fake secret in `text`; `where` names the source (e.g. "stdout", "error message"). */
export function findLeaks(text: string, where: string, secrets: Record<string, string> = FAKE_SECRETS): Leak[] {
  const leaks: Leak[] = []
  for (const [name, secret] of Object.entries(secrets)) {
    for (const [form, needle] of secretForms(secret)) {
      const at = text.indexOf(needle)
      if (at === -1) continue
      const context = text
        .slice(Math.max(0, at - 60), at + needle.length + 60)
        .split(needle)
        .join(`<${name}>`)
      leaks.push({ secret: name, form, where, context })
      break
    }
  }
  return leaks
}

/** Texts a run produced (log lines, errors, reports, request logs, files), scanned at the end — so that access
 * tokens issued during the run can be added to the secrets first. */
export class SecretScan {
  private readonly texts: Array<{ where: string; text: string }> = []
  readonly secrets: Record<string, string>

  constructor(secrets: Record<string, string>) {
    this.secrets = { ...secrets }
  }

  add(where: string, text: string): void {
    this.texts.push({ where, text })
  }

  /** A secret learnt during the run (e.g. an access token the vendor issued). */
  addSecret(name: string, value: string): void {
    if (value && !Object.values(this.secrets).includes(value))
      this.secrets[`${name} ${Object.keys(this.secrets).length}`] = value
  }

  leaks(): Leak[] {
    return this.texts.flatMap(({ where, text }) => findLeaks(text, where, this.secrets))
  }

  /** How much was scanned: texts by source, lines and bytes. */
  totals(): { sources: Record<string, number>; texts: number; lines: number; bytes: number } {
    const sources: Record<string, number> = {}
    let lines = 0
    let bytes = 0
    for (const { where, text } of this.texts) {
      sources[where] = (sources[where] ?? 0) + 1
      lines += text.split('\n').length
      bytes += Buffer.byteLength(text)
    }
    return { sources, texts: this.texts.length, lines, bytes }
  }
}

/** Everything written to stdout, stderr and console while `fn` runs (still passed through when `echo`). */
export async function captureOutput<T>(fn: () => Promise<T>, echo = false): Promise<{ value: T; text: string }> {
  const chunks: string[] = []
  const streams = [process.stdout, process.stderr] as const
  const writes = streams.map((s) => s.write.bind(s))
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const
  const originals = methods.map((m) => console[m])
  streams.forEach((s, i) => {
    s.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(String(chunk))
      return echo ? (writes[i] as (...a: unknown[]) => boolean)(chunk, ...rest) : true
    }) as typeof s.write
  })
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      chunks.push(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '))
      if (echo) originals[i](...args)
    }
  })
  try {
    const value = await fn()
    return { value, text: chunks.join('\n') }
  } finally {
    streams.forEach((s, i) => (s.write = writes[i] as typeof s.write))
    methods.forEach((m, i) => (console[m] = originals[i]))
  }
}

/** An Error, from this realm or another (a Function bundle's vm context has its own Error). */
export const isError = (value: unknown): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]'

/** JSON of anything (errors with their own properties, cycles cut), for scanning what an object would show. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet()
  return (
    JSON.stringify(value, function (_key, v) {
      if (isError(v)) {
        return Object.fromEntries([['name', v.name], ['message', v.message], ...Object.entries(v)])
      }
      if (v && typeof v === 'object') {
        if (seen.has(v)) return '[cycle]'
        seen.add(v)
      }
      return typeof v === 'bigint' ? String(v) : v
    }) ?? String(value)
  )
}

/** Files under `root` whose names match `pattern` (skipping node_modules, .git and dist). */
export function filesUnder(root: string, pattern: RegExp): string[] {
  if (!fs.existsSync(root)) return []
  const out: string[] = []
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (['node_modules', '.git', 'dist'].includes(entry.name)) continue
    const full = path.join(root, entry.name)
    if (entry.isDirectory()) out.push(...filesUnder(full, pattern))
    else if (pattern.test(entry.name)) out.push(full)
  }
  return out
}
