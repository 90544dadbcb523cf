// HTTPS for clients that insist on https://….salesforce.com instance URLs (the official Salesforce destination
// validates its instanceUrl against that pattern). The sandbox can listen with a local self-signed certificate,
// and routeHostsToSandbox() makes this process's https requests for chosen host names reach that listener,
// trusting the certificate for those requests only: what DNS and a public CA do for a real org.
import { readFileSync } from 'fs'
import https from 'https'
import path from 'path'

const dir = path.join(__dirname, 'tls')

/** The sandbox's self-signed certificate (PEM) and key: local testing only, the key is public on purpose. */
export const SANDBOX_TLS = {
  cert: readFileSync(path.join(dir, 'sandbox-cert.pem'), 'utf8'),
  key: readFileSync(path.join(dir, 'sandbox-key.pem'), 'utf8')
}

export const DEFAULT_SALESFORCE_HOSTS = ['jlp-sandbox.my.salesforce.com', 'login.salesforce.com', 'test.salesforce.com']

export interface HostRouting {
  /** https://<first host name>: an instance URL a strict client accepts, served by the sandbox. */
  instanceUrl: string
  /** Put https.request / https.get back as they were. */
  restore(): void
}

type RequestArgs = unknown[]

/**
 * Route https requests for `hostnames` (any port) to the sandbox's HTTPS listener on 127.0.0.1:`httpsPort`, with
 * SNI and certificate checks for the original name against the sandbox certificate. Covers node's https.request
 * and https.get (node-fetch, actions-core), not the global fetch.
 */
export function routeHostsToSandbox(httpsPort: number, hostnames: string[] = DEFAULT_SALESFORCE_HOSTS): HostRouting {
  const names = new Set(hostnames.map((h) => h.toLowerCase()))
  const reroute = (args: RequestArgs): RequestArgs => {
    const [first, second, ...rest] = args
    const url = typeof first === 'string' || first instanceof URL ? new URL(String(first)) : undefined
    const hasOptions = url ? typeof second === 'object' && second !== null : true
    const options = ((url ? (hasOptions ? second : {}) : first) ?? {}) as https.RequestOptions
    const tail = url ? (hasOptions ? rest : [second, ...rest]) : [second, ...rest]
    const hostname = (options.hostname ?? options.host?.replace(/:\d+$/, '') ?? url?.hostname ?? '').toLowerCase()
    if (!names.has(hostname)) return args
    const target: https.RequestOptions = {
      protocol: 'https:',
      method: options.method ?? 'GET',
      path: options.path ?? (url ? url.pathname + url.search : '/'),
      headers: options.headers,
      agent: options.agent,
      timeout: options.timeout,
      signal: options.signal,
      hostname: '127.0.0.1',
      port: httpsPort,
      servername: hostname,
      ca: SANDBOX_TLS.cert
    }
    return [target, ...tail.filter((a) => a !== undefined)]
  }
  const original = { request: https.request, get: https.get }
  const wrap = <F extends (...a: never[]) => unknown>(fn: F): F =>
    function (this: unknown, ...args: RequestArgs) {
      return (fn as unknown as (...a: RequestArgs) => unknown).apply(this, reroute(args))
    } as unknown as F
  https.request = wrap(original.request)
  https.get = wrap(original.get)
  return {
    instanceUrl: `https://${hostnames[0]}`,
    restore: () => {
      https.request = original.request
      https.get = original.get
    }
  }
}
