// What the org has, for dynamic fields: its objects (Describe Global, GET /sobjects) and an object's fields
// (GET /sobjects/{Object}/describe). One API call each; only what a mapping can write is returned.
import type { DynamicFieldResponse } from '@segment/actions-core'
import { dataPath } from './hosts'
// The index re-exports this module: import it from '../salesforce-client', never from this file directly.
import { sobjectPath, type SalesforceClient } from './index'

export interface SfObjectInfo {
  name: string
  label: string
  custom: boolean
}

export interface SfFieldInfo {
  name: string
  label: string
  type: string
  externalId: boolean
  createable: boolean
  updateable: boolean
  /** Required on create: not nillable, not defaulted, not a checkbox. */
  required: boolean
}

type Raw = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : '')

const byLabel = (a: SfObjectInfo, b: SfObjectInfo) =>
  Number(b.custom) - Number(a.custom) || a.label.localeCompare(b.label)

/**
 * The org's objects (one call): 'records' — those records can be created and updated in (Platform Events,
 * read-only and system objects left out); 'events' — its Platform Events (…__e). Custom ones first, then by label.
 */
export async function listObjects(
  client: SalesforceClient,
  kind: 'records' | 'events' = 'records'
): Promise<SfObjectInfo[]> {
  const { data } = await client.send<{ sobjects?: Raw[] }>('GET', dataPath('sobjects'), {
    what: 'listing the org’s objects'
  })
  const wanted = (o: Raw) =>
    kind === 'events'
      ? /__e$/i.test(str(o.name)) && o.createable === true
      : o.createable === true && o.updateable === true && !/__(e|x|mdt|b)$/i.test(str(o.name))
  return (data?.sobjects ?? [])
    .filter(wanted)
    .map((o) => ({ name: str(o.name), label: str(o.label) || str(o.name), custom: o.custom === true }))
    .filter((o) => o.name)
    .sort(byLabel)
}

/** The org's autolaunched Flows that can be run through the API (one call). */
export async function listFlows(client: SalesforceClient): Promise<SfObjectInfo[]> {
  const { data } = await client.send<{ actions?: Raw[] }>('GET', dataPath('actions/custom/flow'), {
    what: 'listing the org’s Flows'
  })
  return (data?.actions ?? [])
    .map((a) => ({ name: str(a.name), label: str(a.label) || str(a.name), custom: true }))
    .filter((a) => a.name)
    .sort(byLabel)
}

/** An object's fields as describe reports them. */
export async function describeFields(client: SalesforceClient, object: string): Promise<SfFieldInfo[]> {
  const { data } = await client.send<{ fields?: Raw[] }>('GET', sobjectPath(object, 'describe'), {
    what: `describing ${object}`
  })
  return (data?.fields ?? [])
    .map((f) => ({
      name: str(f.name),
      label: str(f.label) || str(f.name),
      type: str(f.type),
      externalId: f.externalId === true,
      createable: f.createable === true,
      updateable: f.updateable === true,
      required: f.createable === true && f.nillable === false && f.defaultedOnCreate !== true && f.type !== 'boolean'
    }))
    .filter((f) => f.name)
}

/** A dynamic field's answer: each item as a "Label (ApiName)" choice — or, when Salesforce refuses, its error
 * (a reason instead of an empty list). */
export async function dynamicChoices(
  load: () => Promise<Array<{ name: string; label: string; description?: string }>>
): Promise<DynamicFieldResponse> {
  try {
    const items = await load()
    return {
      choices: items.map((o) => ({
        label: `${o.label} (${o.name})`,
        value: o.name,
        ...(o.description ? { description: o.description } : {})
      }))
    }
  } catch (err) {
    return { choices: [], error: { code: 'SALESFORCE_ERROR', message: (err as Error).message } }
  }
}
