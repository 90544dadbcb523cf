// THE Ortto client: hosts, headers, chunking to Ortto's per-request limits, error mapping and per-item results.
// Actions build typed items (see ./fields) and hand them here; they never build URLs, chunk or read Ortto errors.
import { MultiStatusResponse, PayloadValidationError, type RequestClient } from '@segment/actions-core'
import type { ActionOutcome } from '../../../lib/outcome'
import { errorStatus, errorType, mapOrttoError, mapTransportError, orttoMessage, type OrttoError } from './errors'
import type { OrttoJson } from './fields'
import { ORTTO_API_VERSION, orttoBaseUrl, type HostSettings } from './hosts'

export * from './errors'
export * from './fields'
export * from './hosts'

/** Ortto's documented limits (developer docs: activities create, person merge). */
export const ORTTO_LIMITS = {
  itemsPerRequest: 100,
  requestBytes: 2 * 1024 * 1024,
  activityBytes: 16 * 1024,
  attributesPerActivity: 15,
  mergeKeys: 3
} as const

export interface OrttoSettings extends HostSettings {
  apiKey: string
}

/** One of three ways Ortto takes a location (only one is used). */
export interface OrttoLocation {
  source_ip?: string
  custom?: Record<string, OrttoJson>
  address?: Record<string, OrttoJson>
}

export interface OrttoActivity {
  activity_id: string
  attributes: Record<string, OrttoJson>
  fields: Record<string, OrttoJson>
  location?: OrttoLocation
  /** ISO 8601 time of the activity (backdating up to Ortto's retention period). */
  created?: string
  /** With `created`, identifies the activity so a redelivery is merged rather than recorded twice. */
  key?: string
}

export interface OrttoPerson {
  fields: Record<string, OrttoJson>
  location?: OrttoLocation
}

/**
 * Person fields that only the newest event may write. Ortto keeps the last value written and has no conditional
 * write, so the client reads the person's `stamp` (epoch ms of the event that last wrote these fields) first and
 * leaves the fields out when this event is older — a late redelivery cannot undo a newer change. A write may carry
 * several guards (e.g. subscription fields, last purchase), each with its own stamp: one read per person for all.
 */
export interface OrttoGuard {
  stamp: string
  /** This event's time, epoch ms. */
  at: number
  fields: string[]
}

/** An item to write and the person keys Ortto merges it by (e.g. ['str::email']). */
export interface OrttoWrite<T> {
  body: T
  mergeBy: string[]
  guards?: OrttoGuard[]
}

export interface OrttoItemSuccess {
  ok: true
  /** Ortto's item status: ingested / queued for activities, created / merged for people. */
  status: string
  personId?: string
  personStatus?: string
}

export interface OrttoItemFailure {
  ok: false
  error: OrttoError
}

export type OrttoItemResult = OrttoItemSuccess | OrttoItemFailure

/** 1 append only, 2 overwrite existing (Ortto's default), 3 ignore existing people. */
export type MergeStrategy = 1 | 2 | 3

const FAILED_ITEM_STATUSES = new Set(['error', 'failed', 'invalid', 'rejected', 'suppressed'])

/** Build an item, turning a validation problem into that item's failure (so one bad event fails alone). */
export function tryBuild<T>(build: () => OrttoWrite<T>): OrttoWrite<T> | OrttoError {
  try {
    return build()
  } catch (err) {
    if (err instanceof Error && 'status' in err) return err as OrttoError
    return new PayloadValidationError(err instanceof Error ? err.message : String(err))
  }
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8')

function mergeKeyProblem(write: OrttoWrite<{ fields: Record<string, OrttoJson> }>): OrttoError | undefined {
  const keys = write.mergeBy
  if (keys.length === 0 || keys.length > ORTTO_LIMITS.mergeKeys) {
    return new PayloadValidationError(
      `Merge by needs 1 to ${ORTTO_LIMITS.mergeKeys} person fields; got ${keys.length}.`
    )
  }
  const present = keys.some((k) => {
    const v = write.body.fields[k]
    return v !== undefined && v !== null && v !== ''
  })
  if (!present) {
    return new PayloadValidationError(
      `The person has no ${keys.join(' or ')}: Ortto needs a value for the merge key to find or create the person.`
    )
  }
  return undefined
}

function activityProblem(write: OrttoWrite<OrttoActivity>): OrttoError | undefined {
  const attributes = Object.keys(write.body.attributes).length
  if (attributes > ORTTO_LIMITS.attributesPerActivity) {
    return new PayloadValidationError(
      `${write.body.activity_id} has ${attributes} attributes; Ortto takes at most ${ORTTO_LIMITS.attributesPerActivity}. ` +
        `Remove some from the mapping.`
    )
  }
  const size = bytes(write.body)
  if (size > ORTTO_LIMITS.activityBytes) {
    return new PayloadValidationError(
      `${write.body.activity_id} is ${size} bytes; Ortto takes at most ${ORTTO_LIMITS.activityBytes} bytes an activity.`
    )
  }
  return mergeKeyProblem(write)
}

/** Split indices into requests: same merge keys, ≤100 items, ≤2 MB. Exported for tests. */
export function chunkWrites<T>(writes: ReadonlyArray<{ index: number; write: OrttoWrite<T> }>): number[][] {
  const groups = new Map<string, Array<{ index: number; write: OrttoWrite<T> }>>()
  for (const w of writes) {
    const key = JSON.stringify(w.write.mergeBy)
    groups.set(key, [...(groups.get(key) ?? []), w])
  }
  const chunks: number[][] = []
  const budget = ORTTO_LIMITS.requestBytes - 1024
  for (const group of groups.values()) {
    let chunk: number[] = []
    let size = 0
    for (const { index, write } of group) {
      const itemSize = bytes(write.body) + 1
      if (chunk.length > 0 && (chunk.length >= ORTTO_LIMITS.itemsPerRequest || size + itemSize > budget)) {
        chunks.push(chunk)
        chunk = []
        size = 0
      }
      chunk.push(index)
      size += itemSize
    }
    if (chunk.length > 0) chunks.push(chunk)
  }
  return chunks
}

function itemResult(raw: unknown, what: string): OrttoItemResult {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const status = typeof item.status === 'string' ? item.status : ''
  if (raw === undefined) {
    return { ok: false, error: mapOrttoError(502, 'Ortto returned no result for this item', what) }
  }
  if (item.error !== undefined || FAILED_ITEM_STATUSES.has(status)) {
    const code = typeof item.status_code === 'number' ? item.status_code : 400
    return { ok: false, error: mapOrttoError(code, orttoMessage(item) ?? `item ${status}`, what) }
  }
  return {
    ok: true,
    status: status || 'ok',
    personId: typeof item.person_id === 'string' ? item.person_id : undefined,
    personStatus: typeof item.person_status === 'string' ? item.person_status : undefined
  }
}

export class OrttoClient {
  /** Requests made by this client (for outcomes: API calls per event). */
  apiCalls = 0
  private readonly baseUrl: string

  constructor(
    private readonly request: RequestClient,
    private readonly settings: OrttoSettings
  ) {
    this.baseUrl = orttoBaseUrl(settings)
  }

  /** POST to an Ortto endpoint; returns the parsed body of a 2xx answer, or throws a mapped error. */
  async post<T = unknown>(path: string, json: unknown, what: string): Promise<T> {
    return this.send<T>('POST', path, json, what)
  }

  async put<T = unknown>(path: string, json: unknown, what: string): Promise<T> {
    return this.send<T>('PUT', path, json, what)
  }

  private async send<T>(method: 'POST' | 'PUT', path: string, json: unknown, what: string): Promise<T> {
    if (!this.settings.apiKey) {
      throw mapOrttoError(401, 'no API key is set', what)
    }
    let response: { status: number; data?: unknown; content?: string }
    this.apiCalls++
    try {
      response = await this.request(`${this.baseUrl}/${ORTTO_API_VERSION}/${path}`, {
        method,
        json,
        headers: { 'X-Api-Key': this.settings.apiKey, 'Content-Type': 'application/json' },
        throwHttpErrors: false,
        // Read the body itself: actions-core's copy of a response stalls once an answer passes ~16 kB.
        skipResponseCloning: true
      })
    } catch (err) {
      throw mapTransportError(err, what)
    }
    const body = response.data ?? response.content
    if (response.status < 200 || response.status >= 300) throw mapOrttoError(response.status, body, what)
    return body as T
  }

  /** One cheap authenticated read: the first person, one field. */
  async testAuthentication(): Promise<void> {
    await this.post('person/get', { limit: 1, fields: ['str::email'] }, 'checking the API key')
  }

  /** POST /v1/activities/create, chunked; one result per input (a given error stays that item's failure). */
  createActivities(items: ReadonlyArray<OrttoWrite<OrttoActivity> | OrttoError>): Promise<OrttoItemResult[]> {
    return this.writeAll(items, activityProblem, 'activities/create', 'activities', (activities, mergeBy) => ({
      activities,
      merge_by: mergeBy,
      async: false
    }))
  }

  /** POST /v1/person/merge, chunked; one result per input. */
  mergePeople(
    items: ReadonlyArray<OrttoWrite<OrttoPerson> | OrttoError>,
    mergeStrategy: MergeStrategy = 2
  ): Promise<OrttoItemResult[]> {
    return this.writeAll(items, mergeKeyProblem, 'person/merge', 'people', (people, mergeBy) => ({
      people,
      merge_by: mergeBy,
      merge_strategy: mergeStrategy,
      find_strategy: 0,
      async: false
    }))
  }

  private async writeAll<T>(
    items: ReadonlyArray<OrttoWrite<T> | OrttoError>,
    problem: (w: OrttoWrite<T>) => OrttoError | undefined,
    path: string,
    listKey: string,
    body: (list: T[], mergeBy: string[]) => unknown
  ): Promise<OrttoItemResult[]> {
    const results: OrttoItemResult[] = new Array(items.length)
    const valid: Array<{ index: number; write: OrttoWrite<T> }> = []
    items.forEach((item, index) => {
      const error = item instanceof Error ? item : problem(item)
      if (error) results[index] = { ok: false, error }
      else valid.push({ index, write: item as OrttoWrite<T> })
    })
    for (const [index, error] of await this.applyGuards(valid as Array<{ index: number; write: GuardedWrite }>)) {
      results[index] = { ok: false, error }
    }
    const byIndex = new Map(valid.filter((v) => !results[v.index]).map((v) => [v.index, v.write]))
    let stopped: OrttoError | undefined
    for (const chunk of chunkWrites(valid.filter((v) => byIndex.has(v.index)))) {
      const what = `sending ${chunk.length} ${listKey === 'people' ? 'people' : 'activities'} to Ortto`
      if (stopped) {
        for (const i of chunk) results[i] = { ok: false, error: stopped }
        continue
      }
      const writes = chunk.map((i) => byIndex.get(i) as OrttoWrite<T>)
      try {
        const data = await this.post<Record<string, unknown>>(
          path,
          body(
            writes.map((w) => w.body),
            writes[0].mergeBy
          ),
          what
        )
        const list = Array.isArray(data?.[listKey]) ? (data[listKey] as unknown[]) : []
        chunk.forEach((i, k) => (results[i] = itemResult(list[k], what)))
      } catch (err) {
        const error = err as OrttoError
        if (errorType(error) === 'INVALID_AUTHENTICATION') throw error
        // Rate limit or outage: do not keep hammering; the rest of the batch is retried later.
        if (errorType(error) === 'RETRYABLE_ERROR') stopped = error
        for (const i of chunk) results[i] = { ok: false, error }
      }
    }
    return results
  }

  /** The guard stamps Ortto holds for a person (0 when none), read with one person/get. */
  private async storedStamps(key: string, value: OrttoJson, stamps: string[]): Promise<Record<string, number>> {
    const data = await this.post<{ contacts?: Array<{ fields?: Record<string, unknown> }> }>(
      'person/get',
      { limit: 1, fields: stamps, filter: { '$str::is': { field_id: key, value } } },
      `reading ${stamps.join(', ')}`
    )
    const held = data?.contacts?.[0]?.fields ?? {}
    return Object.fromEntries(stamps.map((s) => [s, typeof held[s] === 'number' ? (held[s] as number) : 0]))
  }

  /**
   * Leave each guard's fields out of every write that is not the newest for its person and stamp (one person/get
   * per person). Answers the items whose read failed, with the error.
   */
  private async applyGuards(items: Array<{ index: number; write: GuardedWrite }>): Promise<Map<number, OrttoError>> {
    const failed = new Map<number, OrttoError>()
    const byPerson = new Map<string, { key: string; value: OrttoJson; items: typeof items }>()
    for (const item of items) {
      const key = item.write.mergeBy.find((k) => item.write.body.fields[k] !== undefined)
      if (!item.write.guards?.length || !key) continue
      const value = item.write.body.fields[key]
      const id = `${key} ${String(value).toLowerCase()}`
      byPerson.set(id, { key, value, items: [...(byPerson.get(id)?.items ?? []), item] })
    }
    for (const { key, value, items: mine } of byPerson.values()) {
      const guards = mine.flatMap((m) => m.write.guards ?? [])
      const stamps = [...new Set(guards.map((g) => g.stamp))]
      let stored: Record<string, number>
      try {
        stored = await this.storedStamps(key, value, stamps)
      } catch (err) {
        if (errorType(err as OrttoError) === 'INVALID_AUTHENTICATION') throw err
        for (const { index } of mine) failed.set(index, err as OrttoError)
        continue
      }
      const newest = (stamp: string) => Math.max(...guards.filter((g) => g.stamp === stamp).map((g) => g.at))
      for (const { write } of mine) {
        const fields = { ...write.body.fields }
        for (const guard of write.guards ?? []) {
          if (guard.at === newest(guard.stamp) && guard.at >= stored[guard.stamp]) continue
          for (const f of [...guard.fields, guard.stamp]) delete fields[f]
        }
        write.body = { ...write.body, fields }
      }
    }
    return failed
  }

  /** POST /v1/definitions/activity/create. */
  createActivityDefinition(definition: OrttoActivityDefinition): Promise<unknown> {
    return this.post('definitions/activity/create', definition, `creating activity ${definition.name}`)
  }

  /** PUT /v1/definitions/activity/modify: the activity named `name` takes this definition (attributes replaced). */
  modifyActivityDefinition(definition: OrttoActivityDefinition): Promise<unknown> {
    return this.put('definitions/activity/modify', definition, `changing activity ${definition.name}`)
  }
}

type GuardedWrite = OrttoWrite<{ fields: Record<string, OrttoJson> }>

/** A custom activity definition as Ortto's definitions API takes it. */
export interface OrttoActivityDefinition {
  name: string
  icon_id: string
  track_conversion_value: boolean
  touch: boolean
  filterable: boolean
  visible_in_feeds: boolean
  display_style: { type: 'activity' | 'activity_attribute' | 'activity_template'; [key: string]: OrttoJson }
  attributes: Array<{ name: string; display_type: string; field_id?: string }>
}

/** Single-event mode: the one result, or its error thrown (Ortto's per-item rejection must not read as success). */
export function onlyResult(results: readonly OrttoItemResult[]): OrttoItemSuccess {
  const [result] = results
  if (!result.ok) throw result.error
  return result
}

/** Batch mode: a MultiStatusResponse with a true result per event. */
export function toMultiStatus<T>(
  results: readonly OrttoItemResult[],
  items: ReadonlyArray<OrttoWrite<T> | OrttoError>,
  describe: (result: OrttoItemSuccess, body: T) => ActionOutcome
): MultiStatusResponse {
  const response = new MultiStatusResponse()
  results.forEach((result, i) => {
    const item = items[i]
    const sent = item instanceof Error ? undefined : (item.body as unknown as Record<string, OrttoJson>)
    if (result.ok) {
      response.setSuccessResponseAtIndex(i, {
        status: 200,
        sent: sent ?? {},
        body: describe(result, (item as OrttoWrite<T>).body)
      })
    } else {
      response.setErrorResponseAtIndex(i, {
        status: errorStatus(result.error),
        errortype: errorType(result.error),
        errormessage: result.error.message,
        ...(sent ? { sent } : {})
      })
    }
  })
  return response
}
