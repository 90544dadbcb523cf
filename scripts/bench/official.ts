// The official Salesforce (Actions) destination doing the nearest equivalent of each of our presets, as subscriptions
// of its own actions (lead, contact, opportunity, customObject). Its mappings can only read the event, so where a
// record must point at another (an Opportunity at its Campaign, a Task at its Contact) the bench looks the id up in
// the sandbox beforehand — without an API call, and more than Segment could do — and hands it over in
// `properties.bench`. Where nothing in it comes close (a Flow), the equivalent says so instead of inventing one.
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import type { PresetSubscription } from '@jlp/runner'

export type OfficialAction = 'lead' | 'contact' | 'opportunity' | 'customObject'

/** Salesforce ids an event does not carry, found outside the destination (no API call). */
export interface OrgIds {
  id(object: string, field: string, value: unknown): string | undefined
}

export interface OfficialStep {
  /** What it writes, for the tables: "Lead upsert". */
  label: string
  action: OfficialAction
  operation: 'create' | 'upsert'
  /** Field mappings besides operation, traits and the Bulk API fields. */
  fields: JSONObject
  /** The record matcher of an upsert: an external-id field and the value's mapping. */
  match?: { field: string; value: JSONObject }
  /** The events this step runs on for one of ours: the event itself (default), one per ticket, … */
  expand?(event: SegmentEvent, org: OrgIds): SegmentEvent[]
}

export type Equivalent = { label: string; steps: OfficialStep[]; caveat?: string } | { label: string; none: string }

/** Its Bulk API 2.0 path collects up to 5,000 events a batch (the action's batch_size default). */
export const OFFICIAL_BATCH_SIZE = 5000

const path = (p: string): JSONObject => ({ '@path': p })

/** The first of these paths that the event has (a mapping-kit `@if` chain). */
export function firstOf(...paths: string[]): JSONObject {
  const [head, ...rest] = paths
  return rest.length === 0 ? path(head) : { '@if': { exists: path(head), then: path(head), else: firstOf(...rest) } }
}

const SUPPORTER_ID = firstOf('$.userId', '$.context.traits.supporter_id')
const PERSON: JSONObject = {
  last_name: firstOf('$.properties.last_name', '$.context.traits.lastName'),
  first_name: firstOf('$.properties.first_name', '$.context.traits.firstName'),
  email: firstOf('$.properties.email', '$.context.traits.email')
}
const BY_SUPPORTER_ID = { field: 'JLP_Supporter_Id__c', value: SUPPORTER_ID }

/** The event's supporter id, as SUPPORTER_ID maps it. */
export function supporterIdOf(event: SegmentEvent): string | undefined {
  const traits = (event.context?.traits ?? {}) as Record<string, unknown>
  const id = event.userId ?? traits.supporter_id
  return typeof id === 'string' && id !== '' ? id : undefined
}

/** The event with what the bench looked up for it under properties.bench (its filters still match). */
export function withBench(event: SegmentEvent, bench: Record<string, unknown>): SegmentEvent {
  return { ...event, properties: { ...event.properties, bench } } as SegmentEvent
}

const contactIdOf = (event: SegmentEvent, org: OrgIds) => org.id('Contact', 'JLP_Supporter_Id__c', supporterIdOf(event))

interface Ticket {
  ticket_id: string
  price: number
}

/** One event per ticket, with the ids and values an Opportunity needs that a mapping cannot compute. */
export function perTicket(event: SegmentEvent, org: OrgIds): SegmentEvent[] {
  const p = (event.properties ?? {}) as { tickets?: Ticket[]; draw_id?: string }
  const tickets = Array.isArray(p.tickets) ? p.tickets : []
  const campaign_id = org.id('Campaign', 'JLP_Draw_Id__c', p.draw_id)
  const contact_id = contactIdOf(event, org)
  const close_date = String(event.timestamp ?? '').slice(0, 10)
  return tickets.map((t, i) =>
    withBench(event, {
      ticket_id: t.ticket_id,
      amount: String(t.price),
      index: i + 1,
      count: tickets.length,
      close_date,
      campaign_id,
      contact_id
    })
  )
}

const withContact = (event: SegmentEvent, org: OrgIds) => [
  withBench(event, { contact_id: contactIdOf(event, org), date: String(event.timestamp ?? '').slice(0, 10) })
]

const leadUpsert: OfficialStep = {
  label: 'Lead upsert',
  action: 'lead',
  operation: 'upsert',
  match: BY_SUPPORTER_ID,
  fields: {
    ...PERSON,
    company: 'Individual',
    street: path('$.context.traits.address.street'),
    city: path('$.context.traits.address.city'),
    state: path('$.context.traits.address.state'),
    postal_code: path('$.context.traits.address.postalCode'),
    country: path('$.context.traits.address.country')
  }
}

const contactUpsert = (label: string, customFields: JSONObject): OfficialStep => ({
  label,
  action: 'contact',
  operation: 'upsert',
  match: BY_SUPPORTER_ID,
  fields: { ...PERSON, customFields }
})

const campaignUpsert: OfficialStep = {
  label: 'Campaign upsert',
  action: 'customObject',
  operation: 'upsert',
  match: { field: 'JLP_Draw_Id__c', value: path('$.properties.draw_id') },
  fields: {
    customObjectName: 'Campaign',
    customFields: { Name: path('$.properties.draw_name'), Status: 'In Progress', IsActive: true }
  }
}

const opportunityPerTicket: OfficialStep = {
  label: 'Opportunity create per ticket',
  action: 'opportunity',
  operation: 'create',
  fields: {
    name: {
      '@template':
        '{{properties.draw_name}} – Ticket {{properties.bench.index}} of {{properties.bench.count}} – ' +
        '{{context.traits.firstName}} {{context.traits.lastName}}'
    },
    stage_name: 'Closed Won',
    close_date: path('$.properties.bench.close_date'),
    amount: path('$.properties.bench.amount'),
    description: { '@template': 'Ticket {{properties.bench.ticket_id}}, order {{properties.order_id}}' },
    customFields: {
      CampaignId: path('$.properties.bench.campaign_id'),
      npsp__Primary_Contact__c: path('$.properties.bench.contact_id'),
      JLP_Order_Id__c: path('$.properties.order_id')
    }
  },
  expand: perTicket
}

const campaignMemberUpsert: OfficialStep = {
  label: 'CampaignMember upsert',
  action: 'customObject',
  operation: 'upsert',
  match: { field: 'JLP_Member_Key__c', value: path('$.properties.bench.member_key') },
  fields: {
    customObjectName: 'CampaignMember',
    customFields: {
      CampaignId: path('$.properties.bench.campaign_id'),
      ContactId: path('$.properties.bench.contact_id'),
      Status: 'Responded'
    }
  },
  expand: (event, org) => {
    const drawId = (event.properties as { draw_id?: string })?.draw_id
    return [
      withBench(event, {
        campaign_id: org.id('Campaign', 'JLP_Draw_Id__c', drawId),
        contact_id: contactIdOf(event, org),
        member_key: `${drawId}:${supporterIdOf(event)}`
      })
    ]
  }
}

const taskCreate = (label: string, customFields: JSONObject): OfficialStep => ({
  label,
  action: 'customObject',
  operation: 'create',
  fields: {
    customObjectName: 'Task',
    customFields: {
      ActivityDate: path('$.properties.bench.date'),
      WhoId: path('$.properties.bench.contact_id'),
      JLP_Event_Id__c: path('$.messageId'),
      ...customFields
    }
  },
  expand: withContact
})

const FLOW_NONE =
  'no equivalent: it has no action that starts a Flow (a Flow would have to be record-triggered by what it writes)'

/** The official destination's nearest equivalent of one of our presets. */
export function officialEquivalent(preset: PresetSubscription, fills: JSONObject = {}): Equivalent {
  const m = preset.mapping
  switch (preset.partnerAction) {
    case 'createOrUpdateLead':
      return {
        label: 'lead: upsert (SOQL lookup, then create or update)',
        steps: [leadUpsert],
        caveat: 'no check for an existing Contact'
      }
    case 'updateSupporterValue': {
      const status = m.recurring_status
      if (status !== undefined) {
        return {
          label: 'contact: upsert with the status',
          steps: [contactUpsert('Contact upsert', { JLP_Recurring_Status__c: status })]
        }
      }
      return {
        label: 'contact: upsert with the last purchase',
        steps: [
          contactUpsert('Contact upsert', {
            JLP_Last_Purchase_Amount__c: path('$.properties.value'),
            JLP_Last_Purchase_Date__c: path('$.timestamp')
          })
        ],
        caveat: 'cannot add to the total spend (it can only set a value the event carries)'
      }
    }
    case 'syncEventCampaign':
      return {
        label:
          'customObject Campaign upsert + contact upsert + opportunity create per ticket + customObject CampaignMember upsert',
        steps: [campaignUpsert, contactUpsert('Contact upsert', {}), opportunityPerTicket, campaignMemberUpsert],
        caveat:
          'one event per ticket and the Campaign/Contact ids supplied from outside; a redelivery creates the ' +
          'Opportunities again'
      }
    case 'logActivity':
      return {
        label: 'customObject: create a Task',
        steps: [
          taskCreate('Task create', {
            Subject: m.subject,
            Status: 'Completed',
            Type: m.type ?? 'Other'
          })
        ],
        caveat: `Contact id supplied from outside; a redelivery logs it again${
          m.update_opportunity ? '; the Opportunity stage move has no equivalent' : ''
        }`
      }
    case 'createFollowUpTask':
      return {
        label: 'customObject: create a Task',
        steps: [
          taskCreate('Task create', {
            Subject: m.subject,
            Status: 'Not Started',
            Priority: m.priority ?? 'High',
            ...(fills.owner_id ? { OwnerId: fills.owner_id } : {})
          })
        ],
        caveat: 'Contact id supplied from outside; a redelivery creates a second Task'
      }
    case 'triggerFlow':
      if (m.target !== 'platform_event') return { label: 'no equivalent', none: FLOW_NONE }
      return {
        label: `customObject: create a ${String(m.name)} (publishes it)`,
        steps: [
          {
            label: 'Platform Event create',
            action: 'customObject',
            operation: 'create',
            fields: { customObjectName: m.name, customFields: m.values }
          }
        ],
        caveat: 'a redelivery publishes it again'
      }
    case 'upsertCustomObject':
      return {
        label: `customObject: ${String(m.object)} upsert (SOQL lookup, then create or update)`,
        steps: [
          {
            label: `${String(m.object)} upsert`,
            action: 'customObject',
            operation: 'upsert',
            match: { field: String(m.external_id_field), value: m.external_id as JSONObject },
            fields: { customObjectName: m.object, customFields: m.values }
          }
        ]
      }
    default:
      return { label: 'no equivalent', none: `no equivalent for ${preset.partnerAction}` }
  }
}

/**
 * The step's mapping: one event at a time (an upsert matches with `traits`, and writes the key so the next lookup
 * finds the record), or batched through Bulk API 2.0 (the key goes in `bulkUpsertExternalId` instead).
 */
export function officialMapping(step: OfficialStep, batched = false): JSONObject {
  const custom = { ...((step.fields.customFields as JSONObject | undefined) ?? {}) }
  const mapping: JSONObject = { ...step.fields, operation: step.operation }
  if (!batched) {
    if (step.match) {
      mapping.traits = { [step.match.field]: step.match.value }
      custom[step.match.field] = step.match.value
    }
    return { ...mapping, customFields: custom }
  }
  if (step.match) {
    delete custom[step.match.field]
    mapping.bulkUpsertExternalId = { externalIdName: step.match.field, externalIdValue: step.match.value }
  }
  return { ...mapping, customFields: custom, enable_batching: true, batch_size: OFFICIAL_BATCH_SIZE }
}
