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

/** JSON of anything (errors with their own properties, cycles cut), for scanning what an object would show. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet()
  return (
    JSON.stringify(value, function (_key, v) {
      if (v instanceof Error) {
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
