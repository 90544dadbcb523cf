// The sandbox as the reliability suite uses it: a fresh Salesforce org + Ortto account per run, the destinations'
// settings pointing at it (with recognisable fake secrets as credentials), its records as a comparable state, its
// audit as API calls and injected faults, and the identity rules that say which records are "the same".
import { destinations } from '@jlp/destinations'
import { SANDBOX_PARTS, settingDefaults } from '@jlp/runner'
import { FAULT_KINDS, startSandbox, type FaultKind, type Sandbox } from '@jlp/sandbox'
import type { CompareRules, Row, State } from './compare'
import type { Vendor, VendorOptions } from './replay'
import { FAKE_SECRETS } from './secrets'

/** The destinations only reach a loopback address when the runtime allows it. */
export function allowLoopback(): void {
  process.env.JLP_ALLOW_LOOPBACK = '1'
}

/** The faults the issue names: 503, 429, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW, INVALID_SESSION_ID, connection
 * reset, slow — plus a response lost after the write was applied (the case idempotency is really about). */
export const RELIABILITY_FAULTS: readonly FaultKind[] = FAULT_KINDS

export interface SandboxVendor extends Vendor {
  sandbox: Sandbox
}

export interface SandboxVendorOptions extends VendorOptions {
  /** Delay of a `slow` fault (default 25 ms: slow enough to reorder, fast enough for CI). */
  slowMs?: number
}

export async function openSandboxVendor(options: SandboxVendorOptions): Promise<SandboxVendor> {
  allowLoopback()
  const sandbox = await startSandbox({
    seed: options.seed,
    clientId: FAKE_SECRETS.salesforceClientId,
    clientSecret: FAKE_SECRETS.salesforceClientSecret,
    refreshTokens: [FAKE_SECRETS.salesforceRefreshToken],
    orttoApiKeys: [FAKE_SECRETS.orttoApiKey],
    faults:
      options.faultRate > 0
        ? { rate: options.faultRate, kinds: RELIABILITY_FAULTS, slowMs: options.slowMs ?? 25, retryAfterSeconds: 0 }
        : undefined
  })
  return {
    sandbox,
    settingsFor: (key) => destinationSettings(sandbox, key),
    state: () => sandboxState(sandbox),
    apiCalls: () =>
      Object.fromEntries(Object.entries(SANDBOX_PARTS).map(([key, part]) => [key, sandbox.audit.cost(part.vendor)])),
    faults: () => sandbox.audit.faults() as Record<string, number>,
    close: () => sandbox.stop()
  }
}

/** Settings for one of our destinations against this sandbox: the runner's (SANDBOX_PARTS), with Salesforce signing
 * in by refresh token — a grant whose expiry the faults exercise (INVALID_SESSION_ID, then a refresh). */
export function destinationSettings(sandbox: Sandbox, key: string): Record<string, unknown> {
  const part = SANDBOX_PARTS[key]
  if (!part) throw new Error(`no sandbox settings for ${key}`)
  // As the runner does: the destination's setting defaults (e.g. Ortto's region), then the sandbox's.
  const settings = { ...settingDefaults(destinations[key]), ...part.settings(sandbox) }
  if (key !== 'jlp-salesforce') return settings
  return {
    ...settings,
    authMode: 'refresh_token',
    loginUrl: sandbox.salesforce.url,
    refreshToken: sandbox.salesforce.refreshToken
  }
}

/** Both vendors' records as one state: Salesforce objects by name, the Flow interviews it ran and the Platform
 * Events it published (by name: their inputs and fields are their identity), Ortto people and activities. */
export function sandboxState(sandbox: Sandbox): State {
  const ortto = sandbox.records.ortto()
  const byName = <T>(items: T[], name: (item: T) => string, row: (item: T) => Row): State => {
    const out: State = {}
    for (const item of items) (out[name(item)] ??= []).push(row(item))
    return out
  }
  return {
    ...sandbox.records.salesforce(),
    ...byName(
      sandbox.flows(),
      (f) => `flow run:${f.flow}`,
      (f) => ({ ...f.inputs })
    ),
    ...byName(
      sandbox.platformEvents(),
      (e) => `platform event:${e.type}`,
      (e) => ({ Id: e.id, ...e.fields })
    ),
    'ortto:person': ortto.people.map(({ id, fields }) => ({ Id: id, ...fields })),
    'ortto:activity': ortto.activities.map(({ id, key: _key, attributes, ...rest }) => ({
      Id: id,
      ...rest,
      ...attributes
    }))
  } as State
}

const RECEIPT_OBJECT = 'JLP_Event_Receipt__c'

/** Salesforce ids (15 or 18 characters with a key prefix) and Ortto ids (24 hex digits). */
const RECORD_ID = /^([a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}|[0-9a-f]{24})$/

/**
 * Which records are the same in two runs. Records with a business key (supporter id, email, draw id, ticket key,
 * member key) are that key; activity-like records (Task, Ortto activity) are their content — who, what, when —
 * minus what the vendor assigns, so a redelivered event that slipped through shows up as a duplicate.
 */
export function sandboxRules(sandbox: Sandbox): CompareRules {
  const identity: CompareRules['identity'] = {}
  for (const object of sandbox.salesforce.schema.objects.values()) {
    const name = object.name
    const fields = [...object.fields.values()]
    const keys = fields.filter((f) => f.externalId || f.unique).map((f) => f.name)
    if (name === 'Contact' || name === 'Lead') keys.push('Email')
    // Computed values (full names, rollups, stage flags) follow from the rest and may lag behind it.
    const ignore = fields.filter((f) => f.computed || f.rollup || (!f.createable && !f.updateable)).map((f) => f.name)
    identity[name] = { fields: keys, ignore }
  }
  // A receipt's JLP_Record_Id__c is the destination's own bookkeeping (done, or a run still in flight when the mark
  // was lost): what it changes — a Flow run repeated by a later copy — is counted in the Flow runs themselves.
  identity[RECEIPT_OBJECT] = {
    ...identity[RECEIPT_OBJECT],
    ignore: [...(identity[RECEIPT_OBJECT]?.ignore ?? []), 'JLP_Record_Id__c']
  }
  // A Task is the event it records (its event key); content would make two like events of one day one record.
  identity.Task = { ...identity.Task, fields: ['JLP_Event_Id__c', ...(identity.Task?.fields ?? [])] }
  identity['ortto:person'] = { fields: ['str::email'] }
  return {
    identity,
    systemFields: [
      'Id',
      'attributes',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
      'IsDeleted',
      'LastActivityDate',
      'LastViewedDate',
      'LastReferencedDate'
    ],
    totals: [
      { label: 'ticket and donation Opportunities (Amount)', object: 'Opportunity', field: 'Amount' },
      { label: 'supporter total spend (Contact.JLP_Total_Spend__c)', object: 'Contact', field: 'JLP_Total_Spend__c' },
      { label: 'Ortto conversion value (int::v)', object: 'ortto:activity', field: 'int::v' }
    ],
    isRecordId: (v) => typeof v === 'string' && RECORD_ID.test(v)
  }
}

/** Rows of a state whose object starts with a prefix (e.g. all Ortto rows), for quick figures. */
export const rowsOf = (state: State, prefix: string): Row[] =>
  Object.entries(state).flatMap(([object, rows]) => (object.startsWith(prefix) ? rows : []))
