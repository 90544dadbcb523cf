// One Salesforce org: schema, data, OAuth, REST, Bulk, and the daily API-request allowance. `handle` answers
// anything under /services/ with Salesforce's auth and limit checks and the Sforce-Limit-Info header.
import type { Clock } from '../clock'
import { parseJson, reply, type SandboxRequest } from '../http'
import { BulkJobs } from './bulk'
import { SfError, notFound, sfErrorReply } from './errors'
import { to15 } from './ids'
import { OAuthServer } from './oauth'
import { QueryRunner } from './query'
import { handleRest } from './rest'
import { result, type RestResult } from './route'
import { Schema, type SchemaConfig } from './schema'
import { SalesforceStore, type AccountModel } from './store'

export interface SalesforceOrgOptions {
  schema: SchemaConfig[]
  clock: Clock
  accountModel: AccountModel
  duplicateRuleOnEmail: boolean
  dailyApiLimit: number
  tokenTtlSeconds: number
  clientId: string
  clientSecret: string
  refreshTokens: string[]
  orgId: string
  apiVersion: string
}

const VERSIONS = ['v58.0', 'v59.0', 'v60.0', 'v61.0', 'v62.0', 'v63.0', 'v64.0', 'v65.0', 'v66.0', 'v67.0', 'v68.0']

/** A request as an audit label when no route named it: no version, ids become {id}, upsert values {value}. */
export function endpointLabel(method: string, path: string): string {
  const rest = path.replace(/^\/services\/data\/v\d+\.\d+/, '')
  if (rest === path && !path.startsWith('/services/data/')) return `${method} ${path}`
  const parts = rest.split('/').filter((p) => p)
  if (parts[0] === 'sobjects' && parts.length === 4) parts[3] = '{value}'
  return `${method} /${parts.map((p) => (to15(p) ? '{id}' : p)).join('/')}`
}

export class SalesforceOrg {
  readonly schema: Schema
  readonly store: SalesforceStore
  readonly queries: QueryRunner
  readonly bulk: BulkJobs
  readonly oauth: OAuthServer
  apiUsed = 0
  private currentVersion: string

  constructor(readonly options: SalesforceOrgOptions) {
    this.currentVersion = options.apiVersion
    this.schema = new Schema(...options.schema)
    this.store = new SalesforceStore(this.schema, {
      clock: options.clock,
      accountModel: options.accountModel,
      duplicateRuleOnEmail: options.duplicateRuleOnEmail,
      apiVersion: options.apiVersion
    })
    this.queries = new QueryRunner(this.store)
    this.bulk = new BulkJobs(this.store, options.clock, () => this.currentVersion)
    this.oauth = new OAuthServer({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshTokens: options.refreshTokens,
      tokenTtlSeconds: options.tokenTtlSeconds,
      orgId: options.orgId,
      clock: options.clock,
      userId: () => this.store.integrationUserId
    })
  }

  /** Empty the org's data, jobs and API usage; issued tokens stay valid. */
  reset(): void {
    this.store.reset()
    this.bulk.reset()
    this.apiUsed = 0
  }

  private limitHeader(): Record<string, string> {
    return { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/${this.options.dailyApiLimit}` }
  }

  /** Whether a request to this path is a token call (spared by global faults, costs nothing). */
  static isAuthPath(path: string): boolean {
    return path.startsWith('/services/oauth2/')
  }

  handle(req: SandboxRequest): RestResult {
    if (req.path === '/services/oauth2/token') return result(this.oauth.token(req), 'POST /services/oauth2/token', 0)
    const r = this.data(req)
    // Every /services/data answer carries the allowance, errors included.
    return { ...r, reply: { ...r.reply, headers: { ...r.reply.headers, ...this.limitHeader() } } }
  }

  private data(req: SandboxRequest): RestResult {
    const m = /^\/services\/data(?:\/(v\d+\.\d+))?(\/.*)?$/.exec(req.path)
    const label = endpointLabel(req.method, req.path)
    if (!m) return result(sfErrorReply(notFound()), label, 0)
    const [, version, rest = '/'] = m
    if (!version) {
      const list = VERSIONS.map((v) => ({ label: `API ${v}`, url: `/services/data/${v}`, version: v.slice(1) }))
      return result(reply(200, list), 'GET /services/data', 0)
    }
    if (this.oauth.check(req) !== 'valid') {
      return result(sfErrorReply(new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid')), label, 0)
    }
    if (this.apiUsed >= this.options.dailyApiLimit) {
      return result(sfErrorReply(new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')), label, 0)
    }
    const isCsv = /text\/csv/i.test(String(req.headers['content-type'] ?? ''))
    const parsed = isCsv ? { ok: true as const, value: undefined } : parseJson(req.body)
    if (!parsed.ok) {
      this.apiUsed++
      return result(sfErrorReply(new SfError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON')), label)
    }
    this.currentVersion = version
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v])
    )
    const answer = handleRest(
      {
        store: this.store,
        queries: this.queries,
        bulk: this.bulk,
        version,
        apiUsage: () => ({ used: this.apiUsed, limit: this.options.dailyApiLimit })
      },
      { method: req.method, path: rest, query: req.query, body: parsed.value, raw: req.body, headers }
    )
    this.apiUsed += answer.cost
    return answer
  }
}
