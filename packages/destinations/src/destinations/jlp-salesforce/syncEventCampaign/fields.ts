// The mapping of syncEventCampaign: one ticket purchase → the draw's Campaign, the buyer's Contact (the shared
// supporter and address fields), one Opportunity per ticket (and one for a donation), the buyer's CampaignMember.
// Defaults read the JLP tracking plan's Ticket Purchase Completed (and Order Completed) properties.
import type { InputField } from '@segment/actions-core'
import { addressFields, supporterFields } from '../common-fields'

const path = (p: string) => ({ '@path': p })

const text = (label: string, description: string, extra: Partial<InputField> = {}): InputField => ({
  label,
  description,
  type: 'string',
  ...extra
})

const extraFields = (object: string, example: string): InputField => ({
  label: `Other ${object} fields`,
  description:
    `More ${object} fields, by API name (e.g. ${example}), written on every purchase. Leave empty: the ` +
    'integration works without them.',
  type: 'object',
  defaultObjectUI: 'keyvalue'
})

/** Placeholders the name and description templates may use. */
export const TEMPLATE_HELP =
  'Placeholders: {draw_name}, {draw_id}, {ticket_index}, {ticket_count}, {ticket_id}, {ticket_number}, ' +
  '{order_id}, {buyer_name}, {amount}.'

export const DEFAULT_TICKET_NAME = '{draw_name} – Ticket {ticket_index} of {ticket_count} – {buyer_name}'
export const DEFAULT_DONATION_NAME = '{draw_name} – Donation – {buyer_name}'
export const DEFAULT_DESCRIPTION = 'Ticket {ticket_number} ({ticket_id}), order {order_id}'

export const fields: Record<string, InputField> = {
  order_id: text('Order ID', 'The purchase’s order id: with the ticket id it keys every Opportunity.', {
    required: true,
    default: path('$.properties.order_id')
  }),
  purchased_at: {
    label: 'Purchase time',
    description: 'When the tickets were bought: the Opportunities’ Close Date.',
    type: 'datetime',
    required: true,
    default: path('$.timestamp')
  },
  draw: {
    label: 'Draw or event',
    description:
      'The lottery draw, raffle or event the tickets are for: its id keys the Campaign (JLP_Draw_Id__c), so a ' +
      'renamed draw updates its Campaign instead of making another.',
    type: 'object',
    required: true,
    additionalProperties: false,
    properties: {
      id: text('Draw ID', 'The draw’s stable id, e.g. DRW-1234.'),
      name: text('Name', 'The Campaign name, e.g. Weekly Jumbo Draw #1234.'),
      type: text('Type', 'The Campaign Type, e.g. Lottery Draw or Raffle.'),
      date: { label: 'Draw date', description: 'When the draw takes place.', type: 'datetime' }
    },
    default: {
      id: path('$.properties.draw_id'),
      name: path('$.properties.draw_name'),
      type: path('$.properties.event_type'),
      date: path('$.properties.draw_date')
    }
  },
  campaign: {
    label: 'Campaign',
    description:
      'Campaign fields written on every purchase of the draw (Salesforce keeps the last values). Use stable ' +
      'values: the draw date rather than the purchase time.',
    type: 'object',
    additionalProperties: false,
    properties: {
      status: text('Status', 'Campaign Status, e.g. In Progress.'),
      is_active: { label: 'Active', description: 'Campaign IsActive.', type: 'boolean' },
      start_date: {
        label: 'Start date',
        description: 'Campaign StartDate. The tracking plan has no sales-open date, so the preset uses the draw date.',
        type: 'datetime'
      },
      end_date: { label: 'End date', description: 'Campaign EndDate: the draw date.', type: 'datetime' }
    },
    default: {
      status: 'In Progress',
      is_active: true,
      start_date: path('$.properties.draw_date'),
      end_date: path('$.properties.draw_date')
    }
  },
  ...supporterFields,
  ...addressFields,
  tickets: {
    label: 'Tickets',
    description: 'Every ticket bought: each becomes its own Opportunity, keyed by order id + ticket id.',
    type: 'object',
    multiple: true,
    additionalProperties: false,
    properties: {
      ticket_id: text('Ticket ID', 'The ticket’s id (unique in the order).'),
      price: { label: 'Price', description: 'The ticket’s price: the Opportunity Amount.', type: 'number' },
      number: text('Ticket number', 'The number printed on the ticket, e.g. 041926.')
    },
    default: {
      '@arrayPath': [
        '$.properties.tickets',
        { ticket_id: path('$.ticket_id'), price: path('$.price'), number: path('$.number') }
      ]
    }
  },
  donation_amount: {
    label: 'Donation',
    description: 'A donation made with the tickets: it becomes its own Opportunity (none when empty or 0).',
    type: 'number',
    default: path('$.properties.donation_amount')
  },
  opportunity: {
    label: 'Ticket Opportunities',
    description: `How each ticket’s Opportunity is written. ${TEMPLATE_HELP}`,
    type: 'object',
    additionalProperties: false,
    properties: {
      stage: text('Stage', 'Opportunity StageName, e.g. Closed Won.'),
      name_template: text('Name', 'Opportunity Name (cut to 120 characters).'),
      description_template: text('Description', 'Opportunity Description.'),
      owner_id: text('Owner ID', 'OwnerId (a User id); empty: the integration user.'),
      record_type_id: text('Record type ID', 'RecordTypeId; empty: the default record type.'),
      type: text('Type', 'Opportunity Type; empty: not set.')
    },
    default: {
      stage: 'Closed Won',
      name_template: DEFAULT_TICKET_NAME,
      description_template: DEFAULT_DESCRIPTION
    }
  },
  donation: {
    label: 'Donation Opportunity',
    description: `How a donation’s Opportunity is written (stage and owner as for tickets). ${TEMPLATE_HELP}`,
    type: 'object',
    additionalProperties: false,
    properties: {
      name_template: text('Name', 'Opportunity Name (cut to 120 characters).'),
      record_type_id: text('Record type ID', 'RecordTypeId, e.g. your Donation record type; empty: the default.'),
      type: text('Type', 'Opportunity Type, e.g. Donation; empty: not set.')
    },
    default: { name_template: DEFAULT_DONATION_NAME }
  },
  account_id: text(
    'Account ID',
    'The Account every Opportunity is for. Empty: the Account Salesforce links the Contact to (the household ' +
      'or individual Account in NPSP), read in the same call; no Account is ever created by this action.'
  ),
  contact_role: text(
    'Link Opportunity to Contact by',
    'NPSP orgs (the JLP org): the Primary Contact field (npsp__Primary_Contact__c), from which NPSP adds the contact ' +
      'role and counts the gift. Other orgs: an Opportunity Contact Role, keyed by a JLP_Role_Key__c external id ' +
      'field on it. None: not linked.',
    {
      required: true,
      default: 'npsp_primary_contact',
      choices: [
        { label: 'NPSP Primary Contact', value: 'npsp_primary_contact' },
        { label: 'Opportunity Contact Role', value: 'opportunity_contact_role' },
        { label: 'None', value: 'none' }
      ]
    }
  ),
  contact_role_name: text('Contact role', 'The Role of an Opportunity Contact Role, e.g. Buyer; empty: none.'),
  member_status: text(
    'Campaign member status',
    'The buyer’s CampaignMember Status. A new Campaign has Sent and Responded; a status such as Purchased ' +
      'must first be added to the Campaign in Salesforce.',
    { required: true, default: 'Responded' }
  ),
  campaign_fields: extraFields('Campaign', 'Description, ParentId'),
  contact_fields: extraFields('Contact', 'LeadSource, HasOptedOutOfEmail'),
  opportunity_fields: extraFields('Opportunity', 'LeadSource, CurrencyIsoCode'),
  enable_batching: {
    label: 'Send in batches',
    description: 'Send several purchases in one Salesforce call (one all-or-nothing graph each).',
    type: 'boolean',
    default: false
  },
  batch_size: {
    label: 'Batch size',
    description: 'Most purchases in one batch (Salesforce takes 75 graphs and 500 records a call).',
    type: 'number',
    default: 50,
    minimum: 1,
    maximum: 75
  }
}
