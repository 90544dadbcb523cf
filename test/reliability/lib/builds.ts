// Test builds of a destination for the reliability suite: the same definition, with every request its actions make
// passed through a rewrite first (deliberately broken builds) or recorded with its answer (what the vendor saw, for
// the fuzzer). The production code is untouched; the seam is the request function actions-core hands to
// perform/performBatch.
import type { ActionDefinition, DestinationDefinition, RequestClient, RequestOptions } from '@segment/actions-core'

export type RequestRewrite = (url: string, options: RequestOptions) => { url: string; options: RequestOptions }

/** Called after every request with what was sent and what came back (status and parsed body, or the error). */
export type RequestObserver = (
  url: string,
  options: RequestOptions,
  outcome: { status?: number; data?: unknown; error?: unknown }
) => void

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAction = ActionDefinition<any, any>

type Wrap = (request: RequestClient) => RequestClient

/** The definition with every action's request function wrapped (a copy: the original keeps working). */
function withRequests<D extends AnyDestination>(def: D, name: string, wrap: Wrap): D {
  const actions = Object.fromEntries(
    Object.entries(def.actions).map(([key, action]) => {
      const a = action as AnyAction
      const wrapped: AnyAction = {
        ...a,
        perform: (request, data) => a.perform(wrap(request), data),
        ...(a.performBatch ? { performBatch: (request, data) => a.performBatch!(wrap(request), data) } : {})
      }
      return [key, wrapped]
    })
  )
  return { ...def, name: `${def.name} (${name})`, actions } as D
}

export function withRequestRewrite<D extends AnyDestination>(def: D, name: string, rewrite: RequestRewrite): D {
  return withRequests(
    def,
    name,
    (request) =>
      ((url: string, options: RequestOptions = {}) => {
        const next = rewrite(url, options)
        return request(next.url, next.options)
      }) as RequestClient
  )
}

export function withRequestObserver<D extends AnyDestination>(def: D, observe: RequestObserver): D {
  return withRequests(
    def,
    'observed',
    (request) =>
      (async (url: string, options: RequestOptions = {}) => {
        try {
          const response = await request(url, options)
          const r = response as unknown as { status: number; data?: unknown; content?: string }
          observe(url, options, { status: r.status, data: r.data ?? r.content })
          return response
        } catch (error) {
          const status = (error as { response?: { status?: number } })?.response?.status
          observe(url, options, { status, error })
          throw error
        }
      }) as RequestClient
  )
}

const jsonOf = (options: RequestOptions): Record<string, unknown> | undefined =>
  options.json && typeof options.json === 'object' ? (options.json as Record<string, unknown>) : undefined

/** Ortto: activities lose their deduplication key, so a redelivered event is recorded again. */
export const dropOrttoActivityKeys: RequestRewrite = (url, options) => {
  const json = jsonOf(options)
  if (!/\/activities\/create$/.test(url) || !Array.isArray(json?.activities)) return { url, options }
  const activities = (json.activities as Array<Record<string, unknown>>).map((a) => {
    const { key: _key, ...rest } = a
    return rest
  })
  return { url, options: { ...options, json: { ...json, activities } } }
}

const UPSERT = /^(.*\/sobjects)\/([A-Za-z0-9_]+)\/([A-Za-z0-9_]+)\/([^/?]+)$/

/** One Salesforce subrequest or request: an upsert by external id (PATCH …/sobjects/Obj/Field/value) becomes a
 * create (POST …/sobjects/Obj) carrying the external id as a field. */
function upsertToCreate(method: string | undefined, url: string, body: unknown) {
  const match = method?.toUpperCase() === 'PATCH' ? UPSERT.exec(url) : null
  if (!match || match[3] === 'Id') return undefined
  const [, base, object, field, value] = match
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  return { method: 'POST', url: `${base}/${object}`, body: { ...fields, [field]: decodeURIComponent(value) } }
}

/** Salesforce: every external-id upsert becomes a create — directly, inside Composite subrequests and as
 * sObject Collections (PATCH /composite/sobjects/Obj/Field → POST /composite/sobjects). */
export const upsertsAsCreates: RequestRewrite = (url, options) => {
  const direct = upsertToCreate(options.method, url, options.json)
  if (direct) return { url: direct.url, options: { ...options, method: 'POST', json: direct.body } }
  const json = jsonOf(options)
  const collection = /^(.*\/composite\/sobjects)\/[A-Za-z0-9_]+\/([A-Za-z0-9_]+)$/.exec(url)
  if (collection && options.method?.toUpperCase() === 'PATCH' && json) {
    return { url: collection[1], options: { ...options, method: 'POST', json: { ...json, allOrNone: false } } }
  }
  if (/\/composite$/.test(url) && Array.isArray(json?.compositeRequest)) {
    const compositeRequest = (json.compositeRequest as Array<Record<string, unknown>>).map((sub) => {
      const changed = upsertToCreate(sub.method as string, sub.url as string, sub.body)
      return changed ? { ...sub, ...changed } : sub
    })
    return { url, options: { ...options, json: { ...json, compositeRequest } } }
  }
  return { url, options }
}

/** Salesforce: every JLP Event Receipt gets a key of its own (as if the build used a fresh UUID instead of the
 * event's id), in Composite subrequests and Collections records alike — so no redelivery is ever recognised. */
export function freshReceiptKeys(): RequestRewrite {
  let n = 0
  const fresh = (record: unknown) => {
    const r = record as Record<string, unknown>
    return typeof r?.JLP_Event_Id__c === 'string' ? { ...r, JLP_Event_Id__c: `${r.JLP_Event_Id__c}#${++n}` } : r
  }
  return (url, options) => {
    const json = jsonOf(options)
    if (Array.isArray(json?.compositeRequest)) {
      const compositeRequest = (json.compositeRequest as Array<Record<string, unknown>>).map((sub) =>
        /\/sobjects\/JLP_Event_Receipt__c$/.test(String(sub.url)) ? { ...sub, body: fresh(sub.body) } : sub
      )
      return { url, options: { ...options, json: { ...json, compositeRequest } } }
    }
    if (/\/composite\/sobjects$/.test(url) && Array.isArray(json?.records)) {
      return { url, options: { ...options, json: { ...json, records: (json.records as unknown[]).map(fresh) } } }
    }
    return { url, options }
  }
}

/** Several rewrites, applied in order. */
export const rewrites =
  (...all: RequestRewrite[]): RequestRewrite =>
  (url, options) =>
    all.reduce((next, rewrite) => rewrite(next.url, next.options), { url, options })
