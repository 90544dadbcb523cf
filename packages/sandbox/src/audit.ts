// What the sandbox saw: every call (vendor, method, path without query string, endpoint, status, duration, API
// cost, fault). Cost is Salesforce's API-usage count: composite, graph and collections calls are one call, a
// Composite Batch one per subrequest, token calls none; every Ortto request is one. Nothing secret is kept:
// no headers, no bodies, no query strings.
import type { FaultKind, Vendor } from './faults'

export interface AuditEntry {
  seq: number
  /** ISO time the call arrived (sandbox clock). */
  at: string
  vendor: Vendor
  method: string
  path: string
  /** Route label, e.g. "PATCH /sobjects/Contact/JLP_Supporter_Id__c/{value}" or "POST /v1/person/merge". */
  endpoint: string
  status: number
  durationMs: number
  cost: number
  fault?: FaultKind
}

export interface EndpointStats {
  calls: number
  cost: number
  statuses: Record<string, number>
}

export interface AuditFilter {
  vendor?: Vendor
  endpoint?: string | RegExp
}

const select = (entries: AuditEntry[], filter: AuditFilter | Vendor = {}) => {
  const f = typeof filter === 'string' ? { vendor: filter } : filter
  return entries.filter(
    (e) =>
      (!f.vendor || e.vendor === f.vendor) &&
      (f.endpoint === undefined ||
        (typeof f.endpoint === 'string' ? e.endpoint === f.endpoint : f.endpoint.test(e.endpoint)))
  )
}

export class Audit {
  private entries: AuditEntry[] = []
  private seq = 0

  add(entry: Omit<AuditEntry, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry })
  }

  /** Number of HTTP requests received (faulted ones included). */
  calls(filter?: AuditFilter | Vendor): number {
    return select(this.entries, filter).length
  }

  /** API calls as the vendor counts them. */
  cost(filter?: AuditFilter | Vendor): number {
    return select(this.entries, filter).reduce((n, e) => n + e.cost, 0)
  }

  /** Calls, cost and statuses per endpoint label, prefixed with the vendor ("salesforce POST /composite"). */
  byEndpoint(filter?: AuditFilter | Vendor): Record<string, EndpointStats> {
    const out: Record<string, EndpointStats> = {}
    for (const e of select(this.entries, filter)) {
      const key = `${e.vendor} ${e.endpoint}`
      const stats = (out[key] ??= { calls: 0, cost: 0, statuses: {} })
      stats.calls++
      stats.cost += e.cost
      stats.statuses[e.status] = (stats.statuses[e.status] ?? 0) + 1
    }
    return out
  }

  /** Faults injected, by kind (kinds that never happened left out). */
  faults(filter?: AuditFilter | Vendor): Partial<Record<FaultKind, number>> {
    const out: Partial<Record<FaultKind, number>> = {}
    for (const e of select(this.entries, filter)) if (e.fault) out[e.fault] = (out[e.fault] ?? 0) + 1
    return out
  }

  log(filter?: AuditFilter | Vendor): AuditEntry[] {
    return select(this.entries, filter).map((e) => ({ ...e }))
  }

  reset(): void {
    this.entries = []
    this.seq = 0
  }
}
