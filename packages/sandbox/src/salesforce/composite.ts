// Composite (≤25 subrequests, @{ref.path} references, allOrNone), Composite Graph (graphs of ≤500 nodes, each
// all-or-nothing) and Composite Batch (independent subrequests, each an API call). Subrequests run through the
// same router as top-level calls.
import { isObject, reply, type Reply } from '../http'
import { SfError, badRequest, sfErrorItem } from './errors'
import type { Caller, RestContext, RestRequest, RestResult } from './route'

export type Execute = (ctx: RestContext, req: RestRequest, caller: Caller) => RestResult

export const COMPOSITE_LIMITS = {
  subrequests: 25,
  queriesAndCollections: 5,
  graphs: 75,
  graphNodes: 500,
  graphDepth: 15,
  batchSubrequests: 25
} as const

export interface SubrequestResult {
  body: unknown
  httpHeaders: Record<string, string>
  httpStatusCode: number
  referenceId: string
}

interface Node {
  method: string
  url: string
  referenceId: string
  body?: unknown
  httpHeaders?: Record<string, string>
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g

const ROLLED_BACK = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.'
}

class ReferenceError extends SfError {
  constructor(expression: string, referenceId: string) {
    super(
      400,
      'PROCESSING_HALTED',
      `Invalid reference specified. No value for ${expression} found in ${referenceId}. ` +
        `Provided referenceId ${referenceId} must refer to a successful earlier subrequest.`
    )
  }
}

function lookup(value: unknown, path: string): unknown {
  let current = value
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || current === undefined) return undefined
    current = step.startsWith('[')
      ? (current as unknown[])[Number(step.slice(1, -1))]
      : (current as Record<string, unknown>)[step.slice(1)]
  }
  return current
}

/** Replace @{ref.path} in a string; a string that is exactly one reference takes the referenced value's type. */
function substitute(text: string, refs: Map<string, SubrequestResult>): unknown {
  const resolve = (ref: string, path: string) => {
    const done = refs.get(ref)
    const value = done && done.httpStatusCode < 400 ? lookup(done.body, path) : undefined
    if (value === undefined) throw new ReferenceError(`${ref}${path}`, ref)
    return value
  }
  const whole = new RegExp(`^${REFERENCE.source}$`).exec(text)
  if (whole) return resolve(whole[1], whole[2])
  return text.replace(REFERENCE, (_m, ref: string, path: string) => String(resolve(ref, path)))
}

function substituteDeep(value: unknown, refs: Map<string, SubrequestResult>): unknown {
  if (typeof value === 'string') return substitute(value, refs)
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, refs))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, refs)]))
  return value
}

function parseNodes(list: unknown, what: string): Node[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw badRequest('INVALID_API_INPUT', `${what} must be a non-empty array of subrequests`)
  }
  const seen = new Set<string>()
  return list.map((n, i) => {
    if (
      !isObject(n) ||
      typeof n.method !== 'string' ||
      typeof n.url !== 'string' ||
      typeof n.referenceId !== 'string'
    ) {
      throw badRequest('INVALID_API_INPUT', `Subrequest ${i} needs method, url and referenceId`)
    }
    if (!/^[A-Za-z0-9_]+$/.test(n.referenceId) || seen.has(n.referenceId)) {
      throw badRequest('INVALID_API_INPUT', `Duplicate or invalid referenceId: ${n.referenceId}`)
    }
    seen.add(n.referenceId)
    return n as unknown as Node
  })
}

/** Split /services/data/vNN.N/rest?query into version, path and query. */
function splitUrl(url: string): { version: string; path: string; query: URLSearchParams } {
  const m = /^(v\d+\.\d+)\/([^?]*)(?:\?(.*))?$/.exec(url.replace(/^\/?(services\/data\/)?/, ''))
  if (!m) throw badRequest('INVALID_API_INPUT', `The URL of a subrequest must start with /services/data/vXX.X/: ${url}`)
  return { version: m[1], path: m[2], query: new URLSearchParams(m[3] ?? '') }
}

function execNode(
  ctx: RestContext,
  node: Node,
  refs: Map<string, SubrequestResult>,
  execute: Execute,
  caller: Caller
): SubrequestResult {
  let result: RestResult['reply']
  try {
    const url = String(substitute(node.url, refs))
    const body = node.body === undefined ? undefined : substituteDeep(node.body, refs)
    const { version, path, query } = splitUrl(url)
    const headers = Object.fromEntries(Object.entries(node.httpHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
    result = execute(
      { ...ctx, version },
      { method: node.method.toUpperCase(), path, query, body, headers },
      caller
    ).reply
  } catch (err) {
    if (!(err instanceof SfError)) throw err
    result = reply(err.status, [sfErrorItem(err)])
  }
  return {
    body: result.body ?? null,
    httpHeaders: result.headers ?? {},
    httpStatusCode: result.status,
    referenceId: node.referenceId
  }
}

/** Run nodes in order; with allOrNone the first failure rolls everything back and halts the rest. */
function runNodes(
  ctx: RestContext,
  nodes: Node[],
  execute: Execute,
  caller: Caller,
  allOrNone: boolean
): { results: SubrequestResult[]; ok: boolean } {
  const refs = new Map<string, SubrequestResult>()
  const results: SubrequestResult[] = []
  const tx = ctx.store.begin()
  let failedAt = -1
  for (const node of nodes) {
    const r = execNode(ctx, node, refs, execute, caller)
    refs.set(node.referenceId, r)
    results.push(r)
    if (r.httpStatusCode >= 400 && allOrNone) {
      failedAt = results.length - 1
      break
    }
  }
  if (failedAt < 0) {
    tx.commit()
    return { results, ok: results.every((r) => r.httpStatusCode < 400) }
  }
  tx.rollback()
  const halted = (node: Node): SubrequestResult => ({
    body: [ROLLED_BACK],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId: node.referenceId
  })
  return { results: nodes.map((n, i) => (i === failedAt ? results[i] : halted(n))), ok: false }
}

const isQueryOrCollection = (url: string) => /\/(query|queryAll)\b|\/composite\/sobjects\b/.test(url)

export function runComposite(ctx: RestContext, body: Record<string, unknown>, execute: Execute): Reply {
  const nodes = parseNodes(body.compositeRequest, 'compositeRequest')
  if (nodes.length > COMPOSITE_LIMITS.subrequests) {
    throw badRequest(
      'LIMIT_EXCEEDED',
      `A composite request can have at most ${COMPOSITE_LIMITS.subrequests} subrequests; got ${nodes.length}`
    )
  }
  if (nodes.filter((n) => isQueryOrCollection(n.url)).length > COMPOSITE_LIMITS.queriesAndCollections) {
    throw badRequest(
      'LIMIT_EXCEEDED',
      `A composite request can have at most ${COMPOSITE_LIMITS.queriesAndCollections} query or sObject Collections subrequests`
    )
  }
  const { results } = runNodes(ctx, nodes, execute, 'composite', body.allOrNone === true)
  return reply(200, { compositeResponse: results })
}

/** Depth of the reference chains in a graph (a node that references nothing has depth 1). */
function graphDepth(nodes: Node[]): number {
  const depth = new Map<string, number>()
  for (const node of nodes) {
    const text = JSON.stringify([node.url, node.body ?? null])
    let d = 1
    for (const m of text.matchAll(REFERENCE)) d = Math.max(d, (depth.get(m[1]) ?? 0) + 1)
    depth.set(node.referenceId, d)
  }
  return Math.max(0, ...depth.values())
}

export function runGraph(ctx: RestContext, body: Record<string, unknown>, execute: Execute): Reply {
  const graphs = body.graphs
  if (!Array.isArray(graphs) || graphs.length === 0)
    throw badRequest('INVALID_API_INPUT', 'graphs must be a non-empty array')
  if (graphs.length > COMPOSITE_LIMITS.graphs) {
    throw badRequest(
      'LIMIT_EXCEEDED',
      `A payload can have at most ${COMPOSITE_LIMITS.graphs} graphs; got ${graphs.length}`
    )
  }
  const ids = new Set<string>()
  const parsed = graphs.map((g, i) => {
    if (!isObject(g) || typeof g.graphId !== 'string' || ids.has(g.graphId)) {
      throw badRequest('INVALID_API_INPUT', `Graph ${i} needs a unique graphId`)
    }
    ids.add(g.graphId)
    const nodes = parseNodes(g.compositeRequest, `graphs[${i}].compositeRequest`)
    if (graphDepth(nodes) > COMPOSITE_LIMITS.graphDepth) {
      throw badRequest('LIMIT_EXCEEDED', `Graph ${g.graphId} is deeper than ${COMPOSITE_LIMITS.graphDepth} levels`)
    }
    return { graphId: g.graphId, nodes }
  })
  const total = parsed.reduce((n, g) => n + g.nodes.length, 0)
  if (total > COMPOSITE_LIMITS.graphNodes) {
    throw badRequest('LIMIT_EXCEEDED', `A payload can have at most ${COMPOSITE_LIMITS.graphNodes} nodes; got ${total}`)
  }
  return reply(200, {
    graphs: parsed.map(({ graphId, nodes }) => {
      const { results, ok } = runNodes(ctx, nodes, execute, 'graph', true)
      return { graphId, graphResponse: { compositeResponse: results }, isSuccessful: ok }
    })
  })
}

/** Composite Batch: independent subrequests; cost is the number executed. */
export function runCompositeBatch(
  ctx: RestContext,
  body: Record<string, unknown>,
  execute: Execute
): { reply: Reply; cost: number } {
  const list = body.batchRequests
  if (!Array.isArray(list) || list.length === 0)
    throw badRequest('INVALID_API_INPUT', 'batchRequests must be a non-empty array')
  if (list.length > COMPOSITE_LIMITS.batchSubrequests) {
    throw badRequest('LIMIT_EXCEEDED', `A batch can have at most ${COMPOSITE_LIMITS.batchSubrequests} subrequests`)
  }
  const results: Array<{ statusCode: number; result: unknown }> = []
  let halted = false
  let cost = 0
  for (const item of list) {
    if (halted) {
      results.push({
        statusCode: 412,
        result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }]
      })
      continue
    }
    if (!isObject(item) || typeof item.method !== 'string' || typeof item.url !== 'string') {
      throw badRequest('INVALID_API_INPUT', 'Each batch request needs method and url')
    }
    const r = execNode(
      ctx,
      { method: item.method, url: item.url, referenceId: 'batch', body: item.richInput },
      new Map(),
      execute,
      'batch'
    )
    cost++
    results.push({ statusCode: r.httpStatusCode, result: r.body })
    if (r.httpStatusCode >= 400 && body.haltOnError === true) halted = true
  }
  return { reply: reply(200, { hasErrors: results.some((r) => r.statusCode >= 400), results }), cost }
}
