// sObject Collections: create (POST), update (PATCH), upsert by external id (PATCH /{Obj}/{ExtField}), delete and
// retrieve, ≤200 records, one API call. Results are per record ({id, success, errors[, created]}, errors as
// {statusCode, message, fields}); allOrNone rolls every record back when one fails.
import { isObject, reply } from '../http'
import { SfError, badRequest, collectionError, notFound, toSfError } from './errors'
import { to15 } from './ids'
import { result, type RestContext, type RestRequest, type RestResult } from './route'
import type { SfRecord } from './store'
import { comparable } from './values'

export const COLLECTION_LIMIT = 200

type ItemResult = { id?: string | null; success: boolean; errors: unknown[]; created?: boolean }

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: []
}

function records(body: unknown): { list: SfRecord[]; allOrNone: boolean } {
  if (!isObject(body) || !Array.isArray(body.records)) throw badRequest('JSON_PARSER_ERROR', 'records must be an array')
  if (body.records.length > COLLECTION_LIMIT) {
    throw badRequest(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`
    )
  }
  return { list: body.records as SfRecord[], allOrNone: body.allOrNone === true }
}

function typeOf(record: SfRecord): string {
  const attributes = record.attributes
  const type = isObject(attributes) ? attributes.type : undefined
  if (typeof type !== 'string') throw badRequest('INVALID_TYPE', 'Must send a concrete entity type.')
  return type
}

/** Run each item; with allOrNone any failure rolls back all and marks the others rolled back. */
function runItems(
  ctx: RestContext,
  items: unknown[],
  allOrNone: boolean,
  op: (item: unknown) => ItemResult
): ItemResult[] {
  const tx = ctx.store.begin()
  const results = items.map((item) => {
    try {
      return ctx.store.atomic(() => op(item))
    } catch (err) {
      return { success: false, errors: [collectionError(toSfError(err))] }
    }
  })
  if (allOrNone && results.some((r) => !r.success)) {
    tx.rollback()
    return results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r))
  }
  tx.commit()
  return results
}

function upsertAll(ctx: RestContext, objName: string, fieldName: string, list: SfRecord[], allOrNone: boolean) {
  const obj = ctx.store.object(objName)
  const field = ctx.store.schema.field(obj, fieldName)
  if (!field || !field.idLookup) {
    throw new SfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`)
  }
  const valueOf = (r: SfRecord) => Object.entries(r).find(([k]) => k.toLowerCase() === field.name.toLowerCase())?.[1]
  const counts = new Map<unknown, number>()
  for (const r of list) {
    const key = comparable(field, valueOf(r))
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return runItems(ctx, list, allOrNone, (item) => {
    const r = item as SfRecord
    if (typeOf(r).toLowerCase() !== obj.name.toLowerCase()) {
      throw badRequest('INVALID_TYPE', `Record type ${typeOf(r)} does not match the upsert object ${obj.name}`)
    }
    const value = valueOf(r)
    if (value === undefined || value === null || value === '') {
      throw badRequest('MISSING_ARGUMENT', `${field.name} not specified`, [field.name])
    }
    if ((counts.get(comparable(field, value)) ?? 0) > 1) {
      throw badRequest('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${value}`, [field.name])
    }
    const { attributes: _attributes, ...fields } = r
    const { record, created } = ctx.store.upsert(obj.name, field.name, String(value), fields)
    return { id: record.Id as string, success: true, errors: [], created }
  })
}

export function runCollection(ctx: RestContext, req: RestRequest, rest: string[]): RestResult {
  const m = req.method
  const ok = (body: unknown, endpoint: string): RestResult => result(reply(200, body), endpoint)
  if (rest.length === 0 && m === 'POST') {
    const { list, allOrNone } = records(req.body)
    const out = runItems(ctx, list, allOrNone, (item) => {
      const r = item as SfRecord
      const { attributes: _attributes, ...fields } = r
      if (Object.keys(fields).some((k) => k.toLowerCase() === 'id')) {
        throw badRequest('INVALID_FIELD', 'Cannot specify Id in an insert call', ['Id'])
      }
      const created = ctx.store.create(typeOf(r), fields)
      return { id: created.Id as string, success: true, errors: [] }
    })
    return ok(out, 'POST /composite/sobjects')
  }
  if (rest.length === 0 && m === 'PATCH') {
    const { list, allOrNone } = records(req.body)
    const out = runItems(ctx, list, allOrNone, (item) => {
      const r = item as SfRecord
      const { attributes: _attributes, id, Id, ...fields } = r
      const recordId = (id ?? Id) as string | undefined
      if (!to15(recordId)) throw badRequest('MALFORMED_ID', `Invalid id: ${recordId}`, ['Id'])
      ctx.store.update(typeOf(r), recordId, fields)
      return { id: recordId, success: true, errors: [] }
    })
    return ok(out, 'PATCH /composite/sobjects')
  }
  if (rest.length === 0 && m === 'DELETE') {
    const ids = (req.query.get('ids') ?? '').split(',').filter((s) => s)
    if (ids.length > COLLECTION_LIMIT)
      throw badRequest('EXCEEDED_ID_LIMIT', `cannot delete more than ${COLLECTION_LIMIT} records`)
    const out = runItems(ctx, ids, req.query.get('allOrNone') === 'true', (id) => {
      const obj = ctx.store.schema.objectOfId(to15(id) ?? '')
      if (!obj) throw badRequest('MALFORMED_ID', `malformed id ${id}`)
      ctx.store.delete(obj.name, id)
      return { id: id as string, success: true, errors: [] }
    })
    return ok(out, 'DELETE /composite/sobjects')
  }
  if (rest.length === 1 && m === 'GET') {
    const obj = ctx.store.object(rest[0])
    const fields = (req.query.get('fields') ?? 'Id').split(',').map((f) => {
      const field = ctx.store.schema.field(obj, f.trim())
      if (!field) throw badRequest('INVALID_FIELD', `No such column '${f}' on sobject of type ${obj.name}`)
      return field
    })
    const out = (req.query.get('ids') ?? '').split(',').map((id) => {
      try {
        return ctx.store.toApi(obj, ctx.store.get(obj.name, id), fields)
      } catch {
        return null
      }
    })
    return ok(out, `GET /composite/sobjects/${obj.name}`)
  }
  if (rest.length === 2 && m === 'PATCH') {
    const { list, allOrNone } = records(req.body)
    const objName = ctx.store.object(rest[0]).name
    return ok(upsertAll(ctx, objName, rest[1], list, allOrNone), `PATCH /composite/sobjects/${objName}/${rest[1]}`)
  }
  throw notFound()
}
