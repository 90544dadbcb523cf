// What every action's perform returns (and each batch item's `body`): a sentence a person can read and the
// records it touched. Runtimes (npm start, replay, serve) print these; they never inspect vendor responses.

// Type aliases (not interfaces) so they fit actions-core's JSON types, e.g. a MultiStatusResponse body.
export type TouchedRecord = {
  /** Vendor object, e.g. 'Lead', 'Contact', 'Opportunity', 'ortto:activity', 'ortto:person'. */
  object: string
  id?: string
  /** created | updated | unchanged | skipped | invoked */
  change: 'created' | 'updated' | 'unchanged' | 'skipped' | 'invoked'
}

export type ActionOutcome = {
  /** e.g. "Lead created", "Task logged on Contact 003…", "Campaign + 3 Opportunities". */
  summary: string
  records: TouchedRecord[]
  /** API calls this event cost, when the client knows it. */
  apiCalls?: number
}

export function outcome(summary: string, records: TouchedRecord[] = [], apiCalls?: number): ActionOutcome {
  return apiCalls === undefined ? { summary, records } : { summary, records, apiCalls }
}
