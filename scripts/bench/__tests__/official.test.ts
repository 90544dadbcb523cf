// The official destination's nearest equivalents: which of its actions stand in for each preset, the mappings they
// run with (one event at a time, or through Bulk API 2.0), and the per-ticket events an Opportunity step runs on.
import Salesforce from '@segment/action-destinations/dist/destinations/salesforce'
import { transform, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { jlpSalesforce } from '@jlp/destinations'
import { presetSubscriptions } from '@jlp/runner'
import { getSample } from '@jlp/tracking-plan'
import { OFFICIAL_BATCH_SIZE, officialEquivalent, officialMapping, perTicket, type OfficialStep } from '../official'

const presets = presetSubscriptions(jlpSalesforce)
const preset = (name: string) => presets.find((p) => p.name === name)!
const stepsOf = (name: string): OfficialStep[] => {
  const eq = officialEquivalent(preset(name))
  if ('none' in eq) throw new Error(`${name} has no equivalent`)
  return eq.steps
}
const asEvent = (e: unknown) => e as SegmentEvent

describe('official equivalents', () => {
  it('names an official action for every preset, or says there is none', () => {
    for (const p of presets) {
      const eq = officialEquivalent(p)
      if ('none' in eq) {
        expect([p.name, eq.none]).toEqual([p.name, expect.stringMatching(/^no equivalent/)])
        continue
      }
      for (const step of eq.steps) expect(Object.keys(Salesforce.actions)).toContain(step.action)
    }
    const none = presets.filter((p) => 'none' in officialEquivalent(p)).map((p) => p.partnerAction)
    expect(none).toEqual(['triggerFlow', 'triggerFlow'])
  })

  it('maps a registration to a Lead upsert matched by the supporter id in the event', () => {
    const [lead] = stepsOf('New registration becomes a Lead')
    const payload = transform(officialMapping(lead), asEvent(getSample('Registration Started', 'web')) as never)
    expect(payload).toMatchObject({
      operation: 'upsert',
      traits: { JLP_Supporter_Id__c: 'SUP-100005' },
      last_name: 'Bello',
      email: 'aisha.bello@example.com',
      company: 'Individual',
      city: 'Manchester',
      customFields: { JLP_Supporter_Id__c: 'SUP-100005' }
    })
  })

  it('moves the match key from traits to bulkUpsertExternalId when batched', () => {
    const [contact] = stepsOf('New subscription marks the supporter as recurring')
    const single = officialMapping(contact)
    const batched = officialMapping(contact, true)
    expect(single).not.toHaveProperty('enable_batching')
    expect(Object.keys(single.customFields as JSONObject).sort()).toEqual([
      'JLP_Recurring_Status__c',
      'JLP_Supporter_Id__c'
    ])
    expect(batched).toMatchObject({
      operation: 'upsert',
      enable_batching: true,
      batch_size: OFFICIAL_BATCH_SIZE,
      bulkUpsertExternalId: { externalIdName: 'JLP_Supporter_Id__c' },
      customFields: { JLP_Recurring_Status__c: 'Active' }
    })
    expect(batched).not.toHaveProperty('traits')
    expect(batched.customFields).not.toHaveProperty('JLP_Supporter_Id__c')
  })

  it('runs a ticket purchase as Campaign, Contact, one Opportunity per ticket and the CampaignMember', () => {
    const steps = stepsOf('Ticket purchase syncs the draw Campaign, buyer and an Opportunity per ticket')
    expect(steps.map((s) => `${s.action} ${s.operation}`)).toEqual([
      'customObject upsert',
      'contact upsert',
      'opportunity create',
      'customObject upsert'
    ])
  })

  it('gives each ticket its own event with the ids looked up outside, keeping the purchase’s properties', () => {
    const purchase = asEvent(getSample('Ticket Purchase Completed', 'three-tickets'))
    const ids = { id: (object: string, field: string, value: unknown) => `${object}:${field}=${String(value)}` }
    const tickets = perTicket(purchase, ids)
    expect(tickets.map((t) => t.properties?.bench)).toEqual(
      [1, 2, 3].map((index) => ({
        ticket_id: `ORD-700102-T${index}`,
        amount: '1',
        index,
        count: 3,
        close_date: '2026-06-15',
        campaign_id: 'Campaign:JLP_Draw_Id__c=DRW-1235',
        contact_id: 'Contact:JLP_Supporter_Id__c=SUP-100003'
      }))
    )
    expect(tickets.every((t) => t.properties?.tickets === purchase.properties?.tickets)).toBe(true)
  })

  it('publishes the Platform Event with the preset’s own values', () => {
    const p = preset('Failed payment publishes the JLP_Payment_Failed__e Platform Event')
    const [step] = stepsOf(p.name)
    expect(officialMapping(step)).toEqual({
      operation: 'create',
      customObjectName: 'JLP_Payment_Failed__e',
      customFields: p.mapping.values
    })
  })
})
