// What the REST router and its handlers share: the request as a route sees it, the context, and the result
// (a Reply, the endpoint label for the audit, and the API-call cost).
import type { Reply } from '../http'
import type { BulkJobs } from './bulk'
import type { QueryRunner } from './query'
import type { SalesforceStore } from './store'

export interface RestContext {
  store: SalesforceStore
  queries: QueryRunner
  bulk: BulkJobs
  /** API version of the request, e.g. v62.0. */
  version: string
  apiUsage(): { used: number; limit: number }
}

export interface RestRequest {
  method: string
  /** Path after /services/data/vNN.N/, without query string, e.g. sobjects/Lead/00Q... */
  path: string
  query: URLSearchParams
  /** Parsed JSON body (composite subrequests pass objects). */
  body: unknown
  /** Raw body text (Bulk CSV uploads). */
  raw?: string
  headers: Record<string, string | undefined>
}

export interface RestResult {
  reply: Reply
  endpoint: string
  /** API calls this request costs (composite, graph and collections 1; Composite Batch one per subrequest). */
  cost: number
}

/** Where a request may come from: composite subrequests cannot nest composite or bulk resources. */
export type Caller = 'top' | 'composite' | 'graph' | 'batch'

export const versionNumber = (version: string) => Number(version.replace(/^v/, ''))

export const result = (reply: Reply, endpoint: string, cost = 1): RestResult => ({ reply, endpoint, cost })
