/*
 * THE Salesforce client. Every request of the jlp-salesforce actions goes through it; actions never build URLs,
 * escape SOQL, read Salesforce errors, retry or chunk.
 *
 *   const client = new SalesforceClient(request, settings, auth)      // perform's (request, { settings, auth })
 *   client.supporterMatch('Contact', { email, supporterId })  → Match  (external id when configured, else Email)
 *   client.upsert(object, match, fields, { onCreate, unless, eventTime }) → RecordSuccess (throws a mapped error);
 *                                                                onCreate: values for a new record only (LastName
 *                                                                default); unless: no create when that record exists;
 *                                                                eventTime { field, at }: the newest event wins (below)
 *   client.upsertMany(object, [{ match, fields, onCreate, unless, eventTime } | error]) → ItemResult[] (Collections,
 *                                                                ≤200)
 *   client.modifyMany(object, [{ match, read, change, versionField, latest, eventTime }]) → ItemResult[] (read, then
 *                                                                a conditional write: If-Unmodified-Since +
 *                                                                compare-and-swap)
 *   client.find(object, match, fields) / findMany(...)         → SfRecord | undefined (per the match rule)
 *   client.create(object, fields) / update(object, id, fields, { ifUnmodifiedSince })
 *   client.query(soql, what)                                   → records (all pages); build soql with soqlSelect
 *   client.composite(subrequests, { allOrNone }, what)         → SubResponse[] (one API call, ≤25 subrequests)
 *   client.graph(graphs, what)                                 → Composite Graph answer (one API call)
 *   writeGraphs(client, graphs)                                → GraphResult[] (./graph: linked records, one
 *                                                                all-or-nothing graph per event, mapped errors)
 *   createTaskOnce(client, write) / updateOpenOpportunity(...)  → Task on the supporter's Contact or Lead, once per key
 *                                                                (./tasks: receipt in the same allOrNone call)
 *   invokeFlowOnce / publishEventsOnce / invokeFlow / publishEvents → Flow runs and Platform Events, once per key (./flows)
 *   runOnce / claimReceipts / receiptsInFlight / markReceiptsDone → JLP Event Receipts for other one-time writes (./receipts)
 *   listObjects(client, 'records' | 'events') / listFlows / describeFields → for dynamic fields (./describe)
 *   client.send(method, path, { json, headers, what })         → { status, data } (any other REST call)
 *   client.apiCalls                                            → Salesforce API calls this client made
 *   onlyResult(results) / toMultiStatus(results, describe)     → single-event result / batch MultiStatusResponse
 *   attempt(() => build(payload))                              → a batch item, or that item's own error
 *   sobjectPath(object, ...segments), queryPath(soql), reference(ref, path) → subrequest URLs and references
 *   writableFields(object, fields)                             → names checked, undefined dropped, npo02__ refused
 *   soqlSelect / soqlEquals / soqlIn / soqlString / apiName     → SOQL with escaped literals and checked names
 *   SALESFORCE_API_VERSION ('v66.0'), salesforceOrigin(url) (the anchored host check), setTokenStore(store),
 *   refreshAccessToken(request, settings, auth) (the destination's), mapSalesforceError(status, body, what)
 *
 * Matching: an external-id field → Salesforce's upsert (1 call, race-free). Otherwise SOQL on Email, newest first;
 * several matches → the most recently modified wins, or the event fails (setting "When several records match").
 * Single upsert by email is one Composite call (lookup + update by reference) when the record exists, two when it
 * has to be created.
 * Event-time guard (`eventTime`: a Date/Time stamp field and the event's time): Segment delivers at least once and
 * out of order, so the record keeps the time of the newest event written to it; an older event writes nothing
 * ("unchanged", `olderThan`; olderNote(result) says why), a newer or equal one writes its fields and the stamp.
 * Guarded upserts go through modifyMany: 2 calls (read + conditional write), 1 when the event is older.
 * Errors: see ./errors (retryable / authentication / data / configuration).
 * Modules: auth (tokens), hosts (URLs), soql, matching, requests (paths, fields, chunking), writes (batch and
 * conditional-write machinery), results (per-item results), errors; graph, tasks, flows, receipts, describe.
 */
import { InvalidAuthenticationError, RetryableError, type RequestClient } from '@segment/actions-core'
import { authMode, selfManagedToken, type AuthSettings } from './auth'
import { isMapped, mapSalesforceError, mapTransportError, type SalesforceError } from './errors'
import { dataPath, instanceOrigin } from './hosts'
import {
  describeMatch,
  matchField,
  matchIdentity,
  matchKey,
  matchRule,
  pickMatch,
  supporterMatch,
  type Match,
  type MultipleMatchRule,
  type SupporterIds
} from './matching'
import {
  SALESFORCE_LIMITS,
  chunkValues,
  httpDate,
  queryPath,
  reference,
  rounds,
  sobjectPath,
  writableFields,
  type Method,
  type Subrequest
} from './requests'
import {
  asMapped,
  attempt,
  failure,
  onlyResult,
  subResult,
  success,
  type ItemResult,
  type RecordSuccess,
  type SfFields,
  type SfRecord,
  type SubResponse
} from './results'
import { apiName, soqlEquals, soqlIn, soqlSelect } from './soql'
import {
  BatchWriter,
  MODIFY_ATTEMPTS,
  guardedUpsert,
  isConflict,
  latestChange,
  needsCreateValues,
  readFields,
  type Modification,
  type UpsertItem,
  type UpsertOptions
} from './writes'

export * from './auth'
export * from './describe'
export * from './errors'
export * from './flows'
export * from './graph'
export * from './hosts'
export * from './matching'
export * from './receipts'
export * from './results'
export * from './soql'
export * from './tasks'
export * from './requests'
export { MODIFY_ATTEMPTS, type EventTime, type Modification, type UpsertItem, type UpsertOptions } from './writes'

export interface SalesforceSettings extends AuthSettings {
  /** External-id field on Contact holding the JLP supporter id (empty: match Contacts by email). */
  contactExternalIdField?: string
  /** External-id field on Lead holding the JLP supporter id (empty: match Leads by email). */
  leadExternalIdField?: string
  /** most_recent | fail */
  multipleMatches?: string
}

export interface SendOptions {
  json?: unknown
  headers?: Record<string, string>
  /** What we are doing, for error messages: "upserting Contact by Email". */
  what: string
  /** Statuses returned rather than thrown (e.g. 404 for a read). */
  accept?: number[]
}

export interface SfAnswer<T = unknown> {
  status: number
  data: T
}

export class SalesforceClient {
  /** Salesforce API calls this client made (token requests are not API calls and are not counted). */
  apiCalls = 0
  /** From the last answer's Sforce-Limit-Info: API requests used and allowed in the last 24 hours. */
  apiUsage?: { used: number; limit: number }
  readonly origin: string
  readonly rule: MultipleMatchRule

  constructor(
    private readonly request: RequestClient,
    private readonly settings: SalesforceSettings,
    private readonly auth?: { accessToken?: string }
  ) {
    this.origin = instanceOrigin(settings.instanceUrl)
    this.rule = matchRule(settings.multipleMatches)
  }

  /** The match for a supporter's Contact or Lead, from the external-id settings. */
  supporterMatch(object: 'Contact' | 'Lead', ids: SupporterIds): Match {
    const field = object === 'Contact' ? this.settings.contactExternalIdField : this.settings.leadExternalIdField
    return supporterMatch(field, ids, object)
  }

  private async token(fresh: boolean): Promise<string> {
    if (authMode(this.settings) !== 'segment') return selfManagedToken(this.request, this.settings, { fresh })
    const token = this.auth?.accessToken
    if (!token) {
      throw new InvalidAuthenticationError(
        'The destination is not connected to Salesforce (no access token). Connect it, or choose a self-managed ' +
          'sign-in (client credentials or refresh token) in the settings.'
      )
    }
    return token
  }

  private readLimits(headers: unknown): void {
    const get = (headers as { get?: (name: string) => string | null } | undefined)?.get
    const info = typeof get === 'function' ? get.call(headers, 'sforce-limit-info') : undefined
    const m = info?.match(/api-usage=(\d+)\/(\d+)/)
    if (m) this.apiUsage = { used: Number(m[1]), limit: Number(m[2]) }
  }

  /** Any REST call. `path` starts with /services/ (use dataPath / sobjectPath / queryPath). A self-managed token
   * that Salesforce no longer accepts is replaced once; a Segment-managed one is refreshed by the framework. */
  async send<T = unknown>(method: Method, path: string, options: SendOptions): Promise<SfAnswer<T>> {
    if (!path.startsWith('/services/')) throw new RangeError(`Not a Salesforce REST path: ${path}`)
    let fresh = false
    for (;;) {
      const token = await this.token(fresh)
      let response: { status: number; data?: unknown; content?: string; headers?: unknown }
      this.apiCalls++
      try {
        response = await this.request(`${this.origin}${path}`, {
          method,
          ...(options.json === undefined ? {} : { json: options.json }),
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...options.headers },
          throwHttpErrors: false,
          // Read the body itself: actions-core's copy of a response stalls once an answer passes ~16 kB (a Composite
          // Graph answer for a batch is hundreds of kB) and the event never completes.
          skipResponseCloning: true
        })
      } catch (err) {
        throw mapTransportError(err, options.what)
      }
      this.readLimits(response.headers)
      const body = response.data ?? (response.content ? response.content : undefined)
      if (response.status === 401 && !fresh && authMode(this.settings) !== 'segment') {
        fresh = true
        continue
      }
      if ((response.status >= 200 && response.status < 300) || options.accept?.includes(response.status)) {
        return { status: response.status, data: body as T }
      }
      throw mapSalesforceError(response.status, body, options.what)
    }
  }

  /** A SOQL query, every page. Build `soql` with soqlSelect (names checked, literals escaped). */
  async query<T extends SfRecord = SfRecord>(soql: string, what: string): Promise<T[]> {
    const records: T[] = []
    let path = queryPath(soql)
    for (;;) {
      const { data } = await this.send<{ records?: T[]; done?: boolean; nextRecordsUrl?: string }>('GET', path, {
        what
      })
      records.push(...(data?.records ?? []))
      const next = data?.nextRecordsUrl
      if (data?.done !== false || typeof next !== 'string' || !next.startsWith('/services/data/')) return records
      path = next
    }
  }

  /** One Composite request (one API call): subrequests in order, later ones may use `@{ref.…}` of earlier ones. */
  async composite(subrequests: Subrequest[], options: { allOrNone: boolean }, what: string): Promise<SubResponse[]> {
    if (subrequests.length === 0) return []
    if (subrequests.length > SALESFORCE_LIMITS.compositeSubrequests) {
      throw new RangeError(`Composite takes at most ${SALESFORCE_LIMITS.compositeSubrequests} subrequests`)
    }
    const { data } = await this.send<{ compositeResponse?: SubResponse[] }>('POST', dataPath('composite'), {
      json: { allOrNone: options.allOrNone, compositeRequest: subrequests },
      what
    })
    const answers = data?.compositeResponse ?? []
    const byRef = new Map(answers.map((a) => [a.referenceId, a]))
    return subrequests.map(
      (s, i) => byRef.get(s.referenceId) ?? answers[i] ?? { referenceId: s.referenceId, httpStatusCode: 502, body: [] }
    )
  }

  /** One Composite Graph request (one API call); the answer as Salesforce gives it ({ graphs: [...] }). */
  async graph<T = unknown>(
    graphs: Array<{ graphId: string; compositeRequest: Subrequest[] }>,
    what: string
  ): Promise<T> {
    const { data } = await this.send<T>('POST', dataPath('composite/graph'), { json: { graphs }, what })
    return data
  }

  /**
   * Units of work, each one or a few subrequests that belong together (e.g. a check and the write that references
   * it): a lone single-subrequest unit is a plain request; otherwise Composite requests (allOrNone false) within
   * Salesforce's limits (≤25 subrequests, ≤5 of them queries). Per unit: its answers, or the request's error.
   */
  private async writeAll(units: Subrequest[][], what: string): Promise<Array<SubResponse[] | SalesforceError>> {
    if (units.length === 1 && units[0].length === 1) {
      const [sub] = units[0]
      try {
        const answer = await this.send(sub.method, sub.url, {
          json: sub.body,
          headers: sub.httpHeaders,
          what,
          accept: [300, 400, 404, 409, 412]
        })
        return [[{ referenceId: sub.referenceId, httpStatusCode: answer.status, body: answer.data }]]
      } catch (err) {
        return [asMapped(err)]
      }
    }
    const out: Array<SubResponse[] | SalesforceError> = []
    const queries = (unit: Subrequest[]) => unit.filter((s) => s.method === 'GET').length
    let part: Subrequest[][] = []
    const flush = async () => {
      if (part.length === 0) return
      const sent = part
      part = []
      try {
        const answers = await this.composite(sent.flat(), { allOrNone: false }, what)
        let k = 0
        for (const unit of sent) out.push(unit.map(() => answers[k++]))
      } catch (err) {
        out.push(...sent.map(() => asMapped(err)))
      }
    }
    for (const unit of units) {
      const subs = part.flat()
      if (
        subs.length + unit.length > SALESFORCE_LIMITS.compositeSubrequests ||
        queries(subs) + queries(unit) > SALESFORCE_LIMITS.compositeQueries
      ) {
        await flush()
      }
      part.push(unit)
    }
    await flush()
    return out
  }

  /** Reads the records some matches find, one SOQL query per field (chunked); per match: the record, undefined
   * (none) or its error (several matches under the "fail" rule, or the query's error). */
  async findMany(
    object: string,
    matches: readonly Match[],
    fields: readonly string[]
  ): Promise<Array<SfRecord | undefined | SalesforceError>> {
    const out: Array<SfRecord | undefined | SalesforceError> = new Array(matches.length).fill(undefined)
    const byField = new Map<string, number[]>()
    matches.forEach((m, i) => byField.set(matchField(m), [...(byField.get(matchField(m)) ?? []), i]))
    for (const [field, indices] of byField) {
      const caseSensitive = field === 'Id'
      const key = (v: unknown) => (caseSensitive ? String(v) : String(v).toLowerCase())
      const found = new Map<string, SfRecord[]>()
      const values = [...new Set(indices.map((i) => matches[i].value))]
      const what = `looking up ${object} by ${field}`
      let failed: SalesforceError | undefined
      for (const part of chunkValues(values)) {
        try {
          const soql = soqlSelect({
            object,
            fields: [field, 'LastModifiedDate', ...fields],
            where: soqlIn(field, part),
            orderByDesc: 'LastModifiedDate'
          })
          for (const record of await this.query(soql, what)) {
            const k = key(record[field])
            found.set(k, [...(found.get(k) ?? []), record])
          }
        } catch (err) {
          failed = asMapped(err)
          if (failed instanceof InvalidAuthenticationError) throw failed
          break
        }
      }
      for (const i of indices) {
        if (failed) {
          out[i] = failed
          continue
        }
        const candidates = found.get(key(matches[i].value)) ?? []
        try {
          // An external id that is not unique is a setup problem, whatever the rule (Salesforce's upsert says 300).
          out[i] = pickMatch(candidates, matches[i].by === 'field' ? this.rule : 'fail', object, matches[i])
        } catch (err) {
          out[i] = asMapped(err)
        }
      }
    }
    return out
  }

  /** The record a match finds (per the rule), or undefined. */
  async find(object: string, match: Match, fields: readonly string[]): Promise<SfRecord | undefined> {
    const [found] = await this.findMany(object, [match], fields)
    if (isMapped(found)) throw found
    return found as SfRecord | undefined
  }

  async create(object: string, fields: Record<string, unknown>): Promise<RecordSuccess> {
    const body = writableFields(object, fields)
    const { data } = await this.send<{ id?: string }>('POST', sobjectPath(object), {
      json: body,
      what: `creating a ${object}`
    })
    return success(object, 'created', data?.id)
  }

  async update(
    object: string,
    id: string,
    fields: Record<string, unknown>,
    options: { ifUnmodifiedSince?: string } = {}
  ): Promise<RecordSuccess> {
    const body = writableFields(object, fields)
    const headers = options.ifUnmodifiedSince ? { 'If-Unmodified-Since': options.ifUnmodifiedSince } : undefined
    await this.send('PATCH', sobjectPath(object, id), { json: body, headers, what: `updating ${object} ${id}` })
    return success(object, 'updated', id)
  }

  /** Values of `field` (lower-cased) that some record of `object` has, among `values` (one query per chunk). */
  private async existing(object: string, field: string, values: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>()
    for (const part of chunkValues([...new Set(values)])) {
      const soql = soqlSelect({ object, fields: [field], where: soqlIn(field, part) })
      for (const r of await this.query(soql, `looking for existing ${object} records`)) {
        found.set(String(r[field]).toLowerCase(), r.Id)
      }
    }
    return found
  }

  /**
   * Create or update one record.
   * - External id, no `unless`: Salesforce's upsert, 1 call (2 when the record is new and needs `onCreate` values:
   *   the first answer REQUIRED_FIELD_MISSING says so).
   * - Otherwise one Composite call: the `unless` lookup, the record's lookup and (most_recent rule) its update by
   *   reference. Found → updated (1 call). Not found and `unless` found → skipped (1 call). Not found → created
   *   (external id: upsert; else POST) with `onCreate` values (2 calls). With the fail rule the update is a second
   *   call, after checking there is only one match.
   */
  async upsert(
    object: string,
    match: Match,
    fields: Record<string, unknown>,
    options: UpsertOptions = {}
  ): Promise<RecordSuccess> {
    const body = writableFields(object, fields)
    const onCreate = writableFields(object, options.onCreate ?? {})
    if (options.eventTime)
      return onlyResult(await this.modifyMany(object, [guardedUpsert({ match, fields, ...options })]))
    const what = `upserting ${object} by ${describeMatch(match)}`
    if (match.by === 'id') return this.update(object, match.value, body)
    if (match.by === 'externalId' && !options.unless) {
      const first = await this.upsertByExternalId(object, match, body, what)
      if (first.ok || !needsCreateValues(first.error, onCreate)) return onlyResult([first])
      return onlyResult([await this.upsertByExternalId(object, match, { ...onCreate, ...body }, what)])
    }
    const subs: Subrequest[] = []
    const unless = options.unless
    if (unless) {
      const where = soqlEquals(matchField(unless.match), unless.match.value)
      subs.push({
        method: 'GET',
        url: queryPath(soqlSelect({ object: unless.object, fields: [], where, limit: 1 })),
        referenceId: 'unless'
      })
    }
    const lookup = soqlSelect({
      object,
      fields: [],
      where: soqlEquals(match.field, match.value),
      orderByDesc: 'LastModifiedDate',
      limit: 2
    })
    subs.push({ method: 'GET', url: queryPath(lookup), referenceId: 'lookup' })
    if (this.rule === 'most_recent') {
      const url = sobjectPath(object, reference('lookup', 'records[0].Id'))
      subs.push({ method: 'PATCH', url, referenceId: 'write', body })
    }
    const answers = await this.composite(subs, { allOrNone: false }, what)
    const records = (ref: string) => {
      const answer = answers[subs.findIndex((s) => s.referenceId === ref)]
      if (answer.httpStatusCode >= 300) throw mapSalesforceError(answer.httpStatusCode, answer.body, what)
      return (answer.body as { records?: SfRecord[] } | undefined)?.records ?? []
    }
    const found = pickMatch(records('lookup'), match.by === 'field' ? this.rule : 'fail', object, match)
    if (found) {
      if (this.rule !== 'most_recent') return this.update(object, found.Id, body)
      const result = subResult(answers[answers.length - 1], object, what)
      if (!result.ok) throw result.error
      return success(object, 'updated', found.Id)
    }
    if (unless) {
      const [blocker] = records('unless')
      if (blocker)
        return success(object, 'skipped', undefined, { blockedBy: { object: unless.object, id: blocker.Id } })
    }
    if (match.by === 'externalId') {
      return onlyResult([await this.upsertByExternalId(object, match, { ...onCreate, ...body }, what)])
    }
    return this.create(object, { ...onCreate, ...body, ...matchIdentity(match) })
  }

  private async upsertByExternalId(object: string, match: Match & { by: 'externalId' }, body: SfFields, what: string) {
    const { [match.field]: _inUrl, ...rest } = body
    const [answer] = await this.writeAll(
      [[{ method: 'PATCH', url: sobjectPath(object, match.field, match.value), referenceId: 'upsert', body: rest }]],
      what
    )
    return isMapped(answer) ? failure(answer) : subResult(answer[0], object, what)
  }

  /**
   * Create or update many records, one result per item (an item may be a prepared error, kept as its result).
   * External ids: Collections upsert (≤200 a call). Ids: Collections update. Email (and items with `unless`): one
   * SOQL IN lookup per field for all items, then Collections update and create. Items that find the same record
   * go in successive rounds.
   */
  async upsertMany(object: string, items: ReadonlyArray<UpsertItem | SalesforceError>): Promise<ItemResult[]> {
    const guarded = (item: UpsertItem | SalesforceError) => !isMapped(item) && !!item.eventTime
    if (items.some(guarded)) {
      const out: ItemResult[] = new Array(items.length)
      const run = async (want: boolean, write: (part: typeof items) => Promise<ItemResult[]>) => {
        const at = items.flatMap((item, i) => (guarded(item) === want ? [i] : []))
        if (at.length) (await write(at.map((i) => items[i]))).forEach((r, k) => (out[at[k]] = r))
      }
      await run(false, (part) => this.upsertMany(object, part))
      await run(true, (part) =>
        this.modifyMany(
          object,
          part.map((item) => attempt(() => guardedUpsert(item as UpsertItem)))
        )
      )
      return out
    }
    const results: ItemResult[] = new Array(items.length)
    const prepared = items.map((item, i) => {
      if (isMapped(item)) return void (results[i] = failure(item))
      try {
        const onCreate = writableFields(object, item.onCreate ?? {})
        return { match: item.match, fields: writableFields(object, item.fields), onCreate, unless: item.unless }
      } catch (err) {
        return void (results[i] = failure(asMapped(err)))
      }
    })
    type Prepared = NonNullable<(typeof prepared)[number]>
    const of = (i: number) => prepared[i] as Prepared
    const batch = new BatchWriter(this, object, results)
    for (const round of rounds(prepared.map((p) => (p ? matchKey(p.match) : undefined)))) {
      const upserts = new Map<string, number[]>()
      const updates = new Map<number, string>()
      const lookups: number[] = []
      for (const i of round) {
        const { match, unless } = of(i)
        if (match.by === 'id') updates.set(i, match.value)
        else if (match.by === 'externalId' && !unless)
          upserts.set(match.field, [...(upserts.get(match.field) ?? []), i])
        else lookups.push(i)
      }
      const creates: number[] = []
      /** Looked up and not found: created with their onCreate values in the first call. */
      const knownNew = new Set<number>()
      if (lookups.length) {
        const found = await batch.guard(lookups, () =>
          this.findMany(
            object,
            lookups.map((i) => of(i).match),
            []
          )
        )
        const blockers = found && (await batch.guard(lookups, () => this.blockers(lookups.map((i) => of(i).unless))))
        lookups.forEach((i, k) => {
          const record = found?.[k]
          if (!found || !blockers || results[i]) return
          if (isMapped(record)) results[i] = failure(record)
          else if (record) updates.set(i, record.Id)
          else if (blockers[k]) results[i] = success(object, 'skipped', undefined, { blockedBy: blockers[k] })
          else if (of(i).match.by === 'externalId') {
            const field = (of(i).match as { field: string }).field
            upserts.set(field, [...(upserts.get(field) ?? []), i])
            knownNew.add(i)
          } else creates.push(i)
        })
      }
      for (const [field, indices] of upserts) {
        const path = dataPath(`composite/sobjects/${apiName(object, 'object')}/${apiName(field)}`)
        const record = (withDefaults: boolean) => (i: number) => ({
          ...(withDefaults || knownNew.has(i) ? of(i).onCreate : {}),
          ...of(i).fields,
          [field]: of(i).match.value
        })
        const what = `upserting ${indices.length} ${object} records by ${field}`
        await batch.write(indices, 'PATCH', path, record(false), 'updated', what)
        // New records the event cannot complete get their documented defaults (e.g. LastName) in a second call.
        const retry = indices.filter((i) => {
          const r = results[i]
          return !r.ok && needsCreateValues(r.error, of(i).onCreate)
        })
        await batch.write(retry, 'PATCH', path, record(true), 'created', what)
      }
      const what = (n: number, verb: string) => `${verb} ${n} ${object} records`
      await batch.write(
        [...updates.keys()],
        'PATCH',
        dataPath('composite/sobjects'),
        (i) => ({ ...of(i).fields, id: updates.get(i) }),
        'updated',
        what(updates.size, 'updating')
      )
      await batch.write(
        creates,
        'POST',
        dataPath('composite/sobjects'),
        (i) => ({ ...of(i).onCreate, ...of(i).fields, ...matchIdentity(of(i).match) }),
        'created',
        what(creates.length, 'creating')
      )
      // Collections answer updates with the id; keep the one the lookup found when it does not.
      for (const [i, id] of updates) {
        const r = results[i]
        if (r?.ok && !r.id) results[i] = { ...r, id }
      }
    }
    return results
  }

  /** For each `unless`, the record that blocks a create (or undefined). */
  private async blockers(
    unless: ReadonlyArray<UpsertOptions['unless']>
  ): Promise<Array<{ object: string; id: string } | undefined>> {
    const out: Array<{ object: string; id: string } | undefined> = unless.map(() => undefined)
    const groups = new Map<string, number[]>()
    unless.forEach((u, k) => {
      if (!u) return
      const key = `${u.object}\u0000${matchField(u.match)}`
      groups.set(key, [...(groups.get(key) ?? []), k])
    })
    for (const [key, ks] of groups) {
      const [object, field] = key.split('\u0000')
      const found = await this.existing(
        object,
        field,
        ks.map((k) => (unless[k] as { match: Match }).match.value)
      )
      for (const k of ks) {
        const id = found.get((unless[k] as { match: Match }).match.value.toLowerCase())
        if (id) out[k] = { object, id }
      }
    }
    return out
  }

  /**
   * Read-modify-write, for values computed from what the record holds (e.g. a total that grows): reads the records
   * (one SOQL query per field, chunked), asks each item what to write, then writes conditionally:
   * - an update carries If-Unmodified-Since (Salesforce compares whole seconds); with `versionField`, the update
   *   also only happens while that field still holds the value read (a compare-and-swap inside one Composite call:
   *   a query for the record with that value, and the update by reference to what it found);
   * - a create, when nothing matches (a concurrent create under the same unique external id fails, and is retried).
   * A conflict re-reads and recomputes, up to MODIFY_ATTEMPTS times; then the event fails as retryable.
   * One event: 2 calls (read + write), 1 when there is nothing to write.
   */
  async modifyMany(object: string, items: ReadonlyArray<Modification | SalesforceError>): Promise<ItemResult[]> {
    const results: ItemResult[] = new Array(items.length)
    let pending: number[] = []
    items.forEach((item, i) => (isMapped(item) ? (results[i] = failure(item)) : pending.push(i)))
    const of = (i: number) => items[i] as Modification
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MODIFY_ATTEMPTS) {
        for (const i of pending) {
          const what = `${object} ${describeMatch(of(i).match)}`
          results[i] = failure(new RetryableError(`${what} kept changing in Salesforce while we updated it.`, 423))
        }
        break
      }
      const conflicts: number[] = []
      for (const round of rounds(pending.map((i) => matchKey(of(i).match)))) {
        const indices = round.map((k) => pending[k])
        const read = [...new Set(indices.flatMap((i) => readFields(of(i))))]
        const found = await this.findMany(
          object,
          indices.map((i) => of(i).match),
          read
        )
        const writes: Array<{
          i: number
          unit: Subrequest[]
          before?: SfRecord
          fields: SfFields
          olderThan?: string
        }> = []
        indices.forEach((i, k) => {
          const current = found[k]
          if (isMapped(current)) return void (results[i] = failure(current))
          const before = current as SfRecord | undefined
          let fields: SfFields
          let olderThan: string | undefined
          try {
            const latest = latestChange(of(i), before)
            const change = { ...of(i).change(before), ...latest.fields }
            if (Object.keys(change).length === 0) {
              const extra = {
                ...(before ? { before } : {}),
                ...(latest.olderThan ? { olderThan: latest.olderThan } : {})
              }
              return void (results[i] = success(object, 'unchanged', before?.Id, extra))
            }
            fields = writableFields(object, change)
            olderThan = latest.olderThan
          } catch (err) {
            return void (results[i] = failure(asMapped(err)))
          }
          const ref = `w${writes.length}`
          const unit = before
            ? this.conditionalUpdate(object, before, fields, of(i).versionField, ref)
            : [
                {
                  method: 'POST' as const,
                  url: sobjectPath(object),
                  referenceId: ref,
                  body: { ...fields, ...matchIdentity(of(i).match) }
                }
              ]
          writes.push({ i, unit, before, fields, olderThan })
        })
        if (writes.length === 0) continue
        const what =
          writes.length === 1
            ? `updating ${object} ${describeMatch(of(writes[0].i).match)}`
            : `updating ${writes.length} ${object} records`
        const answers = await this.writeAll(
          writes.map((w) => w.unit),
          what
        )
        writes.forEach((w, k) => {
          const answer = answers[k]
          if (isMapped(answer)) {
            if (answer instanceof InvalidAuthenticationError) throw answer
            return void (results[w.i] = failure(answer))
          }
          if (isConflict(answer, of(w.i).match, !w.before)) return void conflicts.push(w.i)
          const r = subResult(answer[answer.length - 1], object, what)
          results[w.i] = r.ok
            ? success(object, w.before ? 'updated' : 'created', r.id ?? w.before?.Id, {
                written: w.fields,
                ...(w.before ? { before: w.before } : {}),
                ...(w.olderThan ? { olderThan: w.olderThan } : {})
              })
            : r
        })
      }
      pending = conflicts
    }
    return results
  }

  /** The subrequests of an update that only happens while the record is as it was read. */
  private conditionalUpdate(
    object: string,
    before: SfRecord,
    fields: SfFields,
    versionField: string | undefined,
    ref: string
  ): Subrequest[] {
    const since = httpDate(before.LastModifiedDate)
    const httpHeaders = since ? { 'If-Unmodified-Since': since } : undefined
    if (!versionField) {
      return [{ method: 'PATCH', url: sobjectPath(object, before.Id), referenceId: ref, body: fields, httpHeaders }]
    }
    const version = before[versionField]
    const where = `${soqlEquals('Id', before.Id)} AND ${
      typeof version === 'string' && version !== ''
        ? soqlEquals(versionField, version)
        : `${apiName(versionField)} = null`
    }`
    const check = `${ref}c`
    return [
      { method: 'GET', url: queryPath(soqlSelect({ object, fields: [], where })), referenceId: check },
      {
        method: 'PATCH',
        url: sobjectPath(object, reference(check, 'records[0].Id')),
        referenceId: ref,
        body: fields,
        httpHeaders
      }
    ]
  }

  /** One cheap authenticated call (the org's API limits), for testAuthentication. */
  async testAuthentication(): Promise<void> {
    await this.send('GET', dataPath('limits'), { what: 'checking the connection' })
  }
}
