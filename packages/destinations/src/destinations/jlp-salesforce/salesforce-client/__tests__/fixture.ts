// Shared by the client's nock tests: a client on a fake My Domain, and nock helpers that record request bodies.
import { createRequestClient } from '@segment/actions-core'
import nock from 'nock'
import { SalesforceClient, type SalesforceSettings } from '..'

export const HOST = 'https://jlp.my.salesforce.com'
export const V = '/services/data/v66.0'
export const TOKEN = 'access-token-DO-NOT-LEAK'

export function client(settings: Partial<SalesforceSettings> = {}, token: string | undefined = TOKEN) {
  return new SalesforceClient(
    createRequestClient(),
    { instanceUrl: HOST, ...settings },
    token === undefined ? undefined : { accessToken: token }
  )
}

export const api = () => nock(HOST, { reqheaders: { authorization: `Bearer ${TOKEN}` } })

/** The SOQL of a query URL. */
export const soqlOf = (url: string) => decodeURIComponent(url.replace(/^.*\?q=/, '').replace(/\+/g, ' '))

export type Recorded = { method: string; path: string; body: any; headers: Record<string, string | string[]> }

/** Records every request to HOST (method, decoded path, body); answers from `answer`. */
export function record(answer: (req: Recorded) => [number, unknown?]) {
  const seen: Recorded[] = []
  const scope = nock(HOST).persist()
  for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
    scope.intercept(/.*/, method).reply(function (uri, body) {
      const req: Recorded = {
        method,
        path: decodeURIComponent(uri),
        body: typeof body === 'string' && body ? JSON.parse(body) : body || undefined,
        headers: this.req.headers
      }
      seen.push(req)
      const [status, data] = answer(req)
      return [status, data === undefined ? '' : JSON.stringify(data), { 'content-type': 'application/json' }]
    })
  }
  return { seen, scope }
}

/** A query answer. */
export const rows = (records: Array<Record<string, unknown>>) => ({ totalSize: records.length, done: true, records })

/** One Composite subrequest's answer. */
export const sub = (referenceId: string, httpStatusCode: number, body: unknown = null) => ({
  referenceId,
  httpStatusCode,
  body
})

/** A Composite answer in which every subrequest succeeds: a query finds one record, a write is done. */
export const allSucceed = (req: Recorded) => ({
  compositeResponse: (req.body.compositeRequest as Array<{ referenceId: string; method: string }>).map((s) =>
    s.method === 'GET' ? sub(s.referenceId, 200, rows([{ Id: 'x' }])) : sub(s.referenceId, 204)
  )
})

/** Records of one object found by `key` (the SOQL's quoted values), behind reads, conditional updates (a plain PATCH,
 * or a Composite compare-and-swap check and update) and creates; `get(value)` is the record that has it. */
export function recordStore(key: string, ...records: Array<Record<string, unknown>>) {
  const byId = new Map(records.map((r) => [String(r.Id), { ...r }]))
  const apply = (id: string, body: object) => byId.set(id, { ...byId.get(id), ...body })
  const { seen } = record((req) => {
    if (req.method === 'GET') {
      const wanted = [...soqlOf(req.path).matchAll(/'([^']+)'/g)].map((m) => m[1])
      const found = [...byId.values()].filter((r) => wanted.includes(String(r[key])))
      return [200, rows(found)]
    }
    if (req.path.endsWith('/composite')) {
      const subs = req.body.compositeRequest as Array<{
        method: string
        url: string
        referenceId: string
        body: object
      }>
      const answers = subs.map((s) => {
        const id = s.method === 'GET' ? /Id = '(\w+)'/.exec(soqlOf(s.url))?.[1] : undefined
        return s.method === 'GET' ? sub(s.referenceId, 200, rows([{ Id: id }])) : sub(s.referenceId, 204)
      })
      subs.forEach((s, k) => {
        if (s.method === 'PATCH') apply((answers[k - 1].body as { records: SfIdOnly[] }).records[0].Id, s.body)
      })
      return [200, { compositeResponse: answers }]
    }
    if (req.method === 'PATCH') return (apply(req.path.split('/').at(-1) as string, req.body), [204])
    apply('NEW', { Id: 'NEW', ...req.body })
    return [201, { id: 'NEW', success: true, errors: [] }]
  })
  const get = (value: string) => [...byId.values()].find((r) => r[key] === value)
  return { seen, get }
}

type SfIdOnly = { Id: string }
