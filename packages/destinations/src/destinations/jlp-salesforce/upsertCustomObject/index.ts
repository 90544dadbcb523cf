import { PayloadValidationError, type ActionDefinition, type JSONLikeObject } from '@segment/actions-core'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import { batchFields, eventTimeFields, eventTimeOf, text } from '../common-fields'
import type { Settings } from '../generated-types'
import {
  SalesforceClient,
  apiName,
  attempt,
  byExternalId,
  describeFields,
  dynamicChoices,
  failure,
  listObjects,
  olderNote,
  toMultiStatus,
  type ItemResult,
  type RecordSuccess,
  type UpsertItem
} from '../salesforce-client'
import type { Payload } from './generated-types'

/** The object, checked: a Platform Event cannot be upserted. */
export function objectOf(payload: Payload): string {
  const object = apiName(text(payload.object) ?? '', 'object')
  if (/__e$/i.test(object)) {
    throw new PayloadValidationError(`${object} is a Platform Event: publish it with the "Trigger Flow" action.`)
  }
  return object
}

/** Payload → the upsert: by the external-id field and value, with the mapped fields. */
export function upsertItem(payload: Payload): UpsertItem {
  const field = apiName(text(payload.external_id_field) ?? '', 'external id field')
  const value = text(payload.external_id)
  if (!value) throw new PayloadValidationError(`The event has no value for ${field}, the record’s external id.`)
  const eventTime = eventTimeOf(payload)
  return {
    match: byExternalId(field, value),
    fields: { ...(payload.values ?? {}) },
    ...(eventTime ? { eventTime } : {})
  }
}

function describe(object: string, result: RecordSuccess, payload: Payload, apiCalls?: number): ActionOutcome {
  const key = `${text(payload.external_id_field)} "${text(payload.external_id)}"`
  const older = olderNote(result)
  return outcome(
    `${object} ${result.id ?? ''} ${result.change} (${key})${older ? `: ${older}` : ''}`.replace('  ', ' '),
    [{ object, id: result.id, change: result.change }],
    apiCalls
  )
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Upsert Custom Object',
  description:
    'Creates or updates a record of any object (e.g. JLP Subscription) by one of its External ID fields, with ' +
    'mapped fields: one API call per event, Collections (200 records a call) in batches. A redelivered event ' +
    'updates the same record; with a newest-event field, a late copy of an older event changes nothing.',
  fields: {
    object: {
      label: 'Salesforce object',
      description:
        'API name of the object, e.g. JLP_Subscription__c. The list shows the objects of your org the connected ' +
        'user can create and update.',
      type: 'string',
      required: true,
      dynamic: true
    },
    external_id_field: {
      label: 'External ID field',
      description:
        'API name of the object’s External ID field the record is found by (e.g. JLP_Subscription_Id__c); the list ' +
        'shows the object’s External ID fields. Mark it Unique in Salesforce, so two events cannot make two records.',
      type: 'string',
      required: true,
      dynamic: true
    },
    external_id: {
      label: 'External ID',
      description: 'The value of that field for this event, e.g. the subscription id.',
      type: 'string',
      required: true
    },
    values: {
      label: 'Fields',
      description:
        'The record’s fields: key is the field API name (the list shows the fields you can write), value is mapped ' +
        'from the event. Lookups take a record id. NPSP rollups (npo02__…) are refused.',
      type: 'object',
      defaultObjectUI: 'keyvalue',
      additionalProperties: true,
      dynamic: true
    },
    ...eventTimeFields('the object'),
    ...batchFields('records')
  },
  dynamicFields: {
    object: async (request, { settings, auth }) => {
      const client = new SalesforceClient(request, settings, auth)
      return dynamicChoices(() => listObjects(client))
    },
    external_id_field: async (request, { settings, payload, auth }) => {
      const client = new SalesforceClient(request, settings, auth)
      return dynamicChoices(async () => (await describeFields(client, objectOf(payload))).filter((f) => f.externalId))
    },
    values: {
      __keys__: async (request, { settings, payload, auth }) => {
        const client = new SalesforceClient(request, settings, auth)
        return dynamicChoices(async () =>
          (await describeFields(client, objectOf(payload)))
            .filter((f) => f.createable || f.updateable)
            .map((f) => ({ ...f, description: `${f.type}${f.required ? ', required on create' : ''}` }))
        )
      }
    }
  },
  perform: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const object = objectOf(payload)
    const item = upsertItem(payload)
    const result = await client.upsert(object, item.match, item.fields, item)
    return describe(object, result, payload, client.apiCalls)
  },
  performBatch: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const results: ItemResult[] = new Array(payload.length)
    const byObject = new Map<string, number[]>()
    payload.forEach((p, i) => {
      const object = attempt(() => objectOf(p))
      if (typeof object !== 'string') return void (results[i] = failure(object))
      byObject.set(object, [...(byObject.get(object) ?? []), i])
    })
    for (const [object, indices] of byObject) {
      const done = await client.upsertMany(
        object,
        indices.map((i) => attempt(() => upsertItem(payload[i])))
      )
      indices.forEach((i, k) => (results[i] = done[k]))
    }
    return toMultiStatus(
      results,
      (result, i) => describe(result.object, result, payload[i]),
      (i) => payload[i] as unknown as JSONLikeObject
    )
  }
}

export default action
