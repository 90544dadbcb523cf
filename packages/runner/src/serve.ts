// `npm run serve`: our destinations over HTTP with the routes and bodies of upstream's `serve`, so Segment's
// hosted Actions Tester (app.segment.com) can drive them, plus a prefix per destination:
//   GET  /manifest                          every destination, or the one chosen with `root`
//   GET  /{destination}/manifest            one destination's definition
//   POST /{destination}/{action}            {payload, settings, mapping, auth}; an array payload runs a batch
//   POST /{destination}/authenticate        settings → {ok} | {ok: false, error, fields}
//   POST /{destination}/refreshAccessToken  {settings, auth | oauth fields} → {ok, data} | 400 {ok: false, error}
//   POST /{destination}/{action}/{field}    dynamic field choices
// With `root`, the same routes also answer without the prefix (what the Actions Tester calls).
// Settings sent in a request are laid over `defaultSettings` (the sandbox's, unless told otherwise).
import {
  Destination,
  HTTPError,
  type DecoratedResponse,
  type DestinationDefinition,
  type JSONObject
} from '@segment/actions-core'
import * as http from 'http'
import type { AddressInfo } from 'net'
import { settingDefaults } from './targets'
import { redactBody, redactHeaders, redactJson } from './redact'
import { explainListenError } from './usage-error'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

export const SEGMENT_ORIGINS = [
  'https://app.segment.com',
  'https://eu1.app.segment.com',
  'https://app.segment.build',
  'https://eu1.app.segment.build'
]

export interface ServeOptions {
  destinations: Record<string, AnyDestination>
  /** Settings each request starts from (its own settings win), e.g. the sandbox's URLs and keys. */
  defaultSettings?: (destinationKey: string) => JSONObject
  /** Also answer the unprefixed upstream routes for this destination. */
  root?: string
  /** Origins allowed by CORS besides Segment's and http://localhost:*. */
  extraOrigins?: string[]
  /** One line per request (method, path, status, what happened). */
  log?: (line: string) => void
}

export interface Exchange {
  request: { url: string; method: string; headers: Record<string, string>; body: unknown }
  response: { statusCode: number; statusMessage?: string; headers: Record<string, string>; body: unknown }
}

interface Reply {
  status: number
  body: unknown
  note?: string
}

class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

async function exchanges(responses: readonly DecoratedResponse[]): Promise<Exchange[]> {
  return Promise.all(
    responses.map(async (r) => ({
      request: {
        url: r.request.url,
        method: r.request.method,
        headers: redactHeaders(r.request.headers as unknown as Iterable<[string, string]>),
        body: redactBody(await r.request.clone().text())
      },
      response: {
        statusCode: r.status,
        statusMessage: r.statusText,
        headers: redactHeaders(r.headers as unknown as Iterable<[string, string]>),
        body: redactJson(r.data ?? r.content)
      }
    }))
  )
}

/** The error shape upstream's serve returns for a failed action, without the stack. */
function marshalError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; message?: string; status?: number; code?: string }
  let statusCode = e?.status ?? 500
  let message = e?.message ?? String(err)
  if (err instanceof HTTPError) {
    statusCode = err.response?.status ?? statusCode
    const data = (err.response as { data?: unknown; content?: string })?.data
    message = data ? JSON.stringify(redactJson(data)) : message
  }
  return { statusCode, name: e?.name, code: e?.code, message, requestError: true }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function fieldDefaults(fields: Record<string, { default?: unknown }>): JSONObject {
  const out: JSONObject = {}
  for (const [key, field] of Object.entries(fields)) if (field.default !== undefined) out[key] = field.default as never
  return out
}

function allowedOrigin(origin: string | undefined, extra: readonly string[]): string | undefined {
  if (!origin) return undefined
  if (SEGMENT_ORIGINS.includes(origin) || extra.includes(origin)) return origin
  return /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin) ? origin : undefined
}

function readBody(req: http.IncomingMessage, limit = 10 * 1024 * 1024): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) reject(new RouteError(413, `Request body is larger than ${limit} bytes`))
      else chunks.push(chunk)
    })
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve({})
      try {
        const body = JSON.parse(text)
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          reject(
            new RouteError(400, 'The request body must be a JSON object, e.g. {"payload": {...}, "settings": {...}}')
          )
        } else resolve(body)
      } catch (err) {
        reject(new RouteError(400, `The request body is not valid JSON: ${(err as Error).message}`))
      }
    })
    req.on('error', reject)
  })
}

function manifest(key: string, def: AnyDestination): unknown {
  // Functions (perform, testAuthentication…) drop out of JSON, leaving what the Actions Tester reads.
  return { ...JSON.parse(JSON.stringify(def)), directoryName: key }
}

export function createServeHandler(options: ServeOptions): http.RequestListener {
  const extra = options.extraOrigins ?? []
  const keys = Object.keys(options.destinations)

  // Upstream's /authenticate takes the settings as the whole body; everything else has {settings}.
  const settingsFor = (key: string, body: Record<string, unknown>, bodyIsSettings = false): JSONObject => ({
    ...settingDefaults(options.destinations[key]),
    ...(options.defaultSettings?.(key) ?? {}),
    ...((isObject(body.settings) ? body.settings : bodyIsSettings ? body : {}) as JSONObject)
  })

  async function route(method: string, parts: string[], req: http.IncomingMessage): Promise<Reply> {
    if (parts.length === 1 && parts[0] === 'manifest' && !options.root) {
      if (method !== 'GET') throw new RouteError(405, 'Use GET /manifest')
      return {
        status: 200,
        body: { destinations: Object.fromEntries(keys.map((k) => [k, manifest(k, options.destinations[k])])) }
      }
    }
    let key = parts[0]
    let rest = parts.slice(1)
    if (!options.destinations[key]) {
      if (options.root && parts.length > 0) {
        key = options.root
        rest = parts
      } else {
        throw new RouteError(404, `Unknown destination "${parts[0] ?? ''}". Available: ${keys.join(', ')}`)
      }
    }
    const def = options.destinations[key]
    if (rest.length === 1 && rest[0] === 'manifest') {
      if (method !== 'GET') throw new RouteError(405, `Use GET /${key}/manifest`)
      return { status: 200, body: manifest(key, def) }
    }
    if (method !== 'POST') throw new RouteError(405, `Use POST for /${[key, ...rest].join('/')}`)
    const body = await readBody(req)
    const destination = new Destination(def)
    const settings = settingsFor(key, body, rest[0] === 'authenticate')

    if (rest.length === 1 && rest[0] === 'authenticate') {
      try {
        await destination.testAuthentication(settings)
        return { status: 200, body: { ok: true }, note: 'credentials accepted' }
      } catch (err) {
        const fields: Record<string, string> = {}
        for (const f of (err as { errors?: Array<{ path?: string; message?: string }> }).errors ?? []) {
          if (f.path) fields[f.path.replace(/^\$\./, '')] = String(f.message)
        }
        const message = (err as Error).message
        return { status: 200, body: { ok: false, error: message, fields }, note: `authentication failed: ${message}` }
      }
    }

    if (rest.length === 1 && rest[0] === 'refreshAccessToken') {
      try {
        const oauth = (body.auth ?? body.oauth ?? body) as Record<string, unknown>
        const data = await destination.refreshAccessToken(settings, oauth as never)
        return { status: 200, body: { ok: true, data: redactJson(data) }, note: 'token refreshed' }
      } catch (err) {
        const message = (err as Error).message
        return { status: 400, body: { ok: false, error: message }, note: `refresh failed: ${message}` }
      }
    }

    const actionKey = rest[0]
    const action = destination.actions[actionKey]
    if (!action) {
      const known = Object.keys(def.actions)
      throw new RouteError(
        404,
        `${key} has no action "${actionKey ?? ''}". Actions: ${known.join(', ') || '(none yet)'}; ` +
          'other routes: manifest, authenticate, refreshAccessToken'
      )
    }

    if (rest.length === 2) {
      const field = rest[1]
      if (!action.definition.dynamicFields?.[field as never]) {
        throw new RouteError(404, `${key}/${actionKey} has no dynamic field "${field}"`)
      }
      try {
        const result = await action.executeDynamicField(field, {
          settings,
          payload: (body.payload as JSONObject) ?? {},
          page: (body.page as string) ?? undefined,
          auth: body.auth as never,
          dynamicFieldContext: body.dynamicFieldContext as never
        } as never)
        return {
          status: 200,
          body: result,
          note: `${(result as { choices?: unknown[] }).choices?.length ?? 0} choices`
        }
      } catch (err) {
        return { status: 500, body: [marshalError(err)] }
      }
    }
    if (rest.length !== 1) throw new RouteError(404, `No route /${[key, ...rest].join('/')}`)

    const mapping = { ...fieldDefaults(action.definition.fields), ...((body.mapping as JSONObject) ?? {}) }
    const auth = body.auth as never
    const detail = (req.url ?? '').includes('detail=1')
    try {
      let results: unknown
      let note: string
      if (Array.isArray(body.payload)) {
        if (!action.hasBatchSupport)
          throw new RouteError(400, `${key}/${actionKey} has no batch mode: send one payload object`)
        const nodes = await action.executeBatch({
          data: body.payload as JSONObject[],
          settings,
          mapping,
          auth
        } as never)
        results = nodes
        const failed = nodes.filter((n) => (n as { status: number }).status >= 300).length
        note = `batch of ${nodes.length}: ${nodes.length - failed} ok, ${failed} failed`
      } else {
        const out = await action.execute({ data: (body.payload as JSONObject) ?? {}, settings, mapping, auth } as never)
        results = out
        const data = (out as Array<{ data?: { summary?: string } }>).find((r) => r.data?.summary)?.data
        note = data?.summary ?? 'done'
      }
      const debug = await exchanges(destination.responses)
      return { status: 200, body: detail ? { results: redactJson(results), exchanges: debug } : debug, note }
    } catch (err) {
      if (err instanceof RouteError) throw err
      const output = marshalError(err)
      const debug = await exchanges(destination.responses)
      return {
        status: 200,
        body: detail ? { error: output, exchanges: debug } : [output],
        note: `${output.name ?? 'error'}: ${output.message}`
      }
    }
  }

  return (req, res) => {
    const origin = allowedOrigin(req.headers.origin, extra)
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Vary', 'Origin')
    }
    const method = req.method ?? 'GET'
    if (method === 'OPTIONS') {
      if (origin) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type')
        // Chrome asks before a public site (app.segment.com) may call a server on this machine.
        if (req.headers['access-control-request-private-network']) {
          res.setHeader('Access-Control-Allow-Private-Network', 'true')
        }
        res.setHeader('Access-Control-Max-Age', '600')
      }
      res.writeHead(origin ? 204 : 403).end()
      return
    }
    const path = (req.url ?? '/').split('?')[0]
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
    route(method, parts, req)
      .catch((err): Reply => {
        const status = err instanceof RouteError ? err.status : 500
        return { status, body: { ok: false, error: (err as Error).message }, note: (err as Error).message }
      })
      .then((reply) => {
        options.log?.(`${method} ${path} ${reply.status}${reply.note ? ` — ${reply.note}` : ''}`)
        res.writeHead(reply.status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(reply.body))
      })
  }
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

/** Listen on 127.0.0.1 only; a busy port is a UsageError saying what to do. */
export function startServer(options: ServeOptions & { port?: number }): Promise<RunningServer> {
  const server = http.createServer(createServeHandler(options))
  return new Promise((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        explainListenError(err, 'The serve', options.port, 'pass --port <n> (or PORT=<n>), or stop the other program')
      )
    )
    server.listen(options.port ?? 3000, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          })
      })
    })
  })
}
