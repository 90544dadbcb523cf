// Tasks on a supporter, exactly once, and the stage of a supporter's open Opportunity.
//
// createTaskOnce: one Composite call with allOrNone — [find the Contact, create the Task on it (WhoId by reference),
// create the JLP Event Receipt that refers to the Task]. A redelivered event fails on the receipt's unique key and
// the whole call is rolled back ("unchanged"); a race between two deliveries ends the same way. When no Contact
// matches, the reference fails, nothing is kept, and the same call is made for the supporter's unconverted Lead;
// when neither exists the Task is skipped, or a Lead is created with it in one more call. API calls per event:
// Contact 1, repeat 1, Lead 2, no one 2 (skipped) or 3 (Lead created).
import { PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import { mapSalesforceError } from './errors'
// The index re-exports this module: import it from '../salesforce-client', never from this file directly.
import { queryPath, reference, sobjectPath, writableFields, type SalesforceClient, type Subrequest } from './index'
import { describeMatch, type Match } from './matching'
import {
  firstFailure,
  isDuplicateReceipt,
  isUnresolvedReference,
  receiptFields,
  receiptSetupError,
  RECEIPT
} from './receipts'
import { success, type RecordSuccess, type SfFields, type SubResponse } from './results'
import { soqlEquals, soqlSelect } from './soql'

/** The Task field holding the key of the event it records (a text field; activities cannot have external ids). */
export const TASK_EVENT_FIELD = 'JLP_Event_Id__c'

export type WhoObject = 'Contact' | 'Lead'

export interface TaskWrite {
  /** The action writing it (the receipt says which): 'logActivity', 'createFollowUpTask'. */
  action: string
  /** What makes two deliveries the same Task: the messageId, or e.g. the failed payment and attempt. */
  key: string
  /** Whom the Task is for, tried in order (a Contact, then the supporter's unconverted Lead). */
  who: Array<{ object: WhoObject; match: Match }>
  /** The Task's fields (WhoId and the event key are added). */
  task: Record<string, unknown>
  /** When no one matches: the Lead to create with the Task (upserted when matched by external id); else skipped. */
  newLead?: { match: Match; fields: Record<string, unknown> }
}

export interface TaskResult extends RecordSuccess {
  object: 'Task'
  /** The Contact or Lead the Task is on. */
  who?: { object: WhoObject; id?: string; created?: boolean }
  /** Task fields left out because Salesforce refuses them on a Lead's Task (WhatId). */
  dropped?: string[]
}

/** The field a match compares: its own, or Id. */
const fieldOf = (match: Match) => (match.by === 'id' ? 'Id' : match.field)

/** Salesforce refuses "Related To" (WhatId) on a Task whose Name (WhoId) is a Lead. */
const NOT_ON_LEAD_TASKS = ['WhatId']

/** The newest record a match finds, as a SOQL query (a Lead must not be converted). */
function lookup(object: WhoObject, match: Match, ref: string): Subrequest {
  const where = soqlEquals(fieldOf(match), match.value) + (object === 'Lead' ? ' AND IsConverted = false' : '')
  const soql = soqlSelect({ object, fields: [], where, orderByDesc: 'LastModifiedDate', limit: 1 })
  return { method: 'GET', url: queryPath(soql), referenceId: ref }
}

function leadWrite(newLead: NonNullable<TaskWrite['newLead']>): Subrequest {
  const fields = writableFields('Lead', newLead.fields)
  const { match } = newLead
  if (match.by === 'externalId') {
    const { [match.field]: _inUrl, ...rest } = fields
    return { method: 'PATCH', url: sobjectPath('Lead', match.field, match.value), referenceId: 'lead', body: rest }
  }
  const identity = match.by === 'field' ? { [match.field]: match.value } : {}
  return {
    method: 'POST',
    url: sobjectPath('Lead'),
    referenceId: 'lead',
    body: { ...fields, ...identity }
  }
}

/** Creates a Task on the supporter once per key; see the top of this file for the calls it makes. */
export async function createTaskOnce(client: SalesforceClient, write: TaskWrite): Promise<TaskResult> {
  const base = writableFields('Task', { ...write.task, [TASK_EVENT_FIELD]: write.key })
  const receipt = receiptFields(write.action, write.key, reference('task'))
  const what = `logging a ${write.action} Task (${TASK_EVENT_FIELD} ${quoted(write.key)})`

  const attempt = async (who: Subrequest, object: WhoObject, whoId: string) => {
    const task = object === 'Lead' ? omit(base, NOT_ON_LEAD_TASKS) : base
    const subs: Subrequest[] = [
      who,
      { method: 'POST', url: sobjectPath('Task'), referenceId: 'task', body: { ...task, WhoId: whoId } },
      { method: 'POST', url: sobjectPath(RECEIPT.object), referenceId: 'receipt', body: receipt }
    ]
    const answers = await client.composite(subs, { allOrNone: true }, what)
    const dropped = NOT_ON_LEAD_TASKS.filter((f) => object === 'Lead' && base[f] != null)
    return { answers, dropped }
  }

  for (const { object, match } of write.who) {
    const { answers, dropped } = await attempt(lookup(object, match, 'who'), object, reference('who', 'records[0].Id'))
    const [whoAnswer, taskAnswer, receiptAnswer] = answers
    const failed = firstFailure(answers)
    if (!failed) return created(taskAnswer, { object, id: firstId(whoAnswer) }, dropped)
    if (failed === receiptAnswer && isDuplicateReceipt(failed.body)) return repeat(object)
    if (failed === taskAnswer && isUnresolvedReference(failed, 'who')) continue
    throw answerError(failed, failed === receiptAnswer, `${what} on the ${object} with ${describeMatch(match)}`)
  }
  if (!write.newLead) return { ...success('Task', 'skipped'), object: 'Task' }

  const { answers, dropped } = await attempt(leadWrite(write.newLead), 'Lead', reference('lead'))
  const [leadAnswer, taskAnswer, receiptAnswer] = answers
  const failed = firstFailure(answers)
  if (!failed) {
    const lead = leadAnswer.body as { id?: string; created?: boolean } | undefined
    return created(taskAnswer, { object: 'Lead', id: lead?.id, created: lead?.created ?? true }, dropped)
  }
  if (failed === receiptAnswer && isDuplicateReceipt(failed.body)) return repeat('Lead')
  throw answerError(failed, failed === receiptAnswer, `${what} on a new Lead`)
}

function created(task: SubResponse, who: TaskResult['who'], dropped: string[]): TaskResult {
  const id = (task.body as { id?: string } | undefined)?.id
  return { ...success('Task', 'created', id), object: 'Task', who, ...(dropped.length ? { dropped } : {}) }
}

const repeat = (object: WhoObject): TaskResult => ({ ...success('Task', 'unchanged'), object: 'Task', who: { object } })

function firstId(answer: SubResponse | undefined): string | undefined {
  const records = (answer?.body as { records?: Array<{ Id?: string }> } | undefined)?.records
  return records?.[0]?.Id
}

function answerError(answer: SubResponse, isReceipt: boolean, what: string) {
  const error = mapSalesforceError(answer.httpStatusCode, answer.body, what)
  return isReceipt ? receiptSetupError(error) : error
}

function omit(fields: SfFields, names: string[]): SfFields {
  const out = { ...fields }
  for (const n of names) delete out[n]
  return out
}

/**
 * Moves the supporter's newest open Opportunity that `match` finds (e.g. JLP_Cart_Id__c = the cart) to `fields`
 * (e.g. a StageName). One Composite call (the lookup and the update by reference); "skipped" when no open
 * Opportunity matches — a closed one is never reopened.
 */
export async function updateOpenOpportunity(
  client: SalesforceClient,
  match: Match,
  fields: Record<string, unknown>
): Promise<RecordSuccess> {
  const body = writableFields('Opportunity', fields)
  if (Object.keys(body).length === 0) throw new PayloadValidationError('No Opportunity field to update.')
  const where = `${soqlEquals(fieldOf(match), match.value)} AND IsClosed = false`
  const soql = soqlSelect({ object: 'Opportunity', fields: [], where, orderByDesc: 'LastModifiedDate', limit: 1 })
  const what = `updating the open Opportunity with ${describeMatch(match)}`
  const [found, update] = await client.composite(
    [
      { method: 'GET', url: queryPath(soql), referenceId: 'opp' },
      { method: 'PATCH', url: sobjectPath('Opportunity', reference('opp', 'records[0].Id')), referenceId: 'set', body }
    ],
    { allOrNone: false },
    what
  )
  if (found.httpStatusCode >= 300) throw mapSalesforceError(found.httpStatusCode, found.body, what)
  const id = firstId(found)
  if (!id) return success('Opportunity', 'skipped')
  if (update.httpStatusCode >= 300) throw mapSalesforceError(update.httpStatusCode, update.body, what)
  return success('Opportunity', 'updated', id, { written: body })
}
