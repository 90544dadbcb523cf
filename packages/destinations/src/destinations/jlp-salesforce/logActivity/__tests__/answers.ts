// Salesforce's Composite answers for the Task tests: what each subrequest says (found rows, created, refused,
// rolled back, an unresolved reference), and the destination under test with its settings and token.
import { createTestIntegration } from '@segment/actions-core'
import destination from '../..'
import type { Settings } from '../../generated-types'
import { HOST, TOKEN } from '../../salesforce-client/__tests__/fixture'

export const testDestination = createTestIntegration(destination)
export const auth = { accessToken: TOKEN, refreshToken: 'r' }
export const settings: Settings = {
  instanceUrl: HOST,
  contactExternalIdField: 'JLP_Supporter_Id__c',
  leadExternalIdField: 'JLP_Supporter_Id__c'
}
export const presetMapping = (action: string, event: string) => {
  const preset = destination.presets?.find(
    (p) => p.partnerAction === action && 'subscribe' in p && p.subscribe.includes(`"${event}"`)
  )
  return preset && 'mapping' in preset ? preset.mapping : undefined
}
export const executed = () => testDestination.results.find((r) => r.output === 'Action Executed')?.data

type Sub = { referenceId: string; httpStatusCode: number; body: unknown }

export const rows = (referenceId: string, ids: string[]): Sub => ({
  referenceId,
  httpStatusCode: 200,
  body: { totalSize: ids.length, done: true, records: ids.map((Id) => ({ attributes: { type: 'X' }, Id })) }
})
export const created = (referenceId: string, id: string, extra: object = {}): Sub => ({
  referenceId,
  httpStatusCode: 201,
  body: { id, success: true, errors: [], ...extra }
})
export const refused = (referenceId: string, errorCode: string, message: string, fields: string[] = []): Sub => ({
  referenceId,
  httpStatusCode: 400,
  body: [{ errorCode, message, fields }]
})
export const halted = (referenceId: string): Sub =>
  refused(
    referenceId,
    'PROCESSING_HALTED',
    'The transaction was rolled back since another operation in the same transaction failed.'
  )
export const unresolved = (referenceId: string, ref: string): Sub =>
  refused(
    referenceId,
    'PROCESSING_HALTED',
    `Invalid reference specified. No value for ${ref}.records[0].Id found in ${ref}. Provided referenceId ${ref} ` +
      'must refer to a successful earlier subrequest.'
  )
export const duplicate = (referenceId: string): Sub =>
  refused(
    referenceId,
    'DUPLICATE_VALUE',
    'duplicate value found: JLP_Event_Id__c duplicates value on record with id: a0R1',
    ['JLP_Event_Id__c']
  )
export const composite = (...subs: Sub[]) => ({ compositeResponse: subs })
