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
