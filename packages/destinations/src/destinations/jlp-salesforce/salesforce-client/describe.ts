// What the org has, for dynamic fields: its objects (Describe Global, GET /sobjects) and an object's fields
// (GET /sobjects/{Object}/describe). One API call each; only what a mapping can write is returned.
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

/** Objects records can be created and updated in (Platform Events, read-only and system objects are left out),
 * custom objects first, then by label. */
export async function listObjects(client: SalesforceClient): Promise<SfObjectInfo[]> {
  const { data } = await client.send<{ sobjects?: Raw[] }>('GET', dataPath('sobjects'), {
    what: 'listing the org’s objects'
  })
  return (data?.sobjects ?? [])
    .filter((o) => o.createable === true && o.updateable === true && !/__(e|x|mdt|b)$/i.test(str(o.name)))
    .map((o) => ({ name: str(o.name), label: str(o.label) || str(o.name), custom: o.custom === true }))
    .filter((o) => o.name)
    .sort((a, b) => Number(b.custom) - Number(a.custom) || a.label.localeCompare(b.label))
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
