// One ticket purchase → one all-or-nothing graph of records, every one keyed so a redelivery changes nothing:
//   campaign      Campaign               by JLP_Draw_Id__c   = draw id
//   buyer         Contact                by Email (Salesforce's lookup field) or the supporter id external id
//   buyerAccount  (read)                 the Contact's AccountId, unless an Account is mapped
//   ticketN       Opportunity            by JLP_Ticket_Key__c = order id:ticket id   (Campaign, Account, buyer)
//   ticketNRole   OpportunityContactRole by JLP_Role_Key__c  = the Opportunity's key (when linked by role)
//   donation      Opportunity            by JLP_Ticket_Key__c = order id:donation
//   member        CampaignMember         by JLP_Member_Key__c = draw id:buyer key
// Pure: no HTTP and no URLs (the client builds those from these nodes).
import { PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import {
  byExternalId,
  reference,
  supporterMatch,
  type GraphNode,
  type GraphUpsert,
  type Match,
  type SfValue
} from '../salesforce-client'
import { NOT_PROVIDED, text } from '../common-fields'
import type { Payload } from './generated-types'
import { checkTemplate, renderTemplate, truncate, type TemplateValues } from './names'
import { DEFAULT_DESCRIPTION, DEFAULT_DONATION_NAME, DEFAULT_TICKET_NAME } from './fields'

export const KEYS = {
  campaign: 'JLP_Draw_Id__c',
  opportunity: 'JLP_Ticket_Key__c',
  order: 'JLP_Order_Id__c',
  role: 'JLP_Role_Key__c',
  member: 'JLP_Member_Key__c'
} as const

export const NPSP_PRIMARY_CONTACT = 'npsp__Primary_Contact__c'

/** Salesforce field lengths we fill from free text. */
const MAX = { campaignName: 80, opportunityName: 120, description: 32000, externalId: 255 }

const invalid = (message: string) => new PayloadValidationError(message)

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== ''

/** Drops empty values, so an update never blanks a field the event did not carry. */
function compact(fields: Record<string, unknown>): Record<string, SfValue> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => present(v))) as Record<string, SfValue>
}

/** ISO date (YYYY-MM-DD) of a datetime, in UTC; `what` names the mapping field in errors. */
export function isoDate(value: string | number | undefined, what: string): string | undefined {
  if (!present(value)) return undefined
  const date = new Date(value as string | number)
  if (Number.isNaN(date.getTime())) throw invalid(`${what} is not a date: ${JSON.stringify(value)}.`)
  return date.toISOString().slice(0, 10)
}

function key(value: string, what: string): string {
  if (value.length > MAX.externalId) {
    throw invalid(`${what} is longer than ${MAX.externalId} characters, too long for a Salesforce external id.`)
  }
  return value
}

function amount(value: number | undefined, what: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${what} is not a number.`)
  if (value < 0) throw invalid(`${what} is negative (${value}); a purchase amount cannot be below 0.`)
  return value
}

/** The buyer's email, trimmed and lower-cased (Salesforce compares emails without case), or undefined. */
export function buyerEmail(payload: Payload): string | undefined {
  const email = text(payload.email)?.toLowerCase()
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid(`email is not an email address: ${quoted(email)}.`)
  return email
}

/**
 * How the buyer's Contact is found: by the supporter id when `externalIdField` (the "Contact supporter id field"
 * setting) is set and the event has one, else by email.
 */
export function contactMatch(payload: Payload, externalIdField?: string): Match {
  const email = buyerEmail(payload)
  const supporterId = text(payload.supporter_id)
  if (!email && !(externalIdField && supporterId)) {
    const alternative = externalIdField ? ` or supporter id (supporter_id, for ${externalIdField})` : ''
    throw invalid(`The buyer has no email (email)${alternative}, needed to find or create the Contact.`)
  }
  const match = supporterMatch(externalIdField, { email, supporterId }, 'Contact')
  return match.by === 'id' ? match : { ...match, value: key(match.value, 'email or supporter_id') }
}

export interface Ticket {
  id: string
  price: number
  number?: string
}

export function ticketsOf(payload: Payload): Ticket[] {
  const tickets = payload.tickets ?? []
  if (!Array.isArray(tickets) || tickets.length === 0) {
    throw invalid('The purchase has no tickets (tickets, e.g. properties.tickets, is empty).')
  }
  const seen = new Set<string>()
  return tickets.map((t, i) => {
    const id = present(t?.ticket_id) ? String(t.ticket_id) : String(i + 1)
    if (seen.has(id)) throw invalid(`tickets[${i}].ticket_id ${quoted(id)} is repeated; each ticket needs its own id.`)
    seen.add(id)
    const price = amount(t?.price, `tickets[${i}].price`)
    if (price === undefined) throw invalid(`tickets[${i}].price is missing; each ticket needs a price.`)
    return { id, price, ...(present(t.number) ? { number: String(t.number) } : {}) }
  })
}

const upsert = (
  ref: string,
  object: string,
  match: Match,
  fields: Record<string, unknown>,
  onCreate?: Record<string, unknown>
): GraphUpsert => ({ kind: 'upsert', ref, object, match, fields: compact(fields), ...(onCreate ? { onCreate } : {}) })

/** The graph for one purchase, the Contact found by `contact` (see contactMatch). Throws a PayloadValidationError
 * naming the mapping field on bad input. */
export function purchaseGraph(payload: Payload, contact: Match): GraphNode[] {
  const orderId = typeof payload.order_id === 'string' ? payload.order_id.trim() : ''
  if (!orderId) throw invalid('The purchase has no order id (order_id).')
  const drawId = typeof payload.draw?.id === 'string' ? payload.draw.id.trim() : ''
  if (!drawId) throw invalid('The purchase has no draw id (draw.id, e.g. properties.draw_id).')
  const closeDate = isoDate(payload.purchased_at, 'purchased_at')
  if (!closeDate) throw invalid('The purchase has no time (purchased_at).')

  const tickets = ticketsOf(payload)
  const donation = amount(payload.donation_amount, 'donation_amount')
  const email = buyerEmail(payload)
  const firstName = text(payload.first_name)
  const lastName = text(payload.last_name)
  const opp = payload.opportunity ?? {}
  const ticketName = opp.name_template || DEFAULT_TICKET_NAME
  const description = opp.description_template ?? DEFAULT_DESCRIPTION
  const donationName = payload.donation?.name_template || DEFAULT_DONATION_NAME
  checkTemplate(ticketName, 'opportunity.name_template')
  checkTemplate(description, 'opportunity.description_template')
  checkTemplate(donationName, 'donation.name_template')

  const drawName = truncate(payload.draw.name?.trim() || drawId, MAX.campaignName)
  const nodes: GraphNode[] = [
    upsert('campaign', 'Campaign', byExternalId(KEYS.campaign, key(drawId, 'draw.id')), {
      Name: drawName,
      Type: payload.draw.type,
      Status: payload.campaign?.status,
      IsActive: payload.campaign?.is_active,
      StartDate: isoDate(payload.campaign?.start_date, 'campaign.start_date'),
      EndDate: isoDate(payload.campaign?.end_date, 'campaign.end_date'),
      ...payload.campaign_fields
    }),
    upsert(
      'buyer',
      'Contact',
      contact,
      {
        FirstName: firstName,
        LastName: lastName,
        Email: email,
        Phone: text(payload.phone),
        MailingStreet: text(payload.street),
        MailingCity: text(payload.city),
        MailingState: text(payload.state),
        MailingPostalCode: text(payload.postal_code),
        MailingCountry: text(payload.country),
        ...payload.contact_fields
      },
      { LastName: NOT_PROVIDED }
    )
  ]

  let accountId = payload.account_id?.trim()
  if (!accountId) {
    nodes.push({ kind: 'read', ref: 'buyerAccount', object: 'Contact', id: reference('buyer'), fields: ['AccountId'] })
    accountId = reference('buyerAccount', 'AccountId')
  }

  const role = payload.contact_role ?? 'npsp_primary_contact'
  const common = {
    AccountId: accountId,
    CampaignId: reference('campaign'),
    CloseDate: closeDate,
    StageName: opp.stage || 'Closed Won',
    OwnerId: opp.owner_id,
    [KEYS.order]: orderId,
    ...(role === 'npsp_primary_contact' ? { [NPSP_PRIMARY_CONTACT]: reference('buyer') } : {}),
    ...payload.opportunity_fields
  }
  const opportunity = (ref: string, oppKey: string, fields: Record<string, unknown>) => {
    const match = byExternalId(KEYS.opportunity, key(oppKey, 'order_id with ticket id'))
    nodes.push(upsert(ref, 'Opportunity', match, { ...common, ...fields }))
    if (role === 'opportunity_contact_role') {
      nodes.push(
        upsert(`${ref}Role`, 'OpportunityContactRole', byExternalId(KEYS.role, match.value), {
          OpportunityId: reference(ref),
          ContactId: reference('buyer'),
          IsPrimary: true,
          Role: payload.contact_role_name
        })
      )
    }
  }

  const base: TemplateValues = {
    draw_name: drawName,
    draw_id: drawId,
    ticket_count: tickets.length,
    order_id: orderId,
    buyer_name: [firstName, lastName].filter(present).join(' ') || email || text(payload.supporter_id)
  }
  tickets.forEach((ticket, i) => {
    const values: TemplateValues = {
      ...base,
      ticket_index: i + 1,
      ticket_id: ticket.id,
      ticket_number: ticket.number,
      amount: ticket.price.toFixed(2)
    }
    opportunity(`ticket${i + 1}`, `${orderId}:${ticket.id}`, {
      Name: renderTemplate(ticketName, values, MAX.opportunityName),
      Amount: ticket.price,
      Description: renderTemplate(description, values, MAX.description),
      RecordTypeId: opp.record_type_id,
      Type: opp.type
    })
  })
  if (donation) {
    opportunity('donation', `${orderId}:donation`, {
      Name: renderTemplate(donationName, { ...base, amount: donation.toFixed(2) }, MAX.opportunityName),
      Amount: donation,
      Description: `Donation with order ${orderId}`,
      RecordTypeId: payload.donation?.record_type_id,
      Type: payload.donation?.type
    })
  }

  const buyerKey = contact.by === 'id' ? contact.value : contact.value.toLowerCase()
  nodes.push(
    upsert('member', 'CampaignMember', byExternalId(KEYS.member, key(`${drawId}:${buyerKey}`, 'draw.id with buyer')), {
      CampaignId: reference('campaign'),
      ContactId: reference('buyer'),
      Status: payload.member_status
    })
  )
  return nodes
}
