import type { ActionDefinition, JSONLikeObject } from '@segment/actions-core'
import { outcome, type ActionOutcome } from '../../../lib/outcome'
import { firstOf } from '../../../lib/mapping'
import {
  NOT_PROVIDED,
  addressFields,
  batchFields,
  customFieldsField,
  idsOf,
  supporterFields,
  text
} from '../common-fields'
import type { Settings } from '../generated-types'
import {
  SalesforceClient,
  attempt,
  byEmail,
  toMultiStatus,
  type RecordSuccess,
  type UpsertItem
} from '../salesforce-client'
import type { Payload } from './generated-types'

export const DEFAULT_COMPANY = 'Individual'

/** Payload → the Lead to upsert: its fields, the values only a new Lead gets, and when not to create it. */
export function leadItem(client: SalesforceClient, payload: Payload, settings: Settings): UpsertItem {
  const fields: Record<string, unknown> = {
    Email: text(payload.email),
    FirstName: text(payload.first_name),
    LastName: text(payload.last_name),
    Phone: text(payload.phone),
    Street: text(payload.street),
    City: text(payload.city),
    State: text(payload.state),
    PostalCode: text(payload.postal_code),
    Country: text(payload.country),
    Company: text(payload.company),
    LeadSource: text(payload.lead_source),
    Status: text(payload.status)
  }
  const campaignField = text(payload.campaign_field)
  if (campaignField) fields[campaignField] = text(payload.campaign_name)
  Object.assign(fields, payload.custom_fields ?? {})
  return {
    match: client.supporterMatch('Lead', idsOf(payload)),
    fields,
    onCreate: { LastName: NOT_PROVIDED, Company: text(settings.defaultCompany) ?? DEFAULT_COMPANY },
    ...(payload.skip_if_contact_exists && text(payload.email)
      ? { unless: { object: 'Contact', match: byEmail(text(payload.email) as string) } }
      : {})
  }
}

function describe(result: RecordSuccess, apiCalls?: number): ActionOutcome {
  if (result.change === 'skipped' && result.blockedBy) {
    const { object, id } = result.blockedBy
    return outcome(
      `No Lead created: ${object} ${id} already has this email`,
      [{ object: 'Lead', change: 'skipped' }],
      apiCalls
    )
  }
  return outcome(
    `Lead ${result.id ?? ''} ${result.change}`.replace('  ', ' '),
    [{ object: 'Lead', id: result.id, change: result.change }],
    apiCalls
  )
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Create or Update Lead',
  description:
    'Creates a Lead for a new supporter, or updates their Lead, with name, contact details, address, lead source ' +
    'and campaign. By default no Lead is created for someone who is already a Contact.',
  defaultSubscription: 'type = "track" and event = "Registration Started"',
  fields: {
    ...supporterFields,
    email: { ...supporterFields.email, required: true },
    ...addressFields,
    company: {
      label: 'Company',
      description:
        'The Lead’s company. Salesforce requires one; when the event has none, a new Lead gets the "Company for ' +
        'individual supporters" setting (default "Individual").',
      type: 'string',
      default: firstOf('$.properties.company', '$.traits.company', '$.context.traits.company')
    },
    lead_source: {
      label: 'Lead source',
      description:
        'Where the supporter came from: the campaign’s utm_source (context.campaign.source), else how they signed up.',
      type: 'string',
      default: firstOf('$.context.campaign.source', '$.properties.signup_source')
    },
    campaign_name: {
      label: 'Campaign',
      description: 'The marketing campaign that brought the supporter (utm_campaign, context.campaign.name).',
      type: 'string',
      default: { '@path': '$.context.campaign.name' }
    },
    campaign_field: {
      label: 'Lead field for the campaign',
      description:
        'API name of the Lead field that receives the campaign name (a text field, e.g. JLP_Campaign__c). Leave ' +
        'empty to not record it.',
      type: 'string',
      default: 'JLP_Campaign__c'
    },
    status: {
      label: 'Lead status',
      description: 'The Lead Status to set (a value of your org’s Lead Status picklist). Empty: your org’s default.',
      type: 'string'
    },
    custom_fields: customFieldsField,
    skip_if_contact_exists: {
      label: 'No Lead for existing Contacts',
      description:
        'When on, a Lead is not created if a Contact with the same email already exists (the result says so); an ' +
        'existing Lead is still updated. Costs one lookup, done in the same API call as the Lead lookup.',
      type: 'boolean',
      default: true
    },
    ...batchFields('Leads')
  },
  perform: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const item = leadItem(client, payload, settings)
    const result = await client.upsert('Lead', item.match, item.fields, item)
    return describe(result, client.apiCalls)
  },
  performBatch: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const items = payload.map((p) => attempt(() => leadItem(client, p, settings)))
    const results = await client.upsertMany('Lead', items)
    return toMultiStatus(
      results,
      (result) => describe(result),
      (i) => payload[i] as unknown as JSONLikeObject
    )
  }
}

export default action
