// How a supporter's record is found — one strategy for every action:
//   (a) an external-id field (e.g. JLP_Supporter_Id__c = the JLP userId): Salesforce's own upsert, one call,
//       race-free and idempotent;
//   (b) otherwise a field compared in SOQL (Email), newest first, with a rule for several matches.
import { IntegrationError, PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import type { SfFields } from './results'
import { apiName } from './soql'

export type Match =
  /** Upsert/read by an external-id field (unique, indexed). */
  | { by: 'externalId'; field: string; value: string }
  /** Find by a field compared in SOQL, e.g. Email (case-insensitive in Salesforce). */
  | { by: 'field'; field: string; value: string }
  /** A known record id. */
  | { by: 'id'; value: string }

/** What to do when a SOQL match finds several records: the most recently modified wins, or the event fails. */
export type MultipleMatchRule = 'most_recent' | 'fail'

export const MATCH_RULES: readonly MultipleMatchRule[] = ['most_recent', 'fail']

/** The most a Salesforce field that identifies a record holds (text external ids, Email is 80): a longer value can
 * never match, and would not fit in a request URL. */
export const MATCH_VALUE_MAX = 255

function matchValue(field: string, value: string): string {
  if (value.length <= MATCH_VALUE_MAX) return value
  throw new PayloadValidationError(
    `The ${field} value ${quoted(value)} is too long to find a Salesforce record by: fields that identify records ` +
      `hold at most ${MATCH_VALUE_MAX} characters.`
  )
}

export const byExternalId = (field: string, value: string): Match => ({
  by: 'externalId',
  field: apiName(field),
  value: matchValue(field, value)
})
export const byEmail = (value: string): Match => ({ by: 'field', field: 'Email', value: matchValue('Email', value) })
export const byId = (value: string): Match => ({ by: 'id', value })

/** The supporter's identifiers an event carries. */
export interface SupporterIds {
  email?: string | null
  /** The JLP supporter id (Segment userId), matched against the external-id field when one is configured. */
  supporterId?: string | null
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== ''

/**
 * The match for a supporter: by external id when a field is configured and the event carries the id, else by
 * email. Throws a PayloadValidationError when the event carries neither.
 */
export function supporterMatch(externalIdField: string | undefined, ids: SupporterIds, object = 'record'): Match {
  if (present(externalIdField) && present(ids.supporterId)) {
    return byExternalId(externalIdField.trim(), ids.supporterId.trim())
  }
  if (present(ids.email)) return byEmail(ids.email.trim())
  const wanted = present(externalIdField) ? `an email or a supporter id (${externalIdField})` : 'an email'
  throw new PayloadValidationError(`The event has no ${wanted} to find or create the ${object} by.`)
}

/** A key that is equal for two matches that find the same record (Salesforce compares case-insensitively). */
export function matchKey(match: Match): string {
  return match.by === 'id' ? `id:${match.value}` : `${match.by}:${match.field}:${match.value.toLowerCase()}`
}

/** Human words for a match, e.g. `Email = "a@b.org"` (values are the customer's own data, not secrets). */
export function describeMatch(match: Match): string {
  return match.by === 'id' ? `Id ${quoted(match.value)}` : `${match.field} ${quoted(match.value)}`
}

/** The record a SOQL match picks from `records` (newest first), by the rule. */
export function pickMatch<T>(
  records: readonly T[],
  rule: MultipleMatchRule,
  object: string,
  match: Match
): T | undefined {
  if (records.length > 1 && rule === 'fail') {
    throw new IntegrationError(
      `Several ${object} records have ${describeMatch(match)} (MULTIPLE_MATCHES). Merge the duplicates in ` +
        `Salesforce, or set "When several records match" to use the most recently modified one.`,
      'MULTIPLE_MATCHES',
      400
    )
  }
  return records[0]
}

export function matchRule(value: string | undefined): MultipleMatchRule {
  return value === 'fail' ? 'fail' : 'most_recent'
}

/** The field a match searches by, as it appears on a record. */
export const matchField = (match: Match) => (match.by === 'id' ? 'Id' : match.field)

/** Fields that identify a new record: the match's own field and value (not for ids). */
export const matchIdentity = (match: Match): SfFields => (match.by === 'id' ? {} : { [match.field]: match.value })
