// jlp-salesforce's identity actions (createOrUpdateLead, updateSupporterValue) end to end against the sandbox org:
// the tracking plan's samples through the presets in time order, as Segment delivers them; again (at least once);
// in batches; by email instead of supporter id; and with concurrent deliveries. API calls come from the sandbox's
// audit, never from the client's own count.
import { jlpSalesforce } from '@jlp/destinations'
import { presetSubscriptions, runBatch, runEvent, type PresetRun, type PresetSubscription } from '@jlp/runner'
import { SANDBOX_PARTS } from '@jlp/runner/src/sandbox-upstream'
import { startSandbox, type Sandbox, type SfRecord } from '@jlp/sandbox'
import { listSamples, samples, type JlpEvent } from '@jlp/tracking-plan'
import { createTestIntegration, type JSONObject, type SegmentEvent } from '@segment/actions-core'

const ACTIONS = ['createOrUpdateLead', 'updateSupporterValue']
const PRESETS = presetSubscriptions(jlpSalesforce).filter((p) => ACTIONS.includes(p.partnerAction))
const ALL = listSamples()
  .map((s) => s.sample)
  .sort((a, b) => a.timestamp.localeCompare(b.timestamp))

let sandbox: Sandbox
let settings: JSONObject

const asEvent = (e: JlpEvent) => e as unknown as SegmentEvent
const label = (e: JlpEvent) => (e.type === 'track' ? e.event : 'identify')

/** Delivers events one by one; per event and preset, what happened and the API calls the sandbox counted. */
async function deliver(events: readonly JlpEvent[], presets: PresetSubscription[] = PRESETS, extra: JSONObject = {}) {
  const out: Array<PresetRun & { event: string; calls: number }> = []
  for (const event of events) {
    for (const preset of presets) {
      const before = sandbox.audit.cost('salesforce')
      const [run] = await runEvent(jlpSalesforce, asEvent(event), { ...settings, ...extra }, [preset])
      if (run) out.push({ ...run, event: label(event), calls: sandbox.audit.cost('salesforce') - before })
    }
  }
  return out
}

const SYSTEM = new Set(['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'CreatedById', 'LastModifiedById'])
/** Every Contact, Lead and Account without system fields, sorted: what a redelivery must leave unchanged. */
function state() {
  const strip = (r: SfRecord) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !SYSTEM.has(k) && k !== 'AccountId'))
  const of = (object: string) =>
    sandbox.records
      .salesforce(object)
      .map(strip)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
  return { Lead: of('Lead'), Contact: of('Contact'), Account: of('Account') }
}

const contact = (supporterId: string) =>
  sandbox.records.salesforce('Contact').find((c) => c.JLP_Supporter_Id__c === supporterId)
const lead = (supporterId: string) =>
  sandbox.records.salesforce('Lead').find((l) => l.JLP_Supporter_Id__c === supporterId)

/** The order values of the samples the spend presets count, per supporter (each order once). */
function expectedSpend(): Record<string, number> {
  const orders = new Map<string, { who: string; value: number }>()
  for (const e of ALL) {
    if (e.type !== 'track' || (e.event !== 'Purchase Completed' && e.event !== 'Order Completed')) continue
    const p = e.properties as { order_id: string; value: number }
    orders.set(p.order_id, { who: e.userId as string, value: p.value })
  }
  const spend: Record<string, number> = {}
  for (const { who, value } of orders.values()) spend[who] = Math.round(((spend[who] ?? 0) + value) * 100) / 100
  return spend
}

function printCalls(
  title: string,
  runs: Array<{ event: string; preset: string; calls: number; outcome?: { summary: string } }>
) {
  const lines = runs.map((r) => `  ${String(r.calls).padStart(2)}  ${r.event.padEnd(26)} ${r.outcome?.summary ?? ''}`)
  console.log(`${title}\n  calls event                      result\n${lines.join('\n')}`)
}

beforeAll(async () => {
  process.env.JLP_ALLOW_LOOPBACK = '1'
  sandbox = await startSandbox()
  // What npm start / replay use: self-managed client credentials and the JLP org's supporter-id fields.
  settings = SANDBOX_PARTS['jlp-salesforce'].settings(sandbox)
})

afterAll(async () => {
  await sandbox.stop()
  delete process.env.JLP_ALLOW_LOOPBACK
})

beforeEach(() => sandbox.reset())

describe('jlp-salesforce identity actions against the sandbox', () => {
  it('the samples through the presets create the expected Leads and Contacts', async () => {
    const runs = await deliver(ALL)
    expect(runs.filter((r) => !r.ok)).toEqual([])
    printCalls('Samples through the Lead and supporter-value presets (supporter id fields set):', runs)

    // Registration Started: Aisha and Siobhan were not Contacts yet, so both became Leads.
    expect(sandbox.records.salesforce('Lead')).toHaveLength(2)
    expect(lead('SUP-100005')).toMatchObject({
      Email: 'aisha.bello@example.com',
      FirstName: 'Aisha',
      LastName: 'Bello',
      Phone: '+447700900321',
      Street: 'Flat 2\\3, Canal Wharf',
      PostalCode: 'M1 7JA',
      Company: 'Individual',
      LeadSource: 'facebook',
      JLP_Campaign__c: 'Spring\\Summer Appeal 2026',
      Status: 'Open - Not Contacted'
    })
    expect(lead('SUP-100001')).toMatchObject({
      LastName: "O'Brien",
      LeadSource: 'app_onboarding',
      Company: 'Individual'
    })

    // Supporter value: each order counted once (Purchase Completed and Order Completed of one order included).
    const spend = expectedSpend()
    expect(spend).toEqual({ 'SUP-100002': 1, 'SUP-100003': 8.68, 'SUP-100001': 15 })
    expect(contact('SUP-100002')).toMatchObject({
      LastName: 'Hargreaves',
      JLP_Total_Spend__c: spend['SUP-100002'],
      JLP_Product_Type__c: 'Ticket Book',
      JLP_Last_Purchase_Amount__c: 1,
      JLP_Applied_Event_Ids__c: 'ORD-700101'
    })
    expect(contact('SUP-100003')).toMatchObject({
      JLP_Total_Spend__c: 8.68,
      JLP_Product_Type__c: 'Subscription',
      JLP_Recurring_Status__c: 'Cancelled',
      JLP_Applied_Event_Ids__c: 'ORD-700100'
    })
    expect(contact('SUP-100001')).toMatchObject({
      LastName: "O'Brien",
      JLP_Total_Spend__c: 15,
      JLP_Product_Type__c: 'Raffle Ticket',
      JLP_Last_Purchase_Date__c: '2026-06-18T08:15:28.000+0000'
    })
    // Gareth's subscription: created, then cancelled after failed payments; no purchase in the samples.
    expect(contact('SUP-100004')).toMatchObject({ LastName: 'Llewellyn-Jones', JLP_Recurring_Status__c: 'Cancelled' })
    expect(contact('SUP-100004')?.JLP_Total_Spend__c ?? null).toBeNull()
    expect(sandbox.records.salesforce('Contact')).toHaveLength(4)
    // NPSP's rollup is NPSP's: never written.
    expect(sandbox.records.salesforce('Contact').every((c) => !c.npo02__TotalOppAmount__c)).toBe(true)
  })

  it('the same events delivered twice leave the same records and the same total spend', async () => {
    await deliver(ALL)
    const once = state()
    const again = await deliver(ALL)
    expect(again.filter((r) => !r.ok)).toEqual([])
    expect(state()).toEqual(once)
    const replayedOrders = again.filter((r) => r.outcome?.summary.includes('already counted'))
    expect(replayedOrders).toHaveLength(4)
  })

  it('API calls per event with supporter id fields: 1, except where a read must come first (printed)', async () => {
    const noContactCheck = PRESETS.map((p) =>
      p.partnerAction === 'createOrUpdateLead' ? { ...p, mapping: { ...p.mapping, skip_if_contact_exists: false } } : p
    )
    const first = await deliver(ALL, noContactCheck)
    const second = await deliver(ALL, noContactCheck)
    printCalls('First delivery, Contact check off:', first)
    printCalls('Second delivery of the same events:', second)
    const calls = (runs: typeof first, action: string, match: (s: string) => boolean) =>
      runs.filter((r) => r.action === action && match(r.outcome?.summary ?? '')).map((r) => r.calls)
    const all = () => true
    const increments = (s: string) => s.includes('total spend') || s.includes('already counted')
    // Lead upsert by supporter id: one call for an existing Lead. A new one costs two: Salesforce requires a
    // Company, supporters have none, and an upsert cannot carry a value for inserts only — the first answer
    // (REQUIRED_FIELD_MISSING) says the Lead is new, the second call creates it with "Individual".
    expect(calls(first, 'createOrUpdateLead', all)).toEqual([2, 2])
    expect(calls(second, 'createOrUpdateLead', all)).toEqual([1, 1])
    // Status-only Contact upserts (newest event wins, JLP_Last_Event_At__c): a read, then the conditional write (2);
    // delivered again, every copy is no newer than what the Contact holds: the read only (1).
    expect(calls(first, 'updateSupporterValue', (s) => !increments(s)).every((n) => n === 2)).toBe(true)
    expect(calls(second, 'updateSupporterValue', (s) => !increments(s)).every((n) => n === 1)).toBe(true)
    // Adding a purchase: a read, then the conditional write (2); a purchase already counted writes only the newer
    // values its event carries (2 here: Order Completed comes after Purchase Completed), else the read only (1).
    expect(calls(first, 'updateSupporterValue', (s) => s.includes('total spend'))).toEqual([2, 2, 2])
    expect(calls(first, 'updateSupporterValue', (s) => s.includes('already counted'))).toEqual([2])
    expect(calls(second, 'updateSupporterValue', (s) => s.includes('already counted'))).toEqual([1, 1, 1, 1])

    // With the Contact check on (the default), a new Lead costs 2 (the lookups, then the create); existing: 1.
    sandbox.reset()
    const registrations = ALL.filter((e) => e.type === 'track' && e.event === 'Registration Started')
    const leadPreset = PRESETS.filter((p) => p.partnerAction === 'createOrUpdateLead')
    const checked = [...(await deliver(registrations, leadPreset)), ...(await deliver(registrations, leadPreset))]
    printCalls('Registration Started with the Contact check (new, then again):', checked)
    expect(checked.map((r) => r.calls)).toEqual([2, 2, 1, 1])
    expect(sandbox.audit.byEndpoint('salesforce')).not.toHaveProperty('salesforce GET /query')
  })

  it('batches give each event its own result and the same records as one by one', async () => {
    const events = ALL.map(asEvent)
    const first = await runBatch(jlpSalesforce, events, settings, PRESETS)
    expect(first.filter((r) => !r.ok)).toEqual([])
    const batched = state()
    const firstCalls = sandbox.audit.cost('salesforce')
    const again = await runBatch(jlpSalesforce, events, settings, PRESETS)
    expect(again.filter((r) => !r.ok)).toEqual([])
    const againCalls = sandbox.audit.cost('salesforce') - firstCalls
    console.log(
      `Batches: ${first.length} preset runs of ${events.length} samples cost ${firstCalls} API calls ` +
        `(again: ${againCalls}); ${PRESETS.length} presets, one batch each`
    )
    // Per preset batch: Leads 3 (Lead lookup, Contact check, Collections upsert), spend 2 each (one read for all,
    // one Composite write), status-only 2 each (one read for all, one conditional write: newest event wins).
    expect(firstCalls).toBe(3 + 2 * 2 + 2 * 2)
    expect(againCalls).toBeLessThanOrEqual(firstCalls)
    expect(state()).toEqual(batched)
    sandbox.reset()
    await deliver(ALL)
    expect(state()).toEqual(batched)
  })

  it('matches by email when no supporter id field is set: quotes and backslashes reach Salesforce intact', async () => {
    const byEmail = { contactExternalIdField: '', leadExternalIdField: '' }
    await deliver(ALL, PRESETS, byEmail)
    const once = state()
    await deliver(ALL, PRESETS, byEmail)
    expect(state()).toEqual(once)
    const siobhan = sandbox.records.salesforce('Contact').find((c) => c.Email === 'siobhan.obrien@example.co.uk')
    expect(siobhan).toMatchObject({ LastName: "O'Brien", JLP_Total_Spend__c: 15 })
    // An apostrophe and LIKE wildcards in an email; a backslash and a quote in a supporter id (SOQL lookups).
    const order = samples.orderCompleted.raffleWithDonation
    const email = "o'brien_100%@example.org"
    const byOddEmail = { ...order, userId: undefined, context: { traits: { email, lastName: "O'Brien" } } }
    const byOddId = { ...order, userId: "SUP-\\'7", context: { traits: { email: 'x@example.org', lastName: 'X' } } }
    const odd = [byOddEmail, byOddEmail].map((e) => e as unknown as JlpEvent)
    const runs = [
      ...(await deliver(odd, PRESETS, byEmail)),
      ...(await deliver([byOddId, byOddId] as unknown as JlpEvent[], PRESETS))
    ]
    expect(runs.filter((r) => r.action === 'updateSupporterValue').map((r) => r.error?.message ?? 'ok')).toEqual([
      'ok',
      'ok',
      'ok',
      'ok'
    ])
    expect(sandbox.records.salesforce('Contact').filter((c) => c.Email === email)).toMatchObject([
      { JLP_Total_Spend__c: 15 }
    ])
    expect(contact("SUP-\\'7")).toMatchObject({ JLP_Total_Spend__c: 15, Email: 'x@example.org' })
  })

  it('applies the several-matches rule: most recently modified wins, or the event fails naming the email', async () => {
    const email = 'twin@example.org'
    const older = sandbox.salesforce.insert('Contact', { LastName: 'Twin', Email: email })
    sandbox.clock.advance(5000)
    const newer = sandbox.salesforce.insert('Contact', { LastName: 'Twin', Email: email })
    const order = {
      ...samples.orderCompleted.raffleWithDonation,
      userId: undefined,
      context: { traits: { email } }
    } as unknown as JlpEvent
    const spendPreset = PRESETS.filter((p) => p.subscribe.includes('Order Completed'))
    const failed = await deliver([order], spendPreset, { contactExternalIdField: '', multipleMatches: 'fail' })
    expect(failed[0].ok).toBe(false)
    expect(failed[0].error?.message).toMatch(/Several Contact records have Email "twin@example.org"/)
    const spendOf = (id: unknown) => sandbox.salesforce.get('Contact', id as string).JLP_Total_Spend__c ?? null
    expect(spendOf(older.Id)).toBeNull()
    const chosen = await deliver([order], spendPreset, { contactExternalIdField: '' })
    expect(chosen[0].ok).toBe(true)
    expect(spendOf(newer.Id)).toBe(15)
    expect(spendOf(older.Id)).toBeNull()
  })

  it('tests the connection with one API call, and says why a wrong secret fails', async () => {
    const test = createTestIntegration(jlpSalesforce)
    await test.testAuthentication(settings as never)
    expect(sandbox.audit.cost('salesforce')).toBe(1)
    const err = (await test
      .testAuthentication({ ...settings, clientSecret: 'wrong-secret-DO-NOT-LEAK' } as never)
      .catch((e: Error) => e)) as Error
    expect(err.message).toMatch(/Salesforce refused the token request \(invalid_client/)
    expect(err.message).not.toContain('wrong-secret-DO-NOT-LEAK')
  })

  it('concurrent deliveries of several orders for one supporter add each exactly once', async () => {
    const spendPreset = PRESETS.filter((p) => p.subscribe.includes('Order Completed'))
    const order = (id: string, value: number) =>
      ({
        ...samples.orderCompleted.raffleWithDonation,
        messageId: `msg-${id}`,
        properties: { ...samples.orderCompleted.raffleWithDonation.properties, order_id: id, value }
      }) as unknown as JlpEvent
    await deliver([order('ORD-1', 1)], spendPreset)
    const orders = [order('ORD-2', 2), order('ORD-3', 4), order('ORD-4', 8)]
    // All at once, each twice; what fails as retryable is delivered again, as Segment would.
    let pending = [...orders, ...orders]
    let rounds = 0
    while (pending.length > 0 && rounds++ < 5) {
      const runs = await Promise.all(pending.map((o) => runEvent(jlpSalesforce, asEvent(o), settings, spendPreset)))
      expect(runs.flat().filter((r) => !r.ok && !r.error?.retryable)).toEqual([])
      pending = pending.filter((_, i) => !runs[i][0].ok)
    }
    expect(pending).toEqual([])
    expect(contact('SUP-100001')).toMatchObject({ JLP_Total_Spend__c: 15 })
    expect(String(contact('SUP-100001')?.JLP_Applied_Event_Ids__c).split(' ').sort()).toEqual([
      'ORD-1',
      'ORD-2',
      'ORD-3',
      'ORD-4'
    ])
  })
})
