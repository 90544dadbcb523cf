// What a handler sees of a request and what it answers; the server turns a Reply into bytes.
import type { IncomingHttpHeaders } from 'http'

export interface SandboxRequest {
  method: string
  /** Path without the query string, e.g. /services/data/v62.0/sobjects/Lead. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** Raw body text ('' when none). */
  body: string
  /** Scheme and host the client used, e.g. https://127.0.0.1:4443 (for instance_url, Location headers). */
  origin: string
}

export interface Reply {
  status: number
  /** JSON body (serialised by the server); ignored when `text` is set. */
  body?: unknown
  /** Raw body (e.g. CSV). */
  text?: string
  contentType?: string
  headers?: Record<string, string>
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers
})

export const header = (req: Pick<SandboxRequest, 'headers'>, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
