// startSandbox(): one process-local Salesforce org + Ortto account behind real HTTP servers on 127.0.0.1, with
// credentials, faults, audit, records and helpers for tests.
import http from 'http'
import https from 'https'
import type { AddressInfo } from 'net'
import { Audit } from './audit'
import { createClock, type Clock } from './clock'
import { FaultInjector, type FaultConfig } from './faults'
import { OrttoApi } from './ortto/api'
import { OrttoStore } from './ortto/store'
import { to18 } from './salesforce/ids'
import JLP_ORG from './salesforce/jlp-org.schema.json'
import { SalesforceOrg } from './salesforce/org'
import { describeObject, type Schema, type SchemaConfig } from './salesforce/schema'
import type { AccountModel, FlowInvocation, PublishedEvent, SfRecord } from './salesforce/store'
import { createHandler } from './server'
import { SANDBOX_TLS } from './tls'

/** The JLP org's schema config (custom fields, objects, platform event, flows); see jlp-org.schema.json. */
export const JLP_ORG_SCHEMA = JLP_ORG as unknown as SchemaConfig

export const SANDBOX_DEFAULTS = {
  clientId: 'jlp-sandbox-client-id',
  clientSecret: 'jlp-sandbox-client-secret',
  refreshToken: 'jlp-sandbox-refresh-token',
  orttoApiKey: 'jlp-sandbox-ortto-key',
  apiVersion: 'v62.0',
  tokenTtlSeconds: 7200,
  dailyApiLimit: 100_000,
  seed: 1
} as const

export interface SandboxOptions {
  /** Port of the HTTP listener (both vendors). Default 0: any free port. */
  port?: number
  /** Also listen with HTTPS (self-signed local certificate), on `httpsPort` or any free port. */
  https?: boolean
  httpsPort?: number
  /** Seed for fault decisions. Default 1. */
  seed?: number
  faults?: FaultConfig
  /** Lifetime of access tokens. Default 7200 s. */
  tokenTtlSeconds?: number
  /** Daily API requests before 403 REQUEST_LIMIT_EXCEEDED. Default 100,000. */
  dailyApiLimit?: number
  /** Extra schema on top of the base (objects, fields, flows). */
  schema?: SchemaConfig | SchemaConfig[]
  /** 'jlp' (default): the JLP org config; 'standard': standard objects only. */
  baseSchema?: 'jlp' | 'standard'
  /** Account a Contact created without AccountId gets. Default 'household'. */
  accountModel?: AccountModel
  /** Duplicate rule on Lead/Contact Email (DUPLICATES_DETECTED). Default false. */
  duplicateRuleOnEmail?: boolean
  clientId?: string
  clientSecret?: string
  refreshTokens?: string[]
  /** API version the helpers use and record URLs show. Default v62.0 (any version is accepted on the wire). */
  apiVersion?: string
  orttoApiKeys?: string[]
  /** Reject Ortto activities without a definition. Default false. */
  orttoStrictActivities?: boolean
  /** Start the sandbox clock at this time (ms). Default: now. */
  now?: number
}

export interface SandboxSalesforce {
  /** Instance URL (the HTTP listener). */
  url: string
  tokenUrl: string
  clientId: string
  clientSecret: string
  refreshToken: string
  apiVersion: string
  orgId: string
  schema: Schema
  /** Issue a fresh access token (expires after tokenTtlSeconds of sandbox time). */
  accessToken(): string
  /** Expire every issued access token now. */
  expireTokens(): void
  apiUsage(): { used: number; limit: number }
  /** Seed a record (validated like the API; no API cost, not audited). Returns the stored fields. */
  insert(object: string, fields: SfRecord): SfRecord
  update(object: string, id: string, fields: SfRecord): SfRecord
  upsert(
    object: string,
    externalIdField: string,
    value: string,
    fields: SfRecord
  ): { record: SfRecord; created: boolean }
  get(object: string, id: string): SfRecord
  /** Run SOQL in process (records as the API returns them). */
  query(soql: string): SfRecord[]
  describe(object: string): ReturnType<typeof describeObject>
}

export interface SandboxOrtto {
  /** Base URL to give an Ortto client (paths are /v1/…). */
  url: string
  apiKey: string
}

export interface SandboxRecords {
  /** Every Salesforce record by object, or one object's records. */
  salesforce(): Record<string, SfRecord[]>
  salesforce(object: string): SfRecord[]
  ortto(): ReturnType<OrttoStore['dump']>
}

export interface Sandbox {
  /** http://127.0.0.1:<port> — Salesforce instance URL and Ortto base URL. */
  url: string
  port: number
  /** https://127.0.0.1:<port> when started with https: true. */
  httpsUrl?: string
  httpsPort?: number
  salesforce: SandboxSalesforce
  ortto: SandboxOrtto
  audit: Pick<Audit, 'calls' | 'cost' | 'byEndpoint' | 'faults' | 'log' | 'reset'>
  records: SandboxRecords
  /** Flow interviews started through /actions/custom/flow. */
  flows(): FlowInvocation[]
  /** Platform events published through /sobjects/{Name}__e. */
  platformEvents(): PublishedEvent[]
  clock: Clock
  /** Replace the fault configuration (no argument: no faults); the fault PRNG restarts from its seed. */
  setFaults(config?: FaultConfig): void
  /** Empty both vendors' data, the audit and API usage (issued tokens stay valid). */
  reset(): void
  stop(): Promise<void>
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = createClock(options.now)
  const seed = options.seed ?? SANDBOX_DEFAULTS.seed
  const extra = options.schema === undefined ? [] : Array.isArray(options.schema) ? options.schema : [options.schema]
  const apiVersion = options.apiVersion ?? SANDBOX_DEFAULTS.apiVersion
  const refreshTokens = options.refreshTokens ?? [SANDBOX_DEFAULTS.refreshToken]
  const org = new SalesforceOrg({
    schema: [...(options.baseSchema === 'standard' ? [] : [JLP_ORG_SCHEMA]), ...extra],
    clock,
    accountModel: options.accountModel ?? 'household',
    duplicateRuleOnEmail: options.duplicateRuleOnEmail ?? false,
    dailyApiLimit: options.dailyApiLimit ?? SANDBOX_DEFAULTS.dailyApiLimit,
    tokenTtlSeconds: options.tokenTtlSeconds ?? SANDBOX_DEFAULTS.tokenTtlSeconds,
    clientId: options.clientId ?? SANDBOX_DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? SANDBOX_DEFAULTS.clientSecret,
    refreshTokens,
    orgId: to18('00D8d0000001JLP'),
    apiVersion
  })
  const orttoKeys = options.orttoApiKeys ?? [SANDBOX_DEFAULTS.orttoApiKey]
  const orttoStore = new OrttoStore(clock)
  const ortto = new OrttoApi(orttoStore, {
    apiKeys: orttoKeys,
    strictActivities: options.orttoStrictActivities ?? false
  })
  const faults = new FaultInjector(options.faults, seed)
  const audit = new Audit()
  const deps = { org, ortto, faults, audit, clock }

  const server = http.createServer(createHandler(deps, false))
  const port = await listen(server, options.port ?? 0)
  let tlsServer: https.Server | undefined
  let httpsPort: number | undefined
  if (options.https) {
    tlsServer = https.createServer({ key: SANDBOX_TLS.key, cert: SANDBOX_TLS.cert }, createHandler(deps, true))
    try {
      httpsPort = await listen(tlsServer, options.httpsPort ?? 0)
    } catch (err) {
      await close(server)
      throw err
    }
  }
  const url = `http://127.0.0.1:${port}`
  const { store, queries } = org

  function salesforceRecords(): Record<string, SfRecord[]>
  function salesforceRecords(object: string): SfRecord[]
  function salesforceRecords(object?: string) {
    if (object === undefined) return store.dump()
    store.object(object)
    return Object.values(store.dump(object))[0] ?? []
  }

  return {
    url,
    port,
    httpsUrl: httpsPort ? `https://127.0.0.1:${httpsPort}` : undefined,
    httpsPort,
    salesforce: {
      url,
      tokenUrl: `${url}/services/oauth2/token`,
      clientId: org.options.clientId,
      clientSecret: org.options.clientSecret,
      refreshToken: refreshTokens[0],
      apiVersion,
      orgId: org.options.orgId,
      schema: org.schema,
      accessToken: () => org.oauth.issue(),
      expireTokens: () => org.oauth.expireAll(),
      apiUsage: () => ({ used: org.apiUsed, limit: org.options.dailyApiLimit }),
      insert: (object, fields) => ({ ...store.create(object, fields) }),
      update: (object, id, fields) => ({ ...store.update(object, id, fields) }),
      upsert: (object, field, value, fields) => store.upsert(object, field, value, fields),
      get: (object, id) => ({ ...store.get(object, id) }),
      query: (soql) => queries.run(soql).records,
      describe: (object) => describeObject(store.object(object), apiVersion)
    },
    ortto: { url, apiKey: orttoKeys[0] },
    audit,
    records: { salesforce: salesforceRecords, ortto: () => orttoStore.dump() },
    flows: () => store.flowInvocations(),
    platformEvents: () => store.publishedEvents(),
    clock,
    setFaults: (config) => faults.set(config),
    reset: () => {
      org.reset()
      orttoStore.reset()
      audit.reset()
      faults.set(faults.current)
    },
    stop: async () => {
      await Promise.all([close(server), tlsServer ? close(tlsServer) : Promise.resolve()])
    }
  }
}
