// REST under /services/data/vNN.N/: the router every call goes through — top-level requests and the
// subrequests of composite, graph and batch calls alike. Each route answers a Reply, an endpoint label for the
// audit ("PATCH /sobjects/Contact/JLP_Supporter_Id__c/{value}") and its API-call cost.
import { isObject, reply, type Reply } from '../http'
import { runComposite, runCompositeBatch, runGraph } from './composite'
import { runCollection } from './collections'
import { SfError, badRequest, notFound, sfErrorReply, toSfError } from './errors'
import { invokeFlow, listFlows } from './flows'
import { to15 } from './ids'
import { describeGlobalItem, describeObject } from './schema'
import { result, versionNumber, type Caller, type RestContext, type RestRequest, type RestResult } from './route'
import type { SfRecord } from './store'

function bodyObject(body: unknown): SfRecord {
  if (body === undefined) return {}
  if (!isObject(body)) throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object')
  return body
}

function createdReply(ctx: RestContext, obj: string, id: string, extra: SfRecord = {}): Reply {
  return reply(
    201,
    { id, success: true, errors: [], ...extra },
    {
      Location: `/services/data/${ctx.version}/sobjects/${obj}/${id}`
    }
  )
}

function sobjects(ctx: RestContext, req: RestRequest, parts: string[]): RestResult {
  const [objName, a, b] = parts
  const { store } = ctx
  const schemaObj = store.schema.object(objName)
  if (!schemaObj) throw notFound()
  const obj = schemaObj.name
  const m = req.method
  if (parts.length === 1) {
    if (m === 'GET') {
      return result(
        reply(200, { objectDescribe: describeGlobalItem(schemaObj, ctx.version), recentItems: [] }),
        `GET /sobjects/${obj}`
      )
    }
    if (m !== 'POST') throw methodNotAllowed(m)
    if (schemaObj.kind === 'platformEvent') {
      const event = store.publish(obj, bodyObject(req.body))
      return result(
        reply(201, {
          id: event.id,
          success: true,
          errors: [{ statusCode: 'OPERATION_ENQUEUED', message: event.id, fields: [] }]
        }),
        `POST /sobjects/${obj}`
      )
    }
    const body = bodyObject(req.body)
    const unexpectedId = Object.keys(body).find((k) => k.toLowerCase() === 'id')
    if (unexpectedId) throw badRequest('INVALID_FIELD', 'Cannot specify Id in an insert call', ['Id'])
    const record = store.create(obj, body)
    return result(createdReply(ctx, obj, record.Id as string), `POST /sobjects/${obj}`)
  }
  if (a === 'describe' && parts.length === 2) {
    if (m !== 'GET') throw methodNotAllowed(m)
    return result(reply(200, describeObject(schemaObj, ctx.version)), `GET /sobjects/${obj}/describe`)
  }
  if (parts.length === 2) {
    const endpoint = `${m} /sobjects/${obj}/{id}`
    if (!to15(a)) throw notFound()
    if (m === 'GET') return result(reply(200, retrieve(ctx, obj, store.get(obj, a), req.query.get('fields'))), endpoint)
    if (m === 'PATCH') {
      const since = req.headers['if-unmodified-since']
      const ifUnmodifiedSince = since ? Date.parse(since) : undefined
      store.update(obj, a, bodyObject(req.body), { ifUnmodifiedSince })
      return result(reply(204), endpoint)
    }
    if (m === 'DELETE') {
      store.delete(obj, a)
      return result(reply(204), endpoint)
    }
    throw methodNotAllowed(m)
  }
  if (parts.length === 3) {
    const field = store.schema.field(schemaObj, a)
    const endpoint = `${m} /sobjects/${obj}/${field?.name ?? a}/{value}`
    if (m === 'PATCH') {
      const { record, created } = store.upsert(obj, a, b, bodyObject(req.body))
      if (created) return result(createdReply(ctx, obj, record.Id as string, { created: true }), endpoint)
      if (versionNumber(ctx.version) < 46) return result(reply(204), endpoint)
      return result(reply(200, { id: record.Id, success: true, errors: [], created: false }), endpoint)
    }
    if (!field || !field.idLookup) {
      throw new SfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${a}`)
    }
    const matches = store.findBy(schemaObj, field, b)
    if (matches.length === 0) throw notFound()
    if (matches.length > 1) {
      throw new SfError(
        300,
        'MULTIPLE_CHOICES',
        'Multiple records match',
        [],
        matches.map((r) => retrieveUrl(ctx, obj, r))
      )
    }
    if (m === 'GET') return result(reply(200, retrieve(ctx, obj, matches[0], req.query.get('fields'))), endpoint)
    if (m === 'DELETE') {
      store.delete(obj, matches[0].Id)
      return result(reply(204), endpoint)
    }
    throw methodNotAllowed(m)
  }
  throw notFound()
}

const retrieveUrl = (ctx: RestContext, obj: string, r: SfRecord) =>
  `/services/data/${ctx.version}/sobjects/${obj}/${r.Id}`

function retrieve(ctx: RestContext, obj: string, values: SfRecord, fieldList: string | null): SfRecord {
  const schemaObj = ctx.store.object(obj)
  if (!fieldList) return ctx.store.toApi(schemaObj, values)
  const fields = fieldList.split(',').map((name) => {
    const f = ctx.store.schema.field(schemaObj, name.trim())
    if (!f) throw badRequest('INVALID_FIELD', `No such column '${name.trim()}' on sobject of type ${obj}`)
    return f
  })
  return ctx.store.toApi(schemaObj, values, fields)
}

const methodNotAllowed = (method: string) =>
  new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,HEAD,POST,PATCH,DELETE`)

function query(ctx: RestContext, req: RestRequest): RestResult {
  if (req.method !== 'GET') throw methodNotAllowed(req.method)
  const q = req.query.get('q')
  if (!q) throw badRequest('MALFORMED_QUERY', 'A query string has to be specified')
  return result(reply(200, ctx.queries.run(q)), `GET /${req.path.split('/').filter((p) => p)[0]}`)
}

function resources(ctx: RestContext): Reply {
  const base = `/services/data/${ctx.version}`
  return reply(200, {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    composite: `${base}/composite`,
    limits: `${base}/limits`,
    jobs: `${base}/jobs`,
    actions: `${base}/actions`
  })
}

/** Route one REST request (top level or a subrequest). Errors become Salesforce error replies, never throws. */
export function handleRest(ctx: RestContext, req: RestRequest, caller: Caller = 'top'): RestResult {
  const parts = req.path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent)
  const head = parts[0] ?? ''
  const label = `${req.method} /${head}`
  try {
    if (caller !== 'top' && (head === 'jobs' || (head === 'composite' && parts[1] !== 'sobjects'))) {
      throw badRequest('INVALID_API_INPUT', `The resource /${parts.join('/')} is not allowed in a composite request`)
    }
    switch (head) {
      case '':
        return result(resources(ctx), 'GET /')
      case 'limits': {
        const { used, limit } = ctx.apiUsage()
        return result(
          reply(200, { DailyApiRequests: { Max: limit, Remaining: Math.max(0, limit - used) } }),
          'GET /limits'
        )
      }
      case 'sobjects':
        if (parts.length === 1) {
          if (req.method !== 'GET') throw methodNotAllowed(req.method)
          const list = [...ctx.store.schema.objects.values()].map((o) => describeGlobalItem(o, ctx.version))
          return result(reply(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects: list }), 'GET /sobjects')
        }
        return sobjects(ctx, req, parts.slice(1))
      case 'query':
      case 'queryAll':
        return query(ctx, req)
      case 'composite':
        if (parts[1] === 'sobjects') return runCollection(ctx, req, parts.slice(2))
        if (req.method !== 'POST') throw methodNotAllowed(req.method)
        if (parts.length === 1) return result(runComposite(ctx, bodyObject(req.body), handleRest), 'POST /composite')
        if (parts[1] === 'graph')
          return result(runGraph(ctx, bodyObject(req.body), handleRest), 'POST /composite/graph')
        if (parts[1] === 'batch') {
          const batch = runCompositeBatch(ctx, bodyObject(req.body), handleRest)
          return result(batch.reply, 'POST /composite/batch', batch.cost)
        }
        throw notFound()
      case 'jobs':
        if (parts[1] !== 'ingest') throw notFound()
        return ctx.bulk.handle(req, parts.slice(2))
      case 'actions':
        if (parts[1] !== 'custom' || parts[2] !== 'flow') throw notFound()
        if (parts.length === 3 && req.method === 'GET') return result(listFlows(ctx.store), 'GET /actions/custom/flow')
        if (parts.length === 4 && req.method === 'POST') {
          return result(invokeFlow(ctx.store, parts[3], req.body), `POST /actions/custom/flow/${parts[3]}`)
        }
        throw notFound()
      default:
        throw notFound()
    }
  } catch (err) {
    const e = toSfError(err)
    const endpoint = labelFor(ctx, req.method, parts) ?? label
    return result(sfErrorReply(e), endpoint)
  }
}

/** The endpoint label for a request that failed before its route named one. */
function labelFor(ctx: RestContext, method: string, parts: string[]): string | undefined {
  if (parts[0] !== 'sobjects' || parts.length < 2) return undefined
  const obj = ctx.store.schema.object(parts[1])?.name ?? parts[1]
  if (parts.length === 2) return `${method} /sobjects/${obj}`
  if (parts.length === 3)
    return parts[2] === 'describe' ? `${method} /sobjects/${obj}/describe` : `${method} /sobjects/${obj}/{id}`
  return `${method} /sobjects/${obj}/${parts[2]}/{value}`
}
