import { defaultValues, PayloadValidationError, transform } from '@segment/actions-core'
import { getScenario, type SegmentTrackEvent } from '@jlp/tracking-plan'
import { fields } from '../fields'
import type { Payload } from '../generated-types'
import type { GraphNode, GraphUpsert } from '../../salesforce-client'
import { contactMatch, purchaseGraph } from '../records'

/** The payload the default mapping makes of an event, with overrides. */
function payloadOf(event: SegmentTrackEvent, overrides: Partial<Payload> = {}): Payload {
  const mapped = transform(defaultValues(fields), event as never) as unknown as Payload
  return { ...mapped, ...overrides }
}

/** The graph with the Contact matched as the settings say (supporter id field, or email). */
const graphOf = (payload: Payload, supporterField?: string) =>
  purchaseGraph(payload, contactMatch(payload, supporterField))

const [oneTicket] = getScenario('one-ticket')
const [threeTickets] = getScenario('three-tickets')
const [withDonation] = getScenario('with-donation')

const node = (nodes: GraphNode[], ref: string) => nodes.find((n) => n.ref === ref) as GraphUpsert
const refs = (nodes: GraphNode[]) => nodes.map((n) => n.ref)
const byKey = (field: string, value: string) => ({ by: 'externalId', field, value })

function rejects(payload: Payload, message: RegExp, supporterField?: string) {
  let error: unknown
  try {
    graphOf(payload, supporterField)
  } catch (err) {
    error = err
  }
  expect(error).toBeInstanceOf(PayloadValidationError)
  expect((error as Error).message).toMatch(message)
}

describe('purchaseGraph', () => {
  it('one ticket: Campaign by draw id, Contact by email, its Account read, Opportunity (NPSP primary contact), member', () => {
    const nodes = graphOf(payloadOf(oneTicket))
    expect(nodes).toEqual([
      {
        kind: 'upsert',
        ref: 'campaign',
        object: 'Campaign',
        match: byKey('JLP_Draw_Id__c', 'DRW-1234'),
        fields: {
          Name: 'Weekly Jumbo Draw #1234',
          Type: 'Lottery Draw',
          Status: 'In Progress',
          IsActive: true,
          StartDate: '2026-06-13',
          EndDate: '2026-06-13'
        }
      },
      {
        kind: 'upsert',
        ref: 'buyer',
        object: 'Contact',
        match: { by: 'field', field: 'Email', value: 'tom.hargreaves@example.com' },
        fields: {
          FirstName: 'Tom',
          LastName: 'Hargreaves',
          Email: 'tom.hargreaves@example.com',
          Phone: '+447700900456',
          MailingStreet: '3 Kirkstall Road',
          MailingCity: 'Leeds',
          MailingState: 'West Yorkshire',
          MailingPostalCode: 'LS4 2AA',
          MailingCountry: 'GB'
        },
        onCreate: { LastName: '[not provided]' }
      },
      { kind: 'read', ref: 'buyerAccount', object: 'Contact', id: '@{buyer.id}', fields: ['AccountId'] },
      {
        kind: 'upsert',
        ref: 'ticket1',
        object: 'Opportunity',
        match: byKey('JLP_Ticket_Key__c', 'ORD-700101:ORD-700101-T1'),
        fields: {
          AccountId: '@{buyerAccount.AccountId}',
          CampaignId: '@{campaign.id}',
          CloseDate: '2026-06-08',
          StageName: 'Closed Won',
          JLP_Order_Id__c: 'ORD-700101',
          npsp__Primary_Contact__c: '@{buyer.id}',
          Name: 'Weekly Jumbo Draw #1234 – Ticket 1 of 1 – Tom Hargreaves',
          Amount: 1,
          Description: 'Ticket 041926 (ORD-700101-T1), order ORD-700101'
        }
      },
      {
        kind: 'upsert',
        ref: 'member',
        object: 'CampaignMember',
        match: byKey('JLP_Member_Key__c', 'DRW-1234:tom.hargreaves@example.com'),
        fields: { CampaignId: '@{campaign.id}', ContactId: '@{buyer.id}', Status: 'Responded' }
      }
    ])
  })

  it('three tickets: one Opportunity each, named "n of 3", each referring to the same Campaign and Contact', () => {
    const nodes = graphOf(payloadOf(threeTickets))
    const tickets = ['ticket1', 'ticket2', 'ticket3'].map((ref) => node(nodes, ref))
    expect(tickets.map((t) => t.fields.Name)).toEqual([
      'Weekly Jumbo Draw #1235 – Ticket 1 of 3 – Priya Patel',
      'Weekly Jumbo Draw #1235 – Ticket 2 of 3 – Priya Patel',
      'Weekly Jumbo Draw #1235 – Ticket 3 of 3 – Priya Patel'
    ])
    expect(tickets.map((t) => t.match)).toEqual([
      byKey('JLP_Ticket_Key__c', 'ORD-700102:ORD-700102-T1'),
      byKey('JLP_Ticket_Key__c', 'ORD-700102:ORD-700102-T2'),
      byKey('JLP_Ticket_Key__c', 'ORD-700102:ORD-700102-T3')
    ])
    for (const t of tickets) {
      expect(t.fields).toMatchObject({
        CampaignId: '@{campaign.id}',
        npsp__Primary_Contact__c: '@{buyer.id}',
        Amount: 1
      })
    }
    expect(nodes.filter((n) => n.object === 'CampaignMember')).toHaveLength(1)
    expect(nodes.filter((n) => n.object === 'Campaign')).toHaveLength(1)
  })

  it('a donation with the tickets is its own Opportunity keyed by the order, with its own record type and type', () => {
    const nodes = graphOf(
      payloadOf(withDonation, { donation: { record_type_id: '012000000000DON', type: 'Donation' } })
    )
    expect(nodes.filter((n) => n.ref.startsWith('ticket'))).toHaveLength(5)
    const donation = node(nodes, 'donation')
    expect(donation.match).toEqual(byKey('JLP_Ticket_Key__c', 'ORD-700103:donation'))
    expect(donation.fields).toMatchObject({
      Name: "St Luke's Hospice Summer Raffle – Donation – Siobhan O'Brien",
      Amount: 10,
      RecordTypeId: '012000000000DON',
      Type: 'Donation',
      CampaignId: '@{campaign.id}'
    })
    expect(node(nodes, 'ticket1').fields.RecordTypeId).toBeUndefined()
  })

  it('Opportunity Contact Roles instead of the NPSP field, one per Opportunity, keyed like it', () => {
    const nodes = graphOf(
      payloadOf(withDonation, { contact_role: 'opportunity_contact_role', contact_role_name: 'Buyer' })
    )
    expect(refs(nodes).filter((r) => r.endsWith('Role'))).toEqual([
      'ticket1Role',
      'ticket2Role',
      'ticket3Role',
      'ticket4Role',
      'ticket5Role',
      'donationRole'
    ])
    expect(node(nodes, 'ticket2Role')).toEqual({
      kind: 'upsert',
      ref: 'ticket2Role',
      object: 'OpportunityContactRole',
      match: byKey('JLP_Role_Key__c', 'ORD-700103:ORD-700103-T2'),
      fields: { OpportunityId: '@{ticket2.id}', ContactId: '@{buyer.id}', IsPrimary: true, Role: 'Buyer' }
    })
    expect(node(nodes, 'ticket2').fields.npsp__Primary_Contact__c).toBeUndefined()
  })

  it('a mapped Account skips the read; contact_role none links no Contact', () => {
    const nodes = graphOf(payloadOf(threeTickets, { contact_role: 'none', account_id: '001000000000ACC' }))
    expect(refs(nodes)).toEqual(['campaign', 'buyer', 'ticket1', 'ticket2', 'ticket3', 'member'])
    expect(node(nodes, 'ticket2').fields.AccountId).toBe('001000000000ACC')
    expect(node(nodes, 'ticket2').fields.npsp__Primary_Contact__c).toBeUndefined()
  })

  it('matches by the supporter id field when the settings name one, and keys the member by it', () => {
    const nodes = graphOf(payloadOf(oneTicket), 'JLP_Supporter_Id__c')
    expect(node(nodes, 'buyer').match).toEqual(byKey('JLP_Supporter_Id__c', 'SUP-100002'))
    expect(node(nodes, 'buyer').fields.Email).toBe('tom.hargreaves@example.com')
    expect(node(nodes, 'member').match.value).toBe('DRW-1234:sup-100002')
  })

  it('falls back to the email when the settings name a supporter id field but the event has no id', () => {
    const p = payloadOf(oneTicket)
    const nodes = graphOf({ ...p, supporter_id: undefined }, 'JLP_Supporter_Id__c')
    expect(node(nodes, 'buyer').match).toEqual({ by: 'field', field: 'Email', value: 'tom.hargreaves@example.com' })
  })

  it('normalises the email it matches by (trim, lower case)', () => {
    const p = payloadOf(oneTicket)
    const nodes = graphOf({ ...p, email: '  Tom.Hargreaves@Example.COM ' })
    expect(node(nodes, 'buyer').match.value).toBe('tom.hargreaves@example.com')
  })

  it('is deterministic: the same purchase gives the same graph (so a redelivery upserts the same records)', () => {
    expect(graphOf(payloadOf(withDonation))).toEqual(graphOf(payloadOf(withDonation)))
  })

  it('never sends empty values, so an update cannot blank a field the event lacks', () => {
    const p = payloadOf(oneTicket)
    const nodes = graphOf({
      ...p,
      email: 'a@example.org',
      first_name: undefined,
      phone: '',
      street: ' ',
      city: undefined
    })
    expect(node(nodes, 'buyer').fields).toEqual({
      LastName: 'Hargreaves',
      Email: 'a@example.org',
      MailingState: 'West Yorkshire',
      MailingPostalCode: 'LS4 2AA',
      MailingCountry: 'GB'
    })
  })

  it('adds the extra Campaign, Contact and Opportunity fields', () => {
    const nodes = graphOf(
      payloadOf(oneTicket, {
        campaign_fields: { Description: 'Weekly draw' },
        contact_fields: { LeadSource: 'JLP' },
        opportunity_fields: { LeadSource: 'Web', CurrencyIsoCode: 'GBP' }
      })
    )
    expect(node(nodes, 'campaign').fields).toMatchObject({ Description: 'Weekly draw' })
    expect(node(nodes, 'buyer').fields).toMatchObject({ LeadSource: 'JLP' })
    expect(node(nodes, 'ticket1').fields).toMatchObject({ LeadSource: 'Web', CurrencyIsoCode: 'GBP' })
  })

  it('uses the ticket position when a ticket has no id', () => {
    const p = payloadOf(threeTickets)
    const nodes = graphOf({ ...p, tickets: p.tickets!.map(({ price }) => ({ price })) })
    expect(node(nodes, 'ticket2').match.value).toBe('ORD-700102:2')
  })

  it('cuts a long draw name to the 80 characters a Campaign Name takes', () => {
    const p = payloadOf(oneTicket)
    const name = node(graphOf({ ...p, draw: { ...p.draw, name: 'x'.repeat(100) } }), 'campaign').fields.Name as string
    expect(name).toHaveLength(80)
    expect(name.endsWith('…')).toBe(true)
  })

  describe('refuses, naming the property', () => {
    const p = payloadOf(threeTickets)
    it.each<[string, Partial<Payload>, RegExp]>([
      ['no tickets', { tickets: [] }, /no tickets \(tickets/],
      ['tickets missing', { tickets: undefined }, /no tickets/],
      ['no email', { email: undefined }, /no email \(email\)/],
      ['a bad email', { email: 'jane at example' }, /email is not an email/],
      ['a negative ticket price', { tickets: [{ ticket_id: 'T1', price: -1 }] }, /tickets\[0\]\.price is negative/],
      ['a ticket without a price', { tickets: [{ ticket_id: 'T1' }] }, /tickets\[0\]\.price is missing/],
      ['a negative donation', { donation_amount: -5 }, /donation_amount is negative/],
      [
        'a repeated ticket id',
        {
          tickets: [
            { ticket_id: 'T1', price: 1 },
            { ticket_id: 'T1', price: 1 }
          ]
        },
        /tickets\[1\]\.ticket_id "T1" is repeated/
      ],
      ['no draw id', { draw: { name: 'A draw' } }, /no draw id \(draw\.id/],
      ['no order id', { order_id: ' ' }, /no order id \(order_id\)/],
      ['a purchase time that is not a date', { purchased_at: 'yesterday' }, /purchased_at is not a date/],
      [
        'an unknown placeholder',
        { opportunity: { name_template: '{draw} {ticket_index}' } },
        /opportunity\.name_template uses \{draw\}/
      ],
      [
        'an unknown donation placeholder',
        { donation: { name_template: '{gift}' } },
        /donation\.name_template uses \{gift\}/
      ],
      ['an over-long external id', { order_id: 'O'.repeat(300) }, /longer than 255/]
    ])('%s', (_, overrides, message) => rejects({ ...p, ...overrides }, message))

    it('no email nor supporter id, when the settings name a supporter id field', () =>
      rejects(
        { ...p, email: undefined, supporter_id: '' },
        /no email \(email\) or supporter id \(supporter_id, for JLP_Supporter_Id__c\)/,
        'JLP_Supporter_Id__c'
      ))
  })
})
