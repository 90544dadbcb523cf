import { createTestIntegration, PayloadValidationError, type SegmentEvent } from '@segment/actions-core'
import { getScenario, samples } from '@jlp/tracking-plan'
import nock from 'nock'
import destination from '../..'
import type { Settings } from '../../generated-types'
import { HOST, TOKEN, V, record, type Recorded } from '../../salesforce-client/__tests__/fixture'

const testDestination = createTestIntegration(destination)
const auth = { accessToken: TOKEN, refreshToken: 'r' }
const settings: Settings = { instanceUrl: HOST }
const presetFor = (event: string) => {
  const preset = destination.presets?.find(
    (p) => p.partnerAction === 'syncEventCampaign' && 'subscribe' in p && p.subscribe.includes(`"${event}"`)
  )
  return preset && 'subscribe' in preset ? preset : undefined
}
const mapping = presetFor('Ticket Purchase Completed')?.mapping

const [oneTicket] = getScenario('one-ticket')
const [threeTickets] = getScenario('three-tickets')
const [withDonation] = getScenario('with-donation')
const event = (e: unknown) => e as SegmentEvent

type Sub = { referenceId: string; method: string; url: string; body?: Record<string, unknown> }

/** Answers every graph as Salesforce would for new records: 201 with an id per upsert, the Account for reads. */
function salesforce(answer: (sub: Sub, graphId: string) => [number, unknown] = created) {
  return record((req: Recorded) => {
    if (!req.path.endsWith('/composite/graph')) return [404, [{ errorCode: 'NOT_FOUND', message: req.path }]]
    const graphs = req.body.graphs.map((g: { graphId: string; compositeRequest: Sub[] }) => {
      const results = g.compositeRequest.map((s) => {
        const [status, body] = answer(s, g.graphId)
        return { referenceId: s.referenceId, httpStatusCode: status, body }
      })
      return {
        graphId: g.graphId,
        isSuccessful: results.every((r) => r.httpStatusCode < 300),
        graphResponse: { compositeResponse: results }
      }
    })
    return [200, { graphs }]
  })
}

function created(sub: Sub): [number, unknown] {
  if (sub.method === 'GET') return [200, { attributes: { type: 'Contact' }, Id: '003X', AccountId: '001X' }]
  return [201, { id: `id-${sub.referenceId}`, success: true, errors: [], created: true }]
}

const executed = () => testDestination.results.find((r) => r.output === 'Action Executed')?.data
const subsOf = (req: Recorded, graph = 0): Sub[] => req.body.graphs[graph].compositeRequest

afterEach(() => nock.cleanAll())

describe('syncEventCampaign', () => {
  it('one ticket: one Composite Graph call linking Campaign, Contact, Account, Opportunity and member', async () => {
    const { seen } = salesforce()
    await testDestination.testAction('syncEventCampaign', { event: event(oneTicket), settings, mapping, auth })
    expect(seen).toHaveLength(1)
    expect(seen[0].method).toBe('POST')
    expect(seen[0].path).toBe(`${V}/composite/graph`)
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(subsOf(seen[0]).map((s) => [s.method, s.url])).toEqual([
      ['PATCH', `${V}/sobjects/Campaign/JLP_Draw_Id__c/DRW-1234`],
      ['PATCH', `${V}/sobjects/Contact/Email/tom.hargreaves%40example.com`],
      ['GET', `${V}/sobjects/Contact/@{buyer.id}?fields=AccountId`],
      ['PATCH', `${V}/sobjects/Opportunity/JLP_Ticket_Key__c/ORD-700101%3AORD-700101-T1`],
      ['PATCH', `${V}/sobjects/CampaignMember/JLP_Member_Key__c/DRW-1234%3Atom.hargreaves%40example.com`]
    ])
    expect(subsOf(seen[0])[3].body).toEqual({
      AccountId: '@{buyerAccount.AccountId}',
      CampaignId: '@{campaign.id}',
      CloseDate: '2026-06-08',
      StageName: 'Closed Won',
      JLP_Order_Id__c: 'ORD-700101',
      npsp__Primary_Contact__c: '@{buyer.id}',
      Name: 'Weekly Jumbo Draw #1234 – Ticket 1 of 1 – Tom Hargreaves',
      Amount: 1,
      Description: 'Ticket 041926 (ORD-700101-T1), order ORD-700101'
    })
    expect(executed()).toEqual({
      summary: 'Campaign created + Contact created + Opportunity created + CampaignMember created',
      records: [
        { object: 'Campaign', id: 'id-campaign', change: 'created' },
        { object: 'Contact', id: 'id-buyer', change: 'created' },
        { object: 'Opportunity', id: 'id-ticket1', change: 'created' },
        { object: 'CampaignMember', id: 'id-member', change: 'created' }
      ],
      apiCalls: 1
    })
  })

  it('three tickets and a donation still cost one call; the summary counts the Opportunities', async () => {
    const { seen } = salesforce()
    await testDestination.testAction('syncEventCampaign', { event: event(withDonation), settings, mapping, auth })
    expect(seen).toHaveLength(1)
    const refs = subsOf(seen[0]).map((s) => s.referenceId)
    expect(refs).toEqual([
      'campaign',
      'buyer',
      'buyerAccount',
      'ticket1',
      'ticket2',
      'ticket3',
      'ticket4',
      'ticket5',
      'donation',
      'member'
    ])
    expect(executed()).toMatchObject({
      summary: 'Campaign created + Contact created + 6 Opportunities created + CampaignMember created',
      apiCalls: 1
    })
  })

  it('a replayed purchase updates the same keyed records (Salesforce answers 200, nothing is created)', async () => {
    salesforce((sub) =>
      sub.method === 'GET'
        ? [200, { Id: '003X', AccountId: '001X' }]
        : [200, { id: `id-${sub.referenceId}`, success: true, errors: [], created: false }]
    )
    await testDestination.testAction('syncEventCampaign', { event: event(threeTickets), settings, mapping, auth })
    expect(executed()).toMatchObject({
      summary: 'Campaign updated + Contact updated + 3 Opportunities updated + CampaignMember updated'
    })
  })

  it('matches the Contact by the supporter id field the settings name', async () => {
    const { seen } = salesforce()
    await testDestination.testAction('syncEventCampaign', {
      event: event(oneTicket),
      settings: { ...settings, contactExternalIdField: 'JLP_Supporter_Id__c' },
      mapping,
      auth
    })
    const buyer = subsOf(seen[0])[1]
    expect(buyer.url).toBe(`${V}/sobjects/Contact/JLP_Supporter_Id__c/SUP-100002`)
    expect(buyer.body).toMatchObject({ Email: 'tom.hargreaves@example.com', LastName: 'Hargreaves' })
  })

  it('a Salesforce rejection fails the purchase with the object and field named', async () => {
    salesforce((sub) =>
      sub.referenceId === 'ticket1'
        ? [
            400,
            [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Amount must be positive', fields: ['Amount'] }]
          ]
        : [400, [{ errorCode: 'PROCESSING_HALTED', message: 'rolled back' }]]
    )
    await expect(
      testDestination.testAction('syncEventCampaign', { event: event(oneTicket), settings, mapping, auth })
    ).rejects.toThrow(/Opportunity "ticket1".*FIELD_CUSTOM_VALIDATION_EXCEPTION on Amount/)
  })

  it('a purchase without tickets is refused before any call, naming the property', async () => {
    const { seen } = salesforce()
    const noTickets = { ...oneTicket, properties: { ...oneTicket.properties, tickets: [] } }
    await expect(
      testDestination.testAction('syncEventCampaign', { event: event(noTickets), settings, mapping, auth })
    ).rejects.toThrow(PayloadValidationError)
    expect(seen).toHaveLength(0)
  })

  it('a purchase too big for one graph (over 500 records) is refused before any call', async () => {
    const { seen } = salesforce()
    const tickets = Array.from({ length: 500 }, (_, i) => ({ ticket_id: `T${i}`, price: 1 }))
    const huge = { ...oneTicket, properties: { ...oneTicket.properties, tickets } }
    await expect(
      testDestination.testAction('syncEventCampaign', { event: event(huge), settings, mapping, auth })
    ).rejects.toThrow(/504 records in one graph; Salesforce takes at most 500 \(syncing order ORD-700101\)/)
    expect(seen).toHaveLength(0)
  })

  it('a negative ticket price is refused, naming the ticket', async () => {
    salesforce()
    const tickets = oneTicket.properties.tickets.map((t) => ({ ...t, price: -1 }))
    const negative = { ...oneTicket, properties: { ...oneTicket.properties, tickets } }
    await expect(
      testDestination.testAction('syncEventCampaign', { event: event(negative), settings, mapping, auth })
    ).rejects.toThrow(/tickets\[0\]\.price is negative/)
  })

  it('batch: several purchases in one call, one graph each, a result per event', async () => {
    const { seen } = salesforce((sub, graphId) =>
      graphId === 'g2' && sub.referenceId === 'campaign'
        ? [400, [{ errorCode: 'STRING_TOO_LONG', message: 'Campaign Name: data value too large', fields: ['Name'] }]]
        : created(sub)
    )
    const noEmail = {
      ...threeTickets,
      context: { ...threeTickets.context, traits: { ...threeTickets.context?.traits, email: undefined } }
    }
    await testDestination.testBatchAction('syncEventCampaign', {
      events: [oneTicket, noEmail, withDonation, threeTickets].map(event),
      settings,
      mapping: { ...mapping, enable_batching: true },
      auth
    })
    expect(seen).toHaveLength(1)
    expect(seen[0].body.graphs.map((g: { graphId: string }) => g.graphId)).toEqual(['g0', 'g2', 'g3'])
    const multistatus = testDestination.results[0].multistatus
    expect(multistatus?.map((m) => m.status)).toEqual([200, 400, 400, 200])
    expect(multistatus?.[1]).toMatchObject({
      errortype: 'PAYLOAD_VALIDATION_FAILED',
      errormessage: expect.stringMatching(/no email \(email\)/)
    })
    expect(multistatus?.[2]).toMatchObject({
      errormessage: expect.stringMatching(/Campaign "campaign".*STRING_TOO_LONG on Name/)
    })
    expect(multistatus?.[3]).toMatchObject({ body: { summary: expect.stringContaining('3 Opportunities created') } })
  })

  it('Order Completed with the same purchase writes the same keyed records as Ticket Purchase Completed', async () => {
    const { seen } = salesforce()
    const order = presetFor('Order Completed')
    expect(order?.subscribe).toBe('type = "track" and event = "Order Completed" and properties.tickets != null')
    await testDestination.testAction('syncEventCampaign', { event: event(withDonation), settings, mapping, auth })
    await testDestination.testAction('syncEventCampaign', {
      event: event(samples.orderCompleted.raffleWithDonation),
      settings,
      mapping: order?.mapping,
      auth
    })
    const keys = (req: Recorded) => subsOf(req).map((s) => s.url)
    expect(keys(seen[1])).toEqual(keys(seen[0]))
  })
})
