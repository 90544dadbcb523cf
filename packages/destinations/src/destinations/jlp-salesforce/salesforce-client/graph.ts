// Composite Graph (POST /composite/graph): records that refer to each other (`@{ref.id}`), written in one API call,
// each graph all-or-nothing, several graphs (e.g. one per event of a batch) in one call.
//   writeGraphs(client, graphs)  → one result per graph: every record written (id, created or updated), or the error
//                                   of the node that failed, naming its object and fields
// An action describes the records (GraphNode: upsert by a Match, or read by id); this module builds the subrequests
// (URLs, API version, encoding), splits graphs into requests within Salesforce's limits, maps each graph's answer,
// and — for a Contact or Lead matched by Email that several records share — applies "When several records match".
import { InvalidAuthenticationError, PayloadValidationError, RetryableError } from '@segment/actions-core'
import { isMapped, mapSalesforceError, sfErrors, type SalesforceError } from './errors'
import type { SalesforceClient } from './index'
import { describeMatch, type Match } from './matching'
import { reference, sobjectPath, writableFields, type Subrequest } from './requests'
import { asMapped, failure, type RecordFailure } from './results'
import { apiName } from './soql'

/** Upsert `object` by `match`: an external id, Email (Salesforce's idLookup field on Contact and Lead), or an id. */
export interface GraphUpsert {
  kind: 'upsert'
  ref: string
  object: string
  match: Match
  fields: Record<string, unknown>
  /** Values written only when the record is created, e.g. LastName "[not provided]" when the event has none: the
   * graph is sent again with them when Salesforce says one is missing (REQUIRED_FIELD_MISSING). */
  onCreate?: Record<string, unknown>
}

/** Read some fields of a record whose id is known or referenced (e.g. `reference('buyer')`). */
export interface GraphRead {
  kind: 'read'
  ref: string
  object: string
  id: string
  fields: string[]
}

export type GraphNode = GraphUpsert | GraphRead

/** Salesforce's Composite Graph limits (REST API Developer Guide, "Composite Graph Limits"). */
export const GRAPH_LIMITS = {
  graphsPerRequest: 75,
  nodesPerRequest: 500,
  nodesPerGraph: 500,
  /** Distinct node kinds (API version, method, object) in one request. */
  nodeKindsPerRequest: 15
} as const

/** One record of a successful graph. */
export interface GraphRecord {
  ref: string
  object: string
  id?: string
  /** Upserts: whether Salesforce created the record (false: it updated one). Absent for reads. */
  created?: boolean
  /** Reads: the fields read. */
  values?: Record<string, unknown>
}

export interface GraphSuccess {
  ok: true
  records: GraphRecord[]
}

export type GraphResult = GraphSuccess | RecordFailure

const kindOf = (node: GraphNode) => `${node.kind === 'read' ? 'GET' : 'PATCH'} ${node.object}`

/** The subrequest for a node. The field a record is matched by is never in the body (its value is in the URL). */
export function subrequest(node: GraphNode): Subrequest {
  if (node.kind === 'read') {
    const fields = node.fields.map((f) => apiName(f)).join(',')
    return { method: 'GET', url: `${sobjectPath(node.object, node.id)}?fields=${fields}`, referenceId: node.ref }
  }
  const { match } = node
  const body = writableFields(node.object, node.fields)
  const field = match.by === 'id' ? 'Id' : match.field
  for (const name of Object.keys(body)) if (name.toLowerCase() === field.toLowerCase()) delete body[name]
  const url =
    match.by === 'id' ? sobjectPath(node.object, match.value) : sobjectPath(node.object, match.field, match.value)
  return { method: 'PATCH', url, referenceId: node.ref, body }
}

/** Why a graph cannot be sent (too big, too many kinds of node), or undefined. */
export function graphProblem(nodes: readonly GraphNode[]): string | undefined {
  if (nodes.length === 0) return 'nothing to write'
  if (nodes.length > GRAPH_LIMITS.nodesPerGraph) {
    return `${nodes.length} records in one graph; Salesforce takes at most ${GRAPH_LIMITS.nodesPerGraph}`
  }
  const kinds = new Set(nodes.map(kindOf)).size
  if (kinds > GRAPH_LIMITS.nodeKindsPerRequest) {
    return `${kinds} kinds of record operation in one graph; Salesforce takes at most ${GRAPH_LIMITS.nodeKindsPerRequest}`
  }
  return undefined
}

/** Splits graphs (by index, in order) into requests within the per-request limits. */
export function chunkGraphs(graphs: ReadonlyArray<readonly GraphNode[]>): number[][] {
  const chunks: number[][] = []
  let chunk: number[] = []
  let nodes = 0
  let kinds = new Set<string>()
  graphs.forEach((graph, index) => {
    const graphKinds = graph.map(kindOf)
    const merged = new Set([...kinds, ...graphKinds])
    const full =
      chunk.length >= GRAPH_LIMITS.graphsPerRequest ||
      nodes + graph.length > GRAPH_LIMITS.nodesPerRequest ||
      merged.size > GRAPH_LIMITS.nodeKindsPerRequest
    if (chunk.length > 0 && full) {
      chunks.push(chunk)
      chunk = []
      nodes = 0
      kinds = new Set(graphKinds)
    } else {
      kinds = merged
    }
    chunk.push(index)
    nodes += graph.length
  })
  if (chunk.length > 0) chunks.push(chunk)
  return chunks
}

interface RawResult {
  referenceId?: string
  httpStatusCode?: number
  body?: unknown
}

interface RawGraph {
  graphId?: string
  isSuccessful?: boolean
  graphResponse?: { compositeResponse?: RawResult[] }
}

/** Codes of the nodes Salesforce rolled back or never ran because another one failed. */
const KNOCK_ON = /^(PROCESSING_HALTED|ALL_OR_NONE_OPERATION_ROLLED_BACK)$/

/** Whether an answer only says "rolled back / not run because of another failure" (an invalid reference is also
 * coded PROCESSING_HALTED, but it is that node's own error). */
const knockOn = (body: unknown) => {
  const errors = sfErrors(body)
  return errors.length > 0 && errors.every((e) => KNOCK_ON.test(e.errorCode) && !/invalid reference/i.test(e.message))
}

/** The node whose answer made the graph fail: the first that failed for its own reason. */
export interface GraphFailure {
  node?: GraphNode
  status: number
  body: unknown
}

/** One graph's answer: its records, or the failing node and Salesforce's answer for it. */
export function readGraph(raw: RawGraph | undefined, nodes: readonly GraphNode[]): GraphSuccess | GraphFailure {
  const results = raw?.graphResponse?.compositeResponse ?? []
  const nodeOf = (ref?: string) => nodes.find((n) => n.ref === ref)
  if (raw?.isSuccessful === true) {
    return {
      ok: true,
      records: results.map((r) => {
        const node = nodeOf(r.referenceId)
        const body = (r.body ?? {}) as Record<string, unknown>
        const known = node?.kind === 'upsert' && node.match.by === 'id' ? node.match.value : undefined
        const id = [body.id, body.Id, known].find((v): v is string => typeof v === 'string')
        const base = { ref: r.referenceId ?? '', object: node?.object ?? 'record', ...(id ? { id } : {}) }
        if (node?.kind === 'read') {
          const { attributes: _a, ...values } = body
          return { ...base, values }
        }
        const created = typeof body.created === 'boolean' ? body.created : r.httpStatusCode === 201
        return { ...base, created }
      })
    }
  }
  const failed = results.filter((r) => (r.httpStatusCode ?? 0) >= 300)
  const cause = failed.find((r) => !knockOn(r.body)) ?? failed[0]
  if (!cause) {
    return { status: 503, body: [{ errorCode: 'PROCESSING_HALTED', message: 'Salesforce returned no result' }] }
  }
  return { node: nodeOf(cause.referenceId), status: cause.httpStatusCode ?? 500, body: cause.body }
}

/** What a node does, for messages: `upserting Opportunity "ticket2" by JLP_Ticket_Key__c "ORD-1:T2"`. */
const describeNode = (node: GraphNode) =>
  node.kind === 'read'
    ? `reading ${node.object} "${node.ref}"`
    : `upserting ${node.object} "${node.ref}" by ${describeMatch(node.match)}`

/** The error for a failed graph, naming the node's object, key and (in Salesforce's words) fields. */
export function graphError(failed: GraphFailure): SalesforceError {
  const what = failed.node ? describeNode(failed.node) : 'writing a graph of records'
  if (knockOn(failed.body)) {
    return new RetryableError(`Salesforce halted the request before ${what} (PROCESSING_HALTED); retrying.`, 503)
  }
  return mapSalesforceError(failed.status, failed.body, what)
}

/** Every node of a graph with `@{ref.id}` replaced by a known id, and the node `ref` itself written by that id. */
export function bindRecord(nodes: readonly GraphNode[], ref: string, id: string): GraphNode[] {
  const token = reference(ref)
  const bind = (v: unknown) => (v === token ? id : v)
  return nodes.map((n) => {
    if (n.kind === 'read') return { ...n, id: bind(n.id) as string }
    const fields = Object.fromEntries(Object.entries(n.fields).map(([k, v]) => [k, bind(v)]))
    return n.ref === ref ? { ...n, match: { by: 'id', value: id }, fields } : { ...n, fields }
  })
}

/** Why a graph that failed at one node may succeed once rewritten: an Email that several records share (300), or
 * a new record missing a value its node supplies `onCreate` (REQUIRED_FIELD_MISSING). */
function secondChance(failed: GraphFailure): GraphUpsert | undefined {
  const node = failed.node
  if (node?.kind !== 'upsert') return undefined
  if (failed.status === 300) return node.match.by === 'field' ? node : undefined
  const names = new Set(Object.keys(node.onCreate ?? {}).map((n) => n.toLowerCase()))
  const errors = sfErrors(failed.body)
  const missing = errors.some(
    (e) => e.errorCode === 'REQUIRED_FIELD_MISSING' && e.fields.some((f) => names.has(f.toLowerCase()))
  )
  return missing ? node : undefined
}

/** The graph rewritten for its second chance. */
async function rewrite(client: SalesforceClient, nodes: readonly GraphNode[], node: GraphUpsert, status: number) {
  if (status !== 300) {
    return nodes.map((n) => (n === node ? { ...n, fields: { ...node.onCreate, ...node.fields } } : n))
  }
  const found = await client.find(node.object, node.match, [])
  return found ? bindRecord(nodes, node.ref, found.Id) : nodes
}

/**
 * Writes graphs, one result per graph (an input that is already an error is kept as that graph's result): one API
 * call per ≤75 graphs / ≤500 records. Sent once more, rewritten (so 1–2 more calls, for that graph only):
 * - a node matched by Email that several records share (300): matched again by SOQL under the "When several
 *   records match" rule (which may also fail the event), then written by that record's id;
 * - a new record missing a required value the node supplies `onCreate` (e.g. LastName "[not provided]").
 */
export async function writeGraphs(
  client: SalesforceClient,
  graphs: ReadonlyArray<readonly GraphNode[] | SalesforceError>,
  what = 'writing records'
): Promise<GraphResult[]> {
  const results: GraphResult[] = new Array(graphs.length)
  const again = await sendGraphs(client, graphs, what, results, true)
  for (const [i, failed, node] of again) {
    try {
      const graph = await rewrite(client, graphs[i] as readonly GraphNode[], node, failed.status)
      const [result] = await writeGraphsOnce(client, graph, what)
      results[i] = result
    } catch (err) {
      const error = asMapped(err)
      if (error instanceof InvalidAuthenticationError) throw error
      results[i] = failure(error)
    }
  }
  return results
}

async function writeGraphsOnce(client: SalesforceClient, graph: readonly GraphNode[], what: string) {
  const results: GraphResult[] = []
  await sendGraphs(client, [graph], what, results, false)
  return results
}

/** Sends graphs into `results`. With `retries`, the graphs that deserve a second chance are returned instead. */
async function sendGraphs(
  client: SalesforceClient,
  graphs: ReadonlyArray<readonly GraphNode[] | SalesforceError>,
  what: string,
  results: GraphResult[],
  retries: boolean
): Promise<Array<[number, GraphFailure, GraphUpsert]>> {
  const bodies = new Map<number, { nodes: readonly GraphNode[]; subs: Subrequest[] }>()
  graphs.forEach((graph, i) => {
    if (isMapped(graph)) return void (results[i] = failure(graph))
    const nodes = graph as readonly GraphNode[]
    const problem = graphProblem(nodes)
    if (problem) return void (results[i] = failure(new PayloadValidationError(`${problem} (${what}).`)))
    try {
      bodies.set(i, { nodes, subs: nodes.map(subrequest) })
    } catch (err) {
      results[i] = failure(asMapped(err))
    }
  })
  const indices = [...bodies.keys()]
  const again: Array<[number, GraphFailure, GraphUpsert]> = []
  for (const chunk of chunkGraphs(indices.map((i) => bodies.get(i)!.nodes))) {
    const part = chunk.map((k) => indices[k])
    let answer: { graphs?: RawGraph[] } | undefined
    try {
      answer = await client.graph<{ graphs?: RawGraph[] }>(
        part.map((i) => ({ graphId: `g${i}`, compositeRequest: bodies.get(i)!.subs })),
        part.length === 1 ? what : `${what} (${part.length} graphs)`
      )
    } catch (err) {
      const error = asMapped(err)
      if (error instanceof InvalidAuthenticationError) throw error
      part.forEach((i) => (results[i] = failure(error)))
      continue
    }
    const byId = new Map((answer?.graphs ?? []).map((g) => [g.graphId, g]))
    for (const i of part) {
      const read = readGraph(byId.get(`g${i}`), bodies.get(i)!.nodes)
      if ('ok' in read) {
        results[i] = read
        continue
      }
      const node = retries ? secondChance(read) : undefined
      if (node) again.push([i, read, node])
      else results[i] = failure(graphError(read))
    }
  }
  return again
}
