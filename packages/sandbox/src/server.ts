// The HTTP(S) front: reads a request, routes it to the Salesforce org (/services/…) or Ortto (/v1/…), applies
// faults (before the handler, or after it for lostResponse), writes the reply and the audit entry.
import type { IncomingMessage, ServerResponse } from 'http'
import type { Audit } from './audit'
import type { Clock } from './clock'
import type { FaultInjector, FaultKind, Vendor } from './faults'
import { reply, type Reply, type SandboxRequest } from './http'
import type { OrttoApi } from './ortto/api'
import { orttoError } from './ortto/api'
import { SalesforceOrg, endpointLabel } from './salesforce/org'
import type { RestResult } from './salesforce/route'

export interface ServerDeps {
  org: SalesforceOrg
  ortto: OrttoApi
  faults: FaultInjector
  audit: Audit
  clock: Clock
}

const MAX_BODY = 200 * 1024 * 1024

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(new Error('body too large'))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, r: Reply): void {
  const headers: Record<string, string> = { ...r.headers }
  let payload = ''
  if (r.text !== undefined) {
    payload = r.text
    headers['Content-Type'] = r.contentType ?? 'text/plain; charset=UTF-8'
  } else if (r.body !== undefined && r.status !== 204) {
    payload = JSON.stringify(r.body)
    headers['Content-Type'] = 'application/json;charset=UTF-8'
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload))
  res.writeHead(r.status, headers)
  res.end(payload)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const ANSWERING: ReadonlySet<FaultKind> = new Set([
  'unavailable',
  'rateLimited',
  'requestLimit',
  'lockRow',
  'invalidSession'
])

export function createHandler(deps: ServerDeps, tls: boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint()
    const at = new Date(deps.clock.now()).toISOString()
    const url = new URL(req.url ?? '/', 'http://sandbox')
    const method = (req.method ?? 'GET').toUpperCase()
    const vendor: Vendor = url.pathname.startsWith('/v1/') ? 'ortto' : 'salesforce'
    let body: string
    try {
      body = await readBody(req)
    } catch {
      req.socket.destroy()
      return
    }
    const request: SandboxRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      origin: `${tls ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}`
    }
    const audit = (status: number, endpoint: string, cost: number, fault?: FaultKind) =>
      deps.audit.add({
        at,
        vendor,
        method,
        path: url.pathname,
        endpoint,
        status,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        cost,
        ...(fault ? { fault } : {})
      })
    const isAuth = SalesforceOrg.isAuthPath(url.pathname)
    let fault = deps.faults.decide({ vendor, method, path: url.pathname, auth: isAuth })
    if (fault && ANSWERING.has(fault)) {
      const answer = deps.faults.answer(fault, vendor)
      if (answer) {
        const limit = vendor === 'salesforce' ? deps.org.options.dailyApiLimit : 0
        const headers: Record<string, string> =
          vendor === 'salesforce' ? { 'Sforce-Limit-Info': `api-usage=${deps.org.apiUsed}/${limit}` } : {}
        send(res, { ...answer, headers: { ...answer.headers, ...headers } })
        audit(answer.status, endpointLabel(method, url.pathname), 0, fault)
        return
      }
      fault = undefined
    }
    if (fault === 'reset') {
      audit(0, endpointLabel(method, url.pathname), 0, fault)
      req.socket.destroy()
      return
    }
    if (fault === 'slow') await sleep(deps.faults.slowMs)
    let handled: RestResult
    try {
      if (vendor === 'ortto') {
        const r = deps.ortto.handle(request)
        handled = { ...r, cost: r.reply.status === 401 || r.reply.status === 404 ? 0 : 1 }
      } else if (url.pathname.startsWith('/services/')) {
        handled = deps.org.handle(request)
      } else {
        handled = { reply: reply(404, { error: 'Not found' }), endpoint: `${method} ${url.pathname}`, cost: 0 }
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const r =
        vendor === 'ortto'
          ? orttoError(500, 'Internal error')
          : reply(500, [
              { message: `An unexpected error occurred: ${message}`, errorCode: 'UNKNOWN_EXCEPTION', fields: [] }
            ])
      handled = { reply: r, endpoint: `${method} ${url.pathname}`, cost: 0 }
    }
    if (fault === 'lostResponse') {
      audit(0, handled.endpoint, handled.cost, fault)
      req.socket.destroy()
      return
    }
    send(res, handled.reply)
    audit(handled.reply.status, handled.endpoint, handled.cost, fault)
  }
}
