import { createTestIntegration, type SegmentEvent } from '@segment/actions-core'
import { samples } from '@jlp/tracking-plan'
import destination from '../..'
import type { Settings } from '../../generated-types'
import { HOST, TOKEN, V, record, soqlOf, sub } from '../../salesforce-client/__tests__/fixture'

const testDestination = createTestIntegration(destination)
const auth = { accessToken: TOKEN, refreshToken: 'r' }
const byId: Settings = { instanceUrl: HOST, leadExternalIdField: 'JLP_Supporter_Id__c' }
const preset = destination.presets?.find((p) => p.partnerAction === 'createOrUpdateLead')
const mapping = preset && 'mapping' in preset ? preset.mapping : undefined
// Registration happens before sign-up: no userId (createTestEvent would add one), the id is in context.traits.
const anonymous = (event: object) => ({ ...event, userId: null }) as unknown as SegmentEvent
const aisha = anonymous(samples.registrationStarted.web)
const siobhan = anonymous(samples.registrationStarted.app)

const empty = { totalSize: 0, done: true, records: [] }
const compositeAnswer = (contact: unknown[] = [], lead: unknown[] = []) => ({
  compositeResponse: [
    sub('unless', 200, { ...empty, records: contact, totalSize: contact.length }),
    sub('lookup', 200, { ...empty, records: lead, totalSize: lead.length }),
    ...(lead.length ? [sub('write', 204)] : [])
  ]
})

const executed = () => testDestination.results.find((r) => r.output === 'Action Executed')?.data

describe('createOrUpdateLead', () => {
  it('maps a Registration Started to a new Lead: every field, lead source and campaign (2 calls)', async () => {
    const { seen } = record((req) =>
      req.path.endsWith('/composite')
        ? [200, compositeAnswer()]
        : [201, { id: '00QAISHA', success: true, created: true }]
    )
    await testDestination.testAction('createOrUpdateLead', { event: aisha, settings: byId, mapping, auth })
    const [lookups, write] = seen
    expect(lookups.body.compositeRequest.map((s: { url: string }) => soqlOf(s.url))).toEqual([
      "SELECT Id FROM Contact WHERE Email = 'aisha.bello@example.com' LIMIT 1",
      "SELECT Id FROM Lead WHERE JLP_Supporter_Id__c = 'SUP-100005' ORDER BY LastModifiedDate DESC LIMIT 2",
      `${V}/sobjects/Lead/@{lookup.records[0].Id}`
    ])
    expect(write.method).toBe('PATCH')
    expect(write.path).toBe(`${V}/sobjects/Lead/JLP_Supporter_Id__c/SUP-100005`)
    expect(write.body).toEqual({
      LastName: 'Bello',
      Company: 'Individual',
      Email: 'aisha.bello@example.com',
      FirstName: 'Aisha',
      Phone: '+447700900321',
      Street: 'Flat 2\\3, Canal Wharf',
      City: 'Manchester',
      State: 'Greater Manchester',
      PostalCode: 'M1 7JA',
      Country: 'GB',
      LeadSource: 'facebook',
      JLP_Campaign__c: 'Spring\\Summer Appeal 2026'
    })
    expect(executed()).toEqual({
      summary: 'Lead 00QAISHA created',
      records: [{ object: 'Lead', id: '00QAISHA', change: 'created' }],
      apiCalls: 2
    })
  })

  it('does not create a Lead for a supporter who is already a Contact, and says so (1 call)', async () => {
    const { seen } = record(() => [200, compositeAnswer([{ Id: '003SIOBHAN' }])])
    await testDestination.testAction('createOrUpdateLead', { event: siobhan, settings: byId, mapping, auth })
    expect(seen).toHaveLength(1)
    expect(executed()).toEqual({
      summary: 'No Lead created: Contact 003SIOBHAN already has this email',
      records: [{ object: 'Lead', change: 'skipped' }],
      apiCalls: 1
    })
  })

  it('still updates the Lead of a supporter who has become a Contact (1 call)', async () => {
    const { seen } = record(() => [200, compositeAnswer([{ Id: '003SIOBHAN' }], [{ Id: '00QSIOBHAN' }])])
    await testDestination.testAction('createOrUpdateLead', { event: siobhan, settings: byId, mapping, auth })
    expect(seen[0].body.compositeRequest[2].body).toMatchObject({ LastName: "O'Brien", LeadSource: 'app_onboarding' })
    expect(executed()).toMatchObject({ summary: 'Lead 00QSIOBHAN updated', apiCalls: 1 })
  })

  it('with the Contact check off and a supporter id field: exactly one upsert call', async () => {
    const { seen } = record(() => [200, { id: '00QAISHA', success: true, created: false }])
    await testDestination.testAction('createOrUpdateLead', {
      event: aisha,
      settings: byId,
      mapping: { ...mapping, skip_if_contact_exists: false },
      auth
    })
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH ${V}/sobjects/Lead/JLP_Supporter_Id__c/SUP-100005`
    ])
    expect(seen[0].body).not.toHaveProperty('Company')
    expect(executed()).toMatchObject({ summary: 'Lead 00QAISHA updated', apiCalls: 1 })
  })

  it('gives a new Lead without a name or company the documented defaults, and the company setting', async () => {
    const { seen } = record((req) =>
      req.path.endsWith('/composite') ? [200, compositeAnswer()] : [201, { id: '00QX', success: true }]
    )
    const event = { ...aisha, properties: { email: 'anon@example.org', signup_source: 'web' }, context: {} }
    await testDestination.testAction('createOrUpdateLead', {
      event: event as SegmentEvent,
      settings: { instanceUrl: HOST, defaultCompany: 'Supporter' },
      mapping,
      auth
    })
    expect(seen[1]).toMatchObject({ method: 'POST', path: `${V}/sobjects/Lead` })
    expect(seen[1].body).toEqual({
      LastName: '[not provided]',
      Company: 'Supporter',
      Email: 'anon@example.org',
      LeadSource: 'web'
    })
  })

  it('writes free custom fields, and refuses NPSP rollups with a readable reason', async () => {
    const { seen } = record(() => [200, { id: '00QX', success: true, created: false }])
    await testDestination.testAction('createOrUpdateLead', {
      event: aisha,
      settings: byId,
      mapping: {
        ...mapping,
        skip_if_contact_exists: false,
        custom_fields: { Rating: 'Warm', Title: { '@path': '$.properties.signup_source' } }
      },
      auth
    })
    expect(seen[0].body).toMatchObject({ Rating: 'Warm', Title: 'facebook_ad' })
    await expect(
      testDestination.testAction('createOrUpdateLead', {
        event: aisha,
        settings: byId,
        mapping: { ...mapping, custom_fields: { npo02__TotalOppAmount__c: 1 } },
        auth
      })
    ).rejects.toThrow(/npo02__TotalOppAmount__c is an NPSP rollup/)
  })

  it('maps a company, a Lead status and another campaign field the customer chose', async () => {
    const { seen } = record(() => [200, { id: '00QX', success: true, created: false }])
    await testDestination.testAction('createOrUpdateLead', {
      event: { ...aisha, context: { ...aisha.context, traits: { ...aisha.context?.traits, company: 'Bello Bakes' } } },
      settings: byId,
      mapping: {
        ...mapping,
        skip_if_contact_exists: false,
        status: 'Working - Contacted',
        campaign_field: 'UTM_Campaign__c'
      },
      auth
    })
    expect(seen[0].body).toMatchObject({
      Company: 'Bello Bakes',
      Status: 'Working - Contacted',
      UTM_Campaign__c: 'Spring\\Summer Appeal 2026'
    })
    expect(seen[0].body).not.toHaveProperty('JLP_Campaign__c')
  })

  it('needs an email', async () => {
    const event = { ...aisha, properties: { signup_source: 'web' }, context: { traits: {} } }
    await expect(
      testDestination.testAction('createOrUpdateLead', { event: event as SegmentEvent, settings: byId, mapping, auth })
    ).rejects.toThrow(/email/)
  })

  it('batches: each event its own result', async () => {
    record((req) => {
      if (req.method === 'GET') {
        const soql = soqlOf(req.path)
        const records =
          soql.includes('FROM Contact') && soql.includes('siobhan')
            ? [{ Id: '003S', Email: 'siobhan.obrien@example.co.uk' }]
            : []
        return [200, { totalSize: records.length, done: true, records }]
      }
      return [200, req.body.records.map(() => ({ id: '00QA', success: true, created: true }))]
    })
    const noEmail = { ...aisha, messageId: 'no-email', properties: { signup_source: 'web' }, context: { traits: {} } }
    const responses = await testDestination.testBatchAction('createOrUpdateLead', {
      events: [aisha, siobhan, noEmail as SegmentEvent],
      settings: byId,
      mapping: { ...mapping, enable_batching: true },
      auth
    })
    const multistatus = testDestination.results.at(-1)?.multistatus
    expect(multistatus?.map((m) => m.status)).toEqual([200, 200, 400])
    expect(multistatus?.[0]).toMatchObject({ body: { summary: 'Lead 00QA created' } })
    expect(multistatus?.[1]).toMatchObject({
      body: { summary: 'No Lead created: Contact 003S already has this email' }
    })
    expect(responses.length).toBeGreaterThan(0)
  })
})
