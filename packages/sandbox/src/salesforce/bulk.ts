// Bulk API 2.0 ingest: create a job, PUT CSV batches, PATCH {state: UploadComplete} (the sandbox processes the
// rows then, one by one like Salesforce's per-record DML), poll the job, read successfulResults / failedResults /
// unprocessedrecords as CSV. Empty cells leave a field unchanged; #N/A sets it to null.
import type { Clock } from '../clock'
import { isObject, reply } from '../http'
import { SfError, badRequest, notFound, toSfError } from './errors'
import { result, type RestRequest, type RestResult } from './route'
import type { SalesforceStore, SfRecord } from './store'
import { formatDateTime } from './values'

type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete'
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted'

interface Job {
  id: string
  object: string
  operation: Operation
  externalIdFieldName?: string
  state: JobState
  createdDate: string
  systemModstamp: string
  apiVersion: number
  csv: string[]
  header?: string[]
  successful: string[][]
  failed: string[][]
  unprocessed: string[][]
  errorMessage?: string
}

/** RFC 4180 CSV: quoted fields, "" for a quote, LF or CRLF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endField = () => {
    row.push(field)
    field = ''
  }
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
        continue
      }
      if (c === '"') quoted = false
      else field += c
      i++
      continue
    }
    if (c === '"') quoted = true
    else if (c === ',') endField()
    else if (c === '\n' || c === '\r') {
      endField()
      rows.push(row)
      row = []
      if (c === '\r' && text[i + 1] === '\n') i++
    } else field += c
    i++
  }
  if (quoted) throw new Error('unterminated quoted field')
  if (field !== '' || row.length > 0) {
    endField()
    rows.push(row)
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''))
}

const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')

export class BulkJobs {
  private jobs = new Map<string, Job>()

  constructor(
    private readonly store: SalesforceStore,
    private readonly clock: Clock,
    private readonly version: () => string
  ) {}

  reset(): void {
    this.jobs.clear()
  }

  private info(job: Job, detail: boolean) {
    const base = {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: this.store.integrationUserId,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: job.apiVersion,
      contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA'
    }
    if (!detail) return base
    return {
      ...base,
      jobType: 'V2Ingest',
      numberRecordsProcessed: job.successful.length + job.failed.length,
      numberRecordsFailed: job.failed.length,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
    }
  }

  private job(id: string): Job {
    const job = this.jobs.get(id)
    if (!job) throw notFound()
    return job
  }

  handle(req: RestRequest, parts: string[]): RestResult {
    const m = req.method
    const out = (status: number, body: unknown, endpoint: string): RestResult => result(reply(status, body), endpoint)
    if (parts.length === 0) {
      if (m === 'POST') return out(200, this.info(this.create(req.body), false), 'POST /jobs/ingest')
      if (m === 'GET') {
        return out(
          200,
          { done: true, records: [...this.jobs.values()].map((j) => this.info(j, false)) },
          'GET /jobs/ingest'
        )
      }
      throw notFound()
    }
    const job = this.job(parts[0])
    if (parts.length === 1) {
      if (m === 'GET') return out(200, this.info(job, true), 'GET /jobs/ingest/{id}')
      if (m === 'PATCH') return out(200, this.info(this.transition(job, req.body), false), 'PATCH /jobs/ingest/{id}')
      if (m === 'DELETE') {
        if (!['JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
          throw badRequest('INVALIDJOBSTATE', 'Job must be complete, failed or aborted before it can be deleted')
        }
        this.jobs.delete(job.id)
        return out(204, undefined, 'DELETE /jobs/ingest/{id}')
      }
      throw notFound()
    }
    if (parts[1] === 'batches' && m === 'PUT') {
      if (job.state !== 'Open')
        throw badRequest('INVALIDJOBSTATE', `Job ${job.id} is not open for uploads (state ${job.state})`)
      job.csv.push(req.raw ?? '')
      return result(reply(201), 'PUT /jobs/ingest/{id}/batches')
    }
    const results: Record<string, [string[], () => string[][]]> = {
      successfulResults: [['sf__Id', 'sf__Created'], () => job.successful],
      failedResults: [['sf__Id', 'sf__Error'], () => job.failed],
      unprocessedrecords: [[], () => job.unprocessed]
    }
    const kind = results[parts[1]]
    if (kind && m === 'GET') {
      const header = [...kind[0], ...(job.header ?? [])]
      const text = [header, ...kind[1]()].map(csvLine).join('\n') + '\n'
      return {
        reply: { status: 200, text, contentType: 'text/csv' },
        endpoint: `GET /jobs/ingest/{id}/${parts[1]}`,
        cost: 1
      }
    }
    throw notFound()
  }

  private create(body: unknown): Job {
    if (!isObject(body)) throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object')
    const operation = body.operation as Operation
    if (!['insert', 'update', 'upsert', 'delete', 'hardDelete'].includes(operation)) {
      throw badRequest('INVALIDJOB', `Invalid operation: ${String(body.operation)}`)
    }
    if (body.contentType !== undefined && body.contentType !== 'CSV') {
      throw badRequest('INVALIDJOB', 'Only CSV content is supported')
    }
    const obj = this.store.schema.object(String(body.object ?? ''))
    if (!obj || obj.kind !== 'sobject') throw badRequest('INVALIDJOB', `Unknown object: ${String(body.object)}`)
    if (operation === 'upsert') {
      const f = typeof body.externalIdFieldName === 'string' && this.store.schema.field(obj, body.externalIdFieldName)
      if (!f || !f.idLookup) {
        throw badRequest(
          'INVALIDJOB',
          `External ID field not found or not an external ID: ${String(body.externalIdFieldName)}`
        )
      }
    }
    const stamp = formatDateTime(this.clock.now())
    const job: Job = {
      id: this.store.ids.next('750'),
      object: obj.name,
      operation,
      externalIdFieldName: operation === 'upsert' ? String(body.externalIdFieldName) : undefined,
      state: 'Open',
      createdDate: stamp,
      systemModstamp: stamp,
      apiVersion: Number(this.version().replace(/^v/, '')),
      csv: [],
      successful: [],
      failed: [],
      unprocessed: []
    }
    this.jobs.set(job.id, job)
    return job
  }

  private transition(job: Job, body: unknown): Job {
    const state = isObject(body) ? body.state : undefined
    if (state === 'Aborted') {
      if (['JobComplete', 'Failed'].includes(job.state)) throw badRequest('INVALIDJOBSTATE', 'Job is already finished')
      job.state = 'Aborted'
      return job
    }
    if (state !== 'UploadComplete') throw badRequest('INVALIDJOBSTATE', `Invalid state transition: ${String(state)}`)
    if (job.state !== 'Open') throw badRequest('INVALIDJOBSTATE', `Job ${job.id} is not open (state ${job.state})`)
    this.process(job)
    // The answer to the PATCH shows UploadComplete; the next GET sees the finished job, as with a fast real job.
    return { ...job, state: 'UploadComplete' }
  }

  private process(job: Job): void {
    job.systemModstamp = formatDateTime(this.clock.now())
    let rows: string[][]
    try {
      rows = job.csv.flatMap((chunk, i) => {
        const parsed = parseCsv(chunk)
        return i === 0 ? parsed : parsed.slice(1)
      })
    } catch (err) {
      return this.fail(job, `InvalidBatch : ${(err as Error).message}`)
    }
    const [header, ...data] = rows
    if (!header) return this.fail(job, 'InvalidBatch : The file is empty')
    job.header = header
    const obj = this.store.object(job.object)
    const fields = header.map((h) => this.store.schema.field(obj, h.trim()))
    const unknown = header.find((_h, i) => !fields[i])
    if (unknown !== undefined) return this.fail(job, `InvalidBatch : Field name not found : ${unknown}`)
    for (const cells of data) {
      const values: SfRecord = {}
      cells.forEach((cell, i) => {
        if (cell === '' || !fields[i]) return
        values[fields[i]!.name] = cell === '#N/A' ? null : cell
      })
      try {
        const { id, created } = this.store.atomic(() => this.apply(job, values))
        job.successful.push([id, String(created), ...cells])
      } catch (err) {
        const e = toSfError(err)
        job.failed.push(['', `${e.errorCode}:${e.message}:${e.fields.join(',')} --`, ...cells])
      }
    }
    job.state = 'JobComplete'
  }

  private apply(job: Job, values: SfRecord): { id: string; created: boolean } {
    const { Id, ...rest } = values
    switch (job.operation) {
      case 'insert':
        return { id: this.store.create(job.object, values).Id as string, created: true }
      case 'update':
        if (!Id) throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])
        this.store.update(job.object, Id, rest)
        return { id: String(Id), created: false }
      case 'upsert': {
        const ext = job.externalIdFieldName!
        const key = Object.keys(values).find((k) => k.toLowerCase() === ext.toLowerCase())
        const value = key ? values[key] : undefined
        if (value === undefined || value === null) {
          throw new SfError(400, 'MISSING_ARGUMENT', `${ext} not specified`, [ext])
        }
        const { record, created } = this.store.upsert(job.object, ext, String(value), values)
        return { id: record.Id as string, created }
      }
      default:
        if (!Id) throw new SfError(400, 'MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id'])
        this.store.delete(job.object, Id)
        return { id: String(Id), created: false }
    }
  }

  private fail(job: Job, message: string): void {
    job.state = 'Failed'
    job.errorMessage = message
  }
}
