// Ortto's REST API under /v1/: person/merge, person/get, activities/create and the activity definitions API,
// with X-Api-Key auth and Ortto's error body ({request_id, code, error}). Validation failures fail the whole
// request with a 400 naming the field, before anything is written.
import { randomUUID } from 'crypto'
import { header, isObject, parseJson, reply, type Reply, type SandboxRequest } from '../http'
import { ORTTO_LIMITS, OrttoInputError, checkFieldId, checkFields, isActivityId } from './fields'
import type { FindStrategy, MergeStrategy, OrttoStore } from './store'

export interface OrttoApiOptions {
  apiKeys: string[]
  /** Reject activities whose activity_id has no definition (and attributes the definition lacks). Default false. */
  strictActivities: boolean
}

export interface OrttoResult {
  reply: Reply
  endpoint: string
}

export const orttoError = (status: number, message: string): Reply =>
  reply(status, { request_id: randomUUID(), code: status, error: message })

/** Ortto's documented rate-limit answer. */
export const orttoRateLimit = (seconds: number): Reply =>
  reply(429, { error: { code: 'rate-limit', message: 'rate limit', 'try-in-seconds': seconds } })

function mergeKeys(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > ORTTO_LIMITS.mergeKeys) {
    throw new OrttoInputError(`merge_by must list 1 to ${ORTTO_LIMITS.mergeKeys} field ids`)
  }
  const keys = value.map(String)
  if (keys.includes('person_id') && keys.length > 1) {
    throw new OrttoInputError('when merging by person_id, person_id must be the only field in merge_by')
  }
  keys.forEach((k) => k === 'person_id' || checkFieldId(k, 'merge_by'))
  return keys
}

function items(body: Record<string, unknown>, key: string): unknown[] {
  const list = body[key]
  if (!Array.isArray(list) || list.length === 0 || list.length > ORTTO_LIMITS.itemsPerRequest) {
    throw new OrttoInputError(`${key} must contain between 1 and ${ORTTO_LIMITS.itemsPerRequest} items`)
  }
  return list
}

function strategy<T extends number>(value: unknown, allowed: T[], fallback: T, name: string): T {
  if (value === undefined || value === null) return fallback
  if (!allowed.includes(value as T)) throw new OrttoInputError(`${name} must be one of ${allowed.join(', ')}`)
  return value as T
}

export class OrttoApi {
  constructor(
    private readonly store: OrttoStore,
    private readonly options: OrttoApiOptions
  ) {}

  /** True when the request carries a configured key. */
  authorised(req: SandboxRequest): boolean {
    const key = header(req, 'x-api-key')
    return key !== undefined && this.options.apiKeys.includes(key)
  }

  handle(req: SandboxRequest): OrttoResult {
    const endpoint = `${req.method} ${req.path.replace(/\/+$/, '')}`
    const routes: Record<string, (body: Record<string, unknown>) => unknown> = {
      'POST /v1/person/merge': (b) => this.mergePeople(b),
      'POST /v1/person/get': (b) => this.getPeople(b),
      'POST /v1/activities/create': (b) => this.createActivities(b),
      'POST /v1/definitions/activity/create': (b) => ({ custom_activity: this.store.define(b, false) }),
      'PUT /v1/definitions/activity/modify': (b) => ({ custom_activity: this.store.define(b, true) })
    }
    const route = routes[endpoint]
    if (!route) return { reply: orttoError(404, 'Unknown endpoint or method'), endpoint }
    if (!header(req, 'x-api-key')) return { reply: orttoError(401, 'Missing API key (X-Api-Key header)'), endpoint }
    if (!this.authorised(req)) return { reply: orttoError(401, 'Invalid API key'), endpoint }
    if (Buffer.byteLength(req.body) > ORTTO_LIMITS.requestBytes) {
      return { reply: orttoError(413, 'The request is larger than 2 MB'), endpoint }
    }
    const parsed = parseJson(req.body)
    if (!parsed.ok || !isObject(parsed.value)) {
      return { reply: orttoError(400, 'The request body must be a JSON object'), endpoint }
    }
    try {
      return { reply: reply(200, route(parsed.value)), endpoint }
    } catch (err) {
      if (err instanceof OrttoInputError) return { reply: orttoError(err.status, err.message), endpoint }
      throw err
    }
  }

  private mergePeople(body: Record<string, unknown>) {
    const people = items(body, 'people')
    const mergeBy = mergeKeys(body.merge_by)
    const mergeStrategy = strategy<MergeStrategy>(body.merge_strategy, [1, 2, 3], 2, 'merge_strategy')
    const findStrategy = strategy<FindStrategy>(body.find_strategy, [0, 1, 2], 0, 'find_strategy')
    // Validate everything first: a 400 leaves nothing half-written.
    const inputs = people.map((p, i) => {
      if (!isObject(p)) throw new OrttoInputError(`people[${i}] must be an object`)
      const fields = checkFields(p.fields, `people[${i}].fields`)
      if (!mergeBy.some((k) => fields[k] !== undefined && fields[k] !== null && fields[k] !== '')) {
        throw new OrttoInputError(`people[${i}] has no value for the merge_by field ${mergeBy.join(' or ')}`)
      }
      return fields
    })
    return {
      people: inputs.map((fields) => {
        const { person, created } = this.store.merge(fields, mergeBy, mergeStrategy, findStrategy)
        return { person_id: person.id, status: created ? 'created' : 'merged' }
      })
    }
  }

  private createActivities(body: Record<string, unknown>) {
    const list = items(body, 'activities')
    const mergeBy = body.merge_by === undefined ? undefined : mergeKeys(body.merge_by)
    const checked = list.map((raw, i) => {
      const where = `activities[${i}]`
      if (!isObject(raw)) throw new OrttoInputError(`${where} must be an object`)
      if (!isActivityId(raw.activity_id)) {
        throw new OrttoInputError(
          `invalid activity_id "${String(raw.activity_id)}" in ${where}: expected act:cm:<name>, e.g. act:cm:product-added`
        )
      }
      const attributes = checkFields(raw.attributes, `${where}.attributes (${raw.activity_id})`)
      const fields = checkFields(raw.fields, `${where}.fields`)
      if (Object.keys(attributes).length > ORTTO_LIMITS.attributesPerActivity) {
        throw new OrttoInputError(
          `${raw.activity_id} in ${where} has ${Object.keys(attributes).length} attributes; at most ` +
            `${ORTTO_LIMITS.attributesPerActivity} are allowed`
        )
      }
      if (Buffer.byteLength(JSON.stringify(raw)) > ORTTO_LIMITS.activityBytes) {
        throw new OrttoInputError(`${raw.activity_id} in ${where} is larger than 16 kB`)
      }
      if (this.options.strictActivities) this.checkDefined(raw.activity_id, attributes, where)
      const personId = typeof raw.person_id === 'string' ? raw.person_id : undefined
      const keys = personId ? ['person_id'] : mergeBy
      if (!keys) throw new OrttoInputError(`merge_by is required unless ${where} has a person_id`)
      const personFields = personId ? { ...fields, person_id: personId } : fields
      if (!keys.some((k) => personFields[k] !== undefined && personFields[k] !== null && personFields[k] !== '')) {
        throw new OrttoInputError(`${where} has no value for the merge_by field ${keys.join(' or ')}`)
      }
      const created =
        typeof raw.created === 'string' && !Number.isNaN(Date.parse(raw.created)) ? raw.created : undefined
      return { raw, attributes, personFields, keys, created }
    })
    return {
      activities: checked.map(({ raw, attributes, personFields, keys, created }) => {
        const { person, created: isNew } = this.store.merge(personFields, keys, 2, 0)
        const activity = this.store.addActivity({
          activityId: raw.activity_id as string,
          personId: person.id,
          attributes,
          created,
          key: typeof raw.key === 'string' ? raw.key : undefined,
          location: raw.location
        })
        return {
          person_id: person.id,
          status: 'ingested',
          person_status: isNew ? 'created' : 'merged',
          activity_id: activity.id
        }
      })
    }
  }

  private checkDefined(activityId: string, attributes: Record<string, unknown>, where: string): void {
    const definition = this.store.definition(activityId)
    if (!definition) throw new OrttoInputError(`activity ${activityId} in ${where} does not exist`)
    const known = new Set(definition.attributes.map((a) => a.field_id))
    // int::v is Ortto's built-in conversion value, allowed on activities that track one.
    if (definition.track_conversion_value) known.add('int::v')
    const unknown = Object.keys(attributes).find((id) => !known.has(id))
    if (unknown) throw new OrttoInputError(`attribute ${unknown} in ${where} is not defined on activity ${activityId}`)
  }

  private getPeople(body: Record<string, unknown>) {
    const limit = typeof body.limit === 'number' ? Math.min(Math.max(1, body.limit), 500) : 50
    const offset = typeof body.offset === 'number' ? Math.max(0, body.offset) : 0
    const wanted = Array.isArray(body.fields) ? body.fields.map(String) : []
    wanted.forEach((f) => checkFieldId(f, 'fields'))
    const filter = isObject(body.filter) ? body.filter['$str::is'] : undefined
    const people = this.store.list().filter((p) => {
      if (!isObject(filter)) return true
      const v = p.fields[String(filter.field_id)]
      return typeof v === 'string' && v.toLowerCase() === String(filter.value).toLowerCase()
    })
    const page = people.slice(offset, offset + limit)
    return {
      contacts: page.map((p) => ({
        id: p.id,
        fields: wanted.length ? Object.fromEntries(wanted.map((f) => [f, p.fields[f] ?? null])) : { ...p.fields }
      })),
      meta: { total_contacts: people.length },
      offset,
      next_offset: offset + page.length,
      has_more: offset + page.length < people.length
    }
  }
}
