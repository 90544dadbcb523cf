// Plain HTTP clients for the sandbox in tests (global fetch: no framework in between).
import { startSandbox, type Sandbox, type SandboxOptions } from '..'

export interface Answer<T = any> {
  status: number
  body: T
  headers: Headers
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // CSV or plain text stays text
  }
  return { status: res.status, body, headers: res.headers }
}

/** Salesforce REST client: call('POST', '/sobjects/Lead', {...}) against /services/data/<version>. */
export function salesforceClient(sandbox: Sandbox, opts: { version?: string; token?: string } = {}) {
  const token = opts.token ?? sandbox.salesforce.accessToken()
  const version = opts.version ?? 'v62.0'
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
    fetch(`${sandbox.url}/services/data/${version}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    }).then(answer)
}

/** Ortto client; `key` null sends no X-Api-Key. */
export function orttoClient(sandbox: Sandbox, key: string | null = sandbox.ortto.apiKey) {
  return (path: string, body: unknown, method = 'POST'): Promise<Answer> =>
    fetch(`${sandbox.ortto.url}/v1/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(key ? { 'X-Api-Key': key } : {}) },
      body: JSON.stringify(body)
    }).then(answer)
}

export function tokenRequest(sandbox: Sandbox, form: Record<string, string>): Promise<Answer> {
  return fetch(sandbox.salesforce.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString()
  }).then(answer)
}

/** SOQL string literal escaping as Salesforce documents it (for building test queries). */
export const soqlString = (value: string) =>
  `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => `\\${({ '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f' } as Record<string, string>)[c] ?? c}`)}'`

/** A sandbox for one test file: started before all, reset before each, stopped after all. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined
  beforeAll(async () => {
    sandbox = await startSandbox(options)
  })
  beforeEach(() => sandbox!.reset())
  afterAll(async () => {
    await sandbox?.stop()
  })
  return () => sandbox!
}
