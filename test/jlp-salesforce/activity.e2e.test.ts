// logActivity, createFollowUpTask, triggerFlow and upsertCustomObject end to end against the sandbox's Salesforce
// (the JLP org, with its JLP Event Receipt object): the tracking plan's samples through the presets, as Segment would
// deliver them — and again, as Segment redelivers. Checks where each Task lands, that a repeat adds nothing, what the
// Flows and Platform Events receive, and prints the API calls each event cost (from the sandbox's audit).
import { jlpSalesforce } from '@jlp/destinations'
import {
  SANDBOX_PARTS,
  presetSubscriptions,
  runBatch,
  runEvent,
  type PresetRun,
  type PresetSubscription
} from '@jlp/runner'
import { startSandbox, type Sandbox, type SfRecord } from '@jlp/sandbox'
import { getSample, people, type EventName } from '@jlp/tracking-plan'
import { createTestIntegration, type JSONObject, type SegmentEvent } from '@segment/actions-core'

let sandbox: Sandbox
let settings: JSONObject & { instanceUrl: string }

const presets = presetSubscriptions(jlpSalesforce)
const presetsOf = (action: string, event: EventName) =>
  presets.filter((p) => p.partnerAction === action && p.subscribe.includes(`"${event}"`))
const all = (object: string) => sandbox.records.salesforce(object)
const by = (object: string, field: string, value: unknown) => all(object).filter((r) => r[field] === value)

/** One event through some presets; its runs and the Salesforce API calls it cost (sandbox audit). */
async function deliver(event: SegmentEvent, subscriptions: PresetSubscription[]) {
  const before = sandbox.audit.cost('salesforce')
  const runs = await runEvent(jlpSalesforce, event, settings, subscriptions)
  return { runs, run: runs[0] as PresetRun, calls: sandbox.audit.cost('salesforce') - before }
}

const sample = (event: EventName, name: string) => getSample(event, name) as unknown as SegmentEvent
const withMapping = (p: PresetSubscription, mapping: JSONObject): PresetSubscription => ({
  ...p,
  mapping: { ...p.mapping, ...mapping }
})

/** Seeds a supporter as a Contact and/or a Lead, keyed by their JLP supporter id. */
function seed(who: keyof typeof people, as: Array<'Contact' | 'Lead'>): Record<string, SfRecord> {
  const p = people[who]
  const base = { FirstName: p.profile.firstName, LastName: p.profile.lastName, Email: p.profile.email }
  return Object.fromEntries(
    as.map((object) => [
      object,
      sandbox.salesforce.insert(object, {
        ...base,
        JLP_Supporter_Id__c: p.userId,
        ...(object === 'Lead' ? { Company: 'Individual' } : {})
      })
    ])
  )
}

const table: string[] = []
const note = (action: string, what: string, calls: number, summary?: string) =>
  table.push(
    `${action.padEnd(19)} ${what.padEnd(48)} ${String(calls).padStart(2)} call${calls === 1 ? ' ' : 's'}  ${summary ?? ''}`
  )

beforeAll(async () => {
  process.env.JLP_ALLOW_LOOPBACK = '1'
  sandbox = await startSandbox()
  settings = SANDBOX_PARTS['jlp-salesforce'].settings(sandbox) as typeof settings
})

afterAll(async () => {
  console.log(`Salesforce API calls per event (sandbox audit)\n${table.join('\n')}`)
  await sandbox.stop()
  delete process.env.JLP_ALLOW_LOOPBACK
})

beforeEach(() => {
  sandbox.reset()
  sandbox.setFaults()
})

describe('logActivity against the sandbox', () => {
  it('logs each sample as one completed Task on the Contact, else the Lead; skips who is unknown; a replay adds nothing', async () => {
    const tom = seed('tom', ['Contact'])
    const priya = seed('priya', ['Contact', 'Lead'])
    const siobhan = seed('siobhan', ['Lead'])
    const samples: Array<[EventName, string, string | undefined, number]> = [
      // event, sample, the record the Task is on (undefined: skipped), API calls
      ['Product Added', 'lottery-line', tom.Contact.Id as string, 1],
      ['Product Added', 'subscription', priya.Contact.Id as string, 1],
      ['Product Added', 'raffle-book', siobhan.Lead.Id as string, 2],
      ['Cart Viewed', 'one-line', tom.Contact.Id as string, 2],
      ['Cart Viewed', 'abandoned', undefined, 2],
      ['Email Link Clicked', 'summer-superdraw', siobhan.Lead.Id as string, 2],
      ['Email Link Clicked', 'spring-summer-appeal', undefined, 2]
    ]
    for (const [event, name, whoId, expectedCalls] of samples) {
      const e = sample(event, name)
      const { run, calls } = await deliver(e, presetsOf('logActivity', event))
      expect(run).toMatchObject({ ok: true, action: 'logActivity' })
      note('logActivity', `${event} ${name} → ${whoId ? whoId.slice(0, 3) : 'nobody'}`, calls, run.outcome?.summary)
      expect(calls).toBe(expectedCalls)
      const tasks = by('Task', 'JLP_Event_Id__c', e.messageId)
      if (!whoId) {
        expect(tasks).toHaveLength(0)
        expect(run.outcome?.summary).toMatch(/No Task/)
        continue
      }
      expect(tasks).toHaveLength(1)
      expect(tasks[0]).toMatchObject({
        WhoId: whoId,
        Status: 'Completed',
        IsClosed: true,
        ActivityDate: String(e.timestamp).slice(0, 10),
        Type: event === 'Email Link Clicked' ? 'Email' : 'Other'
      })
      expect(tasks[0].Subject).toMatch(new RegExp(`^JLP: ${event}`))
    }
    // Subjects and comments read well: the product, the draw number, the price, the platform.
    const [added] = by('Task', 'JLP_Event_Id__c', sample('Product Added', 'lottery-line').messageId)
    const lottery = getSample('Product Added', 'lottery-line').properties
    expect(added.Subject).toBe(`JLP: Product Added – ${lottery.name}`)
    expect(added.Description).toContain(`Draw no: ${lottery.draw_no}`)
    expect(added.Description).toContain(`Price: ${lottery.price}`)
    expect(added.Description).toContain('Platform source: web')
    // No Task on Priya's Lead: her Contact wins.
    expect(by('Task', 'WhoId', priya.Lead.Id)).toHaveLength(0)

    // Segment redelivers every event: no second Task; a repeat costs what finding the supporter costs.
    const tasks = all('Task').length
    for (const [event, name, whoId] of samples) {
      const { run, calls } = await deliver(sample(event, name), presetsOf('logActivity', event))
      expect(run.ok).toBe(true)
      if (whoId) expect(run.outcome?.summary).toMatch(/already logged/)
      note('logActivity', `  again: ${event} ${name}`, calls, run.outcome?.summary)
    }
    expect(all('Task')).toHaveLength(tasks)
  })

  it('moves the cart’s open Opportunity to the mapped stage, never a closed one', async () => {
    seed('tom', ['Contact'])
    const cart = getSample('Cart Viewed', 'one-line')
    const open = sandbox.salesforce.insert('Opportunity', {
      Name: 'Tom’s cart',
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
      JLP_Cart_Id__c: cart.properties.cart_id
    })
    const { run, calls } = await deliver(sample('Cart Viewed', 'one-line'), presetsOf('logActivity', 'Cart Viewed'))
    expect(run.ok).toBe(true)
    expect(calls).toBe(2)
    expect(run.outcome?.summary).toContain(`Opportunity ${open.Id} moved to Needs Analysis`)
    expect(sandbox.salesforce.get('Opportunity', open.Id as string).StageName).toBe('Needs Analysis')

    sandbox.salesforce.update('Opportunity', open.Id as string, { StageName: 'Closed Won' })
    const again = await deliver(sample('Cart Viewed', 'one-line'), presetsOf('logActivity', 'Cart Viewed'))
    expect(again.run.outcome?.summary).toContain('no open Opportunity')
    expect(sandbox.salesforce.get('Opportunity', open.Id as string).StageName).toBe('Closed Won')
  })

  it('creates a Lead with the Task when asked to, once', async () => {
    const [preset] = presetsOf('logActivity', 'Email Link Clicked')
    const create = withMapping(preset, { when_no_supporter: 'create_lead' })
    const e = sample('Email Link Clicked', 'win-back')
    const { run, calls } = await deliver(e, [create])
    expect(run.ok).toBe(true)
    note('logActivity', 'Email Link Clicked win-back → new Lead', calls, run.outcome?.summary)
    expect(calls).toBe(3)
    const [lead] = by('Lead', 'JLP_Supporter_Id__c', people.gareth.userId)
    expect(lead).toMatchObject({ Email: people.gareth.profile.email, LastName: people.gareth.profile.lastName })
    expect(by('Task', 'JLP_Event_Id__c', e.messageId)).toEqual([expect.objectContaining({ WhoId: lead.Id })])
    const again = await deliver(e, [create])
    expect(again.run.outcome?.summary).toMatch(/already logged/)
    expect(all('Lead')).toHaveLength(1)
    expect(all('Task')).toHaveLength(1)
  })
})

describe('createFollowUpTask against the sandbox', () => {
  it('a failed payment gets exactly one open, high-priority Task per attempt, owned by the care-team user', async () => {
    const gareth = seed('gareth', ['Contact'])
    const care = sandbox.salesforce.insert('User', {
      Username: 'care@stlukes.example',
      LastName: 'Care Team',
      Email: 'care@stlukes.example'
    })
    const [preset] = presetsOf('createFollowUpTask', 'Recurring Payment Failed')
    const followUp = withMapping(preset, { owner_id: care.Id as string })
    for (const name of ['insufficient-funds', 'final-attempt']) {
      const e = getSample('Recurring Payment Failed', name)
      const { run, calls } = await deliver(e as unknown as SegmentEvent, [followUp])
      expect(run).toMatchObject({ ok: true })
      note('createFollowUpTask', `Recurring Payment Failed ${name}`, calls, run.outcome?.summary)
      expect(calls).toBe(1)
      const p = e.properties
      const [task] = by('Task', 'JLP_Event_Id__c', `payment-failed:${p.payment_id}:${p.attempt_number}`)
      const due = new Date(Date.parse(e.timestamp) + 2 * 86_400_000).toISOString().slice(0, 10)
      expect(task).toMatchObject({
        WhoId: gareth.Contact.Id,
        OwnerId: care.Id,
        Priority: 'High',
        Status: 'Not Started',
        IsClosed: false,
        ActivityDate: due
      })
      for (const line of [
        `Failure reason: ${p.failure_reason}`,
        `Attempt number: ${p.attempt_number}`,
        `Amount: ${p.amount}`,
        `Subscription id: ${p.subscription_id}`
      ]) {
        expect(task.Description).toContain(line)
      }
    }
    expect(all('Task')).toHaveLength(2)

    // Redelivered, or re-sent by JLP with a new messageId: the same attempt, no second Task.
    const e = getSample('Recurring Payment Failed', 'insufficient-funds')
    const again = await deliver(e as unknown as SegmentEvent, [followUp])
    const resent = await deliver({ ...e, messageId: 'resent-1' } as unknown as SegmentEvent, [followUp])
    for (const { run, calls } of [again, resent]) {
      expect(run.outcome?.summary).toMatch(/already created/)
      expect(calls).toBe(1)
    }
    note('createFollowUpTask', '  again (redelivered or re-sent)', again.calls, again.run.outcome?.summary)
    expect(all('Task')).toHaveLength(2)
  })

  it('refuses a queue as owner with a readable reason', async () => {
    seed('gareth', ['Contact'])
    const [preset] = presetsOf('createFollowUpTask', 'Recurring Payment Failed')
    const { run, calls } = await deliver(sample('Recurring Payment Failed', 'final-attempt'), [
      withMapping(preset, { owner_id: '00G000000000001AAA' })
    ])
    expect(run.ok).toBe(false)
    expect(run.error?.message).toMatch(/queue.*Trigger Flow/)
    expect(calls).toBe(0)
  })
})

describe('triggerFlow against the sandbox', () => {
  it('a failed payment runs the dunning Flow once with its inputs, and publishes the Platform Event once', async () => {
    const e = getSample('Recurring Payment Failed', 'insufficient-funds')
    const p = e.properties
    const [flow] = presetsOf('triggerFlow', 'Recurring Payment Failed').filter((s) => s.mapping.target === 'flow')
    const [event] = presetsOf('triggerFlow', 'Recurring Payment Failed').filter(
      (s) => s.mapping.target === 'platform_event'
    )
    for (let delivery = 1; delivery <= 2; delivery++) {
      const ran = await deliver(e as unknown as SegmentEvent, [flow])
      const published = await deliver(e as unknown as SegmentEvent, [event])
      expect(ran.run.ok && published.run.ok).toBe(true)
      note('triggerFlow', `Flow, Recurring Payment Failed (delivery ${delivery})`, ran.calls, ran.run.outcome?.summary)
      note(
        'triggerFlow',
        `Event, Recurring Payment Failed (delivery ${delivery})`,
        published.calls,
        published.run.outcome?.summary
      )
      // Claim, run, mark done; a redelivery: the claim and the check that the run finished.
      expect(ran.calls).toBe(delivery === 1 ? 3 : 2)
      expect(published.calls).toBe(1)
    }
    expect(sandbox.flows()).toEqual([
      expect.objectContaining({
        flow: 'JLP_Payment_Failed_Follow_Up',
        inputs: {
          supporterId: e.userId,
          email: e.context.traits!.email,
          subscriptionId: p.subscription_id,
          amount: p.amount,
          failureReason: p.failure_reason,
          attemptNumber: p.attempt_number,
          eventId: e.messageId
        }
      })
    ])
    expect(sandbox.platformEvents()).toEqual([
      expect.objectContaining({
        type: 'JLP_Payment_Failed__e',
        fields: expect.objectContaining({
          Supporter_Id__c: e.userId,
          Subscription_Id__c: p.subscription_id,
          Amount__c: p.amount,
          Failure_Reason__c: p.failure_reason,
          Attempt__c: p.attempt_number,
          Event_Id__c: e.messageId
        })
      })
    ])
  })

  it('surfaces the Flow’s own error per event, and lets a retry run it', async () => {
    const [cancelled] = presetsOf('triggerFlow', 'Subscription Cancelled')
    const e = sample('Subscription Cancelled', 'by-supporter')
    const broken = withMapping(cancelled, { values: { supporterId: '', nickname: 'x' } })
    const failed = await deliver(e, [broken])
    expect(failed.run.ok).toBe(false)
    expect(failed.run.error?.message).toMatch(/INVALID_INPUT.*nickname/)
    expect(sandbox.flows()).toHaveLength(0)
    // The failed run left its receipt in flight: the fixed mapping runs the Flow.
    const fixed = await deliver(e, [cancelled])
    expect(fixed.run.ok).toBe(true)
    expect(sandbox.flows()).toEqual([
      expect.objectContaining({
        flow: 'JLP_Subscription_Cancelled',
        inputs: expect.objectContaining({ eventId: e.messageId })
      })
    ])
  })

  it('a batch of failed payments: one receipt call, one Flow call and one mark, one run per new event', async () => {
    const [flow] = presetsOf('triggerFlow', 'Recurring Payment Failed').filter((s) => s.mapping.target === 'flow')
    const events = ['insufficient-funds', 'final-attempt'].map((n) => sample('Recurring Payment Failed', n))
    const runs = await runBatch(jlpSalesforce, events, settings, [flow])
    expect(runs.map((r) => r.status)).toEqual([200, 200])
    expect(sandbox.audit.cost('salesforce')).toBe(3)
    const again = await runBatch(jlpSalesforce, events, settings, [flow])
    expect(again.map((r) => r.status)).toEqual([200, 200])
    expect(sandbox.flows()).toHaveLength(2)
    expect(sandbox.audit.cost('salesforce')).toBe(5)
    note('triggerFlow', `Flow batch of ${events.length}, then again`, sandbox.audit.cost('salesforce'), '(3 + 2 calls)')
  })
})

describe('upsertCustomObject against the sandbox', () => {
  it('keeps one JLP Subscription per subscription id through its life, the newest event winning (2 calls each)', async () => {
    const steps: Array<[EventName, string, string]> = [
      ['Recurring Payment Created', 'monthly-one-line', 'Active'],
      ['Recurring Payment Failed', 'insufficient-funds', 'Payment Failed'],
      ['Recurring Payment Failed', 'final-attempt', 'Payment Failed'],
      ['Subscription Cancelled', 'after-failed-payments', 'Cancelled']
    ]
    for (const [event, name, status] of steps) {
      const { run, calls } = await deliver(sample(event, name), presetsOf('upsertCustomObject', event))
      expect(run).toMatchObject({ ok: true })
      note('upsertCustomObject', `${event} ${name}`, calls, run.outcome?.summary)
      expect(calls).toBe(2)
      expect(all('JLP_Subscription__c')).toEqual([expect.objectContaining({ Status__c: status })])
    }
    expect(all('JLP_Subscription__c')[0]).toMatchObject({
      JLP_Subscription_Id__c: 'SUB-20002',
      Amount__c: 4.34,
      Failed_Payments__c: 3,
      Start_Date__c: '2026-05-02',
      Cancelled_Date__c: '2026-07-09'
    })
    const before = all('JLP_Subscription__c')
    // A late copy of the final failed payment (06:00:02) after the cancellation (06:00:05) changes nothing.
    const late = await deliver(
      sample('Recurring Payment Failed', 'final-attempt'),
      presetsOf('upsertCustomObject', 'Recurring Payment Failed')
    )
    expect(late.calls).toBe(1)
    expect(late.run.outcome?.summary).toMatch(/unchanged .*older than the newest event already applied/)
    expect(all('JLP_Subscription__c').map(({ LastModifiedDate: _a, SystemModstamp: _b, ...r }) => r)).toEqual(
      before.map(({ LastModifiedDate: _a, SystemModstamp: _b, ...r }) => r)
    )
  })

  it('a batch reads every subscription in one query and writes them in one Composite call', async () => {
    const [created] = presetsOf('upsertCustomObject', 'Recurring Payment Created')
    const events = ['monthly-two-lines', 'monthly-one-line'].map((n) => sample('Recurring Payment Created', n))
    const runs = await runBatch(jlpSalesforce, events, settings, [created])
    expect(runs.map((r) => r.status)).toEqual([200, 200])
    expect(sandbox.audit.cost('salesforce')).toBe(2)
    expect(
      all('JLP_Subscription__c')
        .map((r) => r.JLP_Subscription_Id__c)
        .sort()
    ).toEqual(['SUB-20001', 'SUB-20002'])
    note('upsertCustomObject', `batch of ${events.length}`, sandbox.audit.cost('salesforce'))
  })

  it('lists the org’s objects, an object’s External ID fields and its writable fields as dynamic fields', async () => {
    const test = createTestIntegration(jlpSalesforce)
    const objects = await test.testDynamicField('upsertCustomObject', 'object', { settings, payload: {} })
    expect(objects).toMatchObject({
      choices: expect.arrayContaining([
        { label: 'JLP Subscription (JLP_Subscription__c)', value: 'JLP_Subscription__c' }
      ])
    })
    const values = (objects as { choices: Array<{ value: string }> }).choices.map((c) => c.value)
    expect(values).not.toContain('JLP_Payment_Failed__e')
    const payload = { object: 'JLP_Subscription__c' }
    const ids = await test.testDynamicField('upsertCustomObject', 'external_id_field', { settings, payload })
    expect(ids).toEqual({
      choices: [{ label: 'Subscription ID (JLP_Subscription_Id__c)', value: 'JLP_Subscription_Id__c' }]
    })
    const fields = await test.testDynamicField('upsertCustomObject', 'values.__keys__', { settings, payload })
    const names = (fields as { choices: Array<{ value: string }> }).choices.map((c) => c.value)
    expect(names).toEqual(expect.arrayContaining(['Status__c', 'Amount__c', 'Contact__c']))
    expect(names).not.toContain('Id')
    const flows = await test.testDynamicField('triggerFlow', 'name', { settings, payload: { target: 'flow' } })
    expect((flows as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toEqual(
      expect.arrayContaining(['JLP_Payment_Failed_Follow_Up', 'JLP_Subscription_Cancelled'])
    )
    const events = await test.testDynamicField('triggerFlow', 'name', {
      settings,
      payload: { target: 'platform_event' }
    })
    expect(events).toMatchObject({ choices: [{ value: 'JLP_Payment_Failed__e' }] })
  })
})
