// syncEventCampaign end to end against the sandbox's Salesforce (the JLP org: NPSP primary contact, household
// Accounts): the tracking plan's ticket purchase scenarios through the Ticket Purchase Completed preset, as Segment
// would deliver them. Checks the records and their links, that a replay changes nothing, that every purchase costs
// one API call (from the sandbox's audit, printed), and that a failure in the middle of a purchase leaves nothing.
import { jlpSalesforce } from '@jlp/destinations'
import { SANDBOX_PARTS, presetSubscriptions, runBatch, runEvent, type PresetSubscription } from '@jlp/runner'
import { startSandbox, type Sandbox, type SfRecord } from '@jlp/sandbox'
import { generateEvents, getScenario, type SegmentTrackEvent } from '@jlp/tracking-plan'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'

const SCENARIOS = [
  'one-ticket',
  'three-tickets',
  'with-donation',
  'two-buyers-same-draw',
  'same-buyer-twice',
  'draw-renamed'
] as const
type Purchase = SegmentTrackEvent<'Ticket Purchase Completed'>

let sandbox: Sandbox
let settings: JSONObject
const [preset] = presetSubscriptions(jlpSalesforce).filter(
  (p) => p.partnerAction === 'syncEventCampaign' && p.subscribe.includes('"Ticket Purchase Completed"')
)
const purchases: Array<{ scenario: string; event: Purchase }> = SCENARIOS.flatMap((scenario) =>
  getScenario(scenario).map((event) => ({ scenario, event }))
)

const all = (object: string) => sandbox.records.salesforce(object)
const by = <K extends string>(object: string, field: K, value: unknown) => all(object).filter((r) => r[field] === value)
const one = (object: string, field: string, value: unknown) => {
  const found = by(object, field, value)
  expect(found).toHaveLength(1)
  return found[0]
}

/** Run one purchase through the preset; its Salesforce API calls from the audit. */
async function deliver(event: Purchase, presets: PresetSubscription[] = [preset]) {
  const before = sandbox.audit.cost('salesforce')
  const [run] = await runEvent(jlpSalesforce, event as unknown as SegmentEvent, settings, presets)
  return { run, calls: sandbox.audit.cost('salesforce') - before }
}

/** The org's data without the fields that change on every write. */
function state(): Record<string, SfRecord[]> {
  const volatile = new Set(['LastModifiedDate', 'SystemModstamp'])
  return Object.fromEntries(
    Object.entries(sandbox.records.salesforce()).map(([object, records]) => [
      object,
      records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !volatile.has(k))))
    ])
  )
}

const counts = () =>
  Object.fromEntries(['Account', 'Contact', 'Campaign', 'Opportunity', 'CampaignMember'].map((o) => [o, all(o).length]))

beforeAll(async () => {
  process.env.JLP_ALLOW_LOOPBACK = '1'
  sandbox = await startSandbox()
  // The sandbox settings without the supporter-id fields: these scenarios match buyers by email.
  const {
    contactExternalIdField: _c,
    leadExternalIdField: _l,
    ...byEmail
  } = SANDBOX_PARTS['jlp-salesforce'].settings(sandbox)
  settings = byEmail
})

afterAll(async () => {
  await sandbox.stop()
  delete process.env.JLP_ALLOW_LOOPBACK
})

beforeEach(() => {
  sandbox.reset()
  sandbox.setFaults()
})

describe('syncEventCampaign against the sandbox', () => {
  it('the ticket purchase scenarios make exactly the expected records, one API call each; a replay changes nothing', async () => {
    const table: string[] = []
    for (const { scenario, event } of purchases) {
      const { run, calls } = await deliver(event)
      expect(run).toMatchObject({ ok: true, action: 'syncEventCampaign' })
      expect(calls).toBe(1)
      table.push(
        `${scenario.padEnd(22)} ${event.properties.order_id}  ${String(event.properties.tickets.length).padStart(2)} tickets` +
          `${event.properties.donation_amount ? ' + donation' : '           '}  ${calls} API call  ${run.outcome?.summary}`
      )
    }
    console.log(`syncEventCampaign: Salesforce API calls per purchase (sandbox audit)\n${table.join('\n')}`)

    expect(counts()).toEqual({ Account: 5, Contact: 5, Campaign: 6, Opportunity: 19, CampaignMember: 8 })
    // One Composite Graph call a purchase; besides them only the sign-in (a token call is no API call).
    expect(sandbox.audit.cost('salesforce')).toBe(purchases.length)
    expect(sandbox.audit.byEndpoint('salesforce')['salesforce POST /composite/graph']).toEqual({
      calls: purchases.length,
      cost: purchases.length,
      statuses: { 200: purchases.length }
    })

    // Every Opportunity hangs on its draw's Campaign, its buyer (NPSP primary contact) and the buyer's Account.
    for (const { event } of purchases) {
      const p = event.properties
      const campaign = one('Campaign', 'JLP_Draw_Id__c', p.draw_id)
      const contact = one('Contact', 'Email', event.context.traits!.email)
      const opportunities = by('Opportunity', 'JLP_Order_Id__c', p.order_id)
      expect(opportunities).toHaveLength(p.tickets.length + (p.donation_amount ? 1 : 0))
      for (const o of opportunities) {
        expect(o).toMatchObject({
          CampaignId: campaign.Id,
          npsp__Primary_Contact__c: contact.Id,
          AccountId: contact.AccountId,
          StageName: 'Closed Won',
          CloseDate: event.timestamp.slice(0, 10)
        })
      }
      p.tickets.forEach((t, i) => {
        expect(one('Opportunity', 'JLP_Ticket_Key__c', `${p.order_id}:${t.ticket_id}`)).toMatchObject({
          Amount: t.price,
          Name: `${p.draw_name} – Ticket ${i + 1} of ${p.tickets.length} – ${contact.FirstName} ${contact.LastName}`
        })
      })
      expect(by('CampaignMember', 'CampaignId', campaign.Id).filter((m) => m.ContactId === contact.Id)).toHaveLength(1)
    }

    // The donation is its own Opportunity; the Raffle is a Raffle.
    const raffle = one('Campaign', 'JLP_Draw_Id__c', 'RAF-2026-SUMMER')
    expect(raffle).toMatchObject({ Name: "St Luke's Hospice Summer Raffle", Type: 'Raffle', EndDate: '2026-07-31' })
    expect(one('Opportunity', 'JLP_Ticket_Key__c', 'ORD-700103:donation')).toMatchObject({
      Amount: 10,
      CampaignId: raffle.Id
    })
    // Two buyers in one draw: one Campaign, two members. The same buyer twice: one member, three Opportunities.
    const weekly1236 = one('Campaign', 'JLP_Draw_Id__c', 'DRW-1236')
    expect(by('CampaignMember', 'CampaignId', weekly1236.Id)).toHaveLength(2)
    const weekly1237 = one('Campaign', 'JLP_Draw_Id__c', 'DRW-1237')
    expect(by('CampaignMember', 'CampaignId', weekly1237.Id)).toHaveLength(1)
    expect(by('Opportunity', 'CampaignId', weekly1237.Id)).toHaveLength(3)
    // Tom bought in two draws: one Contact, one household Account.
    expect(by('Contact', 'Email', 'tom.hargreaves@example.com')).toHaveLength(1)
    // The renamed draw: the same Campaign, its new name.
    expect(one('Campaign', 'JLP_Draw_Id__c', 'DRW-SUPER-2026-07').Name).toBe('Summer Superdraw – £25,000 Rollover')
    expect(by('Contact', 'Email', 'siobhan.obrien@example.co.uk')[0].LastName).toBe("O'Brien")
    // NPSP rolls the ticket and donation Opportunities up on the buyer.
    expect(one('Contact', 'Email', 'siobhan.obrien@example.co.uk').npo02__TotalOppAmount__c).toBe(5 + 10 + 1)

    // Segment redelivers everything: nothing changes, still one call a purchase.
    const before = state()
    for (const { event } of purchases) {
      const { run, calls } = await deliver(event)
      expect(run.ok).toBe(true)
      expect(calls).toBe(1)
      expect(run.outcome?.summary).not.toContain('created')
    }
    expect(state()).toEqual(before)
  })

  it('a batch: every purchase in one Composite Graph call, one graph and one result each, the same records', async () => {
    const events = purchases.map((p) => p.event as unknown as SegmentEvent)
    const runs = await runBatch(jlpSalesforce, events, settings, [preset])
    expect(runs.map((r) => r.status)).toEqual(events.map(() => 200))
    expect(sandbox.audit.cost('salesforce')).toBe(1)
    console.log(`syncEventCampaign batch: ${events.length} purchases, ${sandbox.audit.cost('salesforce')} API call`)
    expect(counts()).toEqual({ Account: 5, Contact: 5, Campaign: 6, Opportunity: 19, CampaignMember: 8 })
    const after = state()
    await runBatch(jlpSalesforce, events, settings, [preset])
    expect(state()).toEqual(after)
  })

  it('a batch of 50 purchases completes: a Composite Graph answer of hundreds of kB is read to its end', async () => {
    const events = generateEvents({ seed: 7, count: 1200 })
      .filter((e) => e.type === 'track' && e.event === 'Ticket Purchase Completed')
      .slice(0, 50) as unknown as SegmentEvent[]
    expect(events).toHaveLength(50)
    const runs = await runBatch(jlpSalesforce, events, settings, [preset])
    expect(runs.filter((r) => r.status !== 200)).toEqual([])
    expect(sandbox.audit.cost('salesforce')).toBe(1)
    expect(all('Opportunity').length).toBeGreaterThanOrEqual(50)
  })

  it('a failure in the middle of a purchase leaves no partial records, and names the object and field', async () => {
    // Staff added Priya to the Superdraw's Campaign by hand (no JLP key): her purchase's CampaignMember, the last
    // record of the graph, is refused after the Campaign, Contact and Opportunities were written — all roll back.
    const campaign = sandbox.salesforce.insert('Campaign', {
      Name: 'Summer Superdraw (staff)',
      JLP_Draw_Id__c: 'DRW-SUPER-2026-07'
    })
    const contact = sandbox.salesforce.insert('Contact', { LastName: 'Patel', Email: 'priya.patel@example.org' })
    sandbox.salesforce.insert('CampaignMember', { CampaignId: campaign.Id, ContactId: contact.Id, Status: 'Sent' })
    const before = state()
    const [first] = getScenario('draw-renamed')
    const { run, calls } = await deliver(first)
    expect(calls).toBe(1)
    expect(run.ok).toBe(false)
    expect(run.error?.retryable).toBe(false)
    expect(run.error?.message).toMatch(/CampaignMember "member".*DUPLICATE_VALUE/)
    expect(state()).toEqual(before)
    expect(all('Opportunity')).toHaveLength(0)
    expect(sandbox.salesforce.get('Campaign', campaign.Id as string).Name).toBe('Summer Superdraw (staff)')
  })

  it('a lost answer (the write happened, the client saw a reset) is retried and completes without duplicates', async () => {
    sandbox.setFaults({ rules: [{ match: '/composite/graph', sequence: ['lostResponse'] }] })
    const [purchase] = getScenario('three-tickets')
    const lost = await deliver(purchase)
    expect(lost.run.ok).toBe(false)
    expect(lost.run.error?.retryable).toBe(true)
    const retried = await deliver(purchase)
    expect(retried.run.ok).toBe(true)
    expect(counts()).toMatchObject({ Contact: 1, Campaign: 1, Opportunity: 3, CampaignMember: 1 })
  })

  it('an outage answers before anything is written; the retry writes the purchase once', async () => {
    sandbox.setFaults({ rules: [{ match: '/composite/graph', sequence: ['unavailable', 'lockRow'] }] })
    const [purchase] = getScenario('with-donation')
    for (let attempt = 0; attempt < 2; attempt++) {
      const { run } = await deliver(purchase)
      expect(run.error?.retryable).toBe(true)
      expect(counts()).toMatchObject({ Campaign: 0, Opportunity: 0 })
    }
    expect((await deliver(purchase)).run.ok).toBe(true)
    expect(counts()).toMatchObject({ Contact: 1, Campaign: 1, Opportunity: 6, CampaignMember: 1 })
  })

  it('matches by supporter id when the settings name the field, and links roles instead of the NPSP field', async () => {
    const roleKey = {
      objects: {
        OpportunityContactRole: {
          fields: { JLP_Role_Key__c: { type: 'string' as const, externalId: true, unique: true } }
        }
      }
    }
    const org = await startSandbox({ schema: roleKey })
    try {
      const roles = {
        ...preset,
        mapping: { ...preset.mapping, contact_role: 'opportunity_contact_role', contact_role_name: 'Buyer' }
      }
      const bySupporter = {
        ...settings,
        instanceUrl: org.salesforce.url,
        contactExternalIdField: 'JLP_Supporter_Id__c'
      }
      for (const event of getScenario('same-buyer-twice')) {
        const [run] = await runEvent(jlpSalesforce, event as unknown as SegmentEvent, bySupporter, [roles])
        expect(run.ok).toBe(true)
      }
      expect(org.audit.cost('salesforce')).toBe(2)
      const [tom] = org.records.salesforce('Contact')
      expect(tom).toMatchObject({ JLP_Supporter_Id__c: 'SUP-100002', Email: 'tom.hargreaves@example.com' })
      const opportunities = org.records.salesforce('Opportunity')
      expect(opportunities).toHaveLength(3)
      expect(org.records.salesforce('OpportunityContactRole')).toEqual(
        opportunities.map((o) =>
          expect.objectContaining({ OpportunityId: o.Id, ContactId: tom.Id, IsPrimary: true, Role: 'Buyer' })
        )
      )
      expect(
        opportunities.every((o) => o.npsp__Primary_Contact__c === null || o.npsp__Primary_Contact__c === undefined)
      ).toBe(true)
    } finally {
      await org.stop()
    }
  })
})
