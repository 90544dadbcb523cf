// Composite, Composite Graph, Composite Batch and sObject Collections: references, allOrNone rollback,
// per-record results and limits.
import { salesforceClient, useSandbox } from './helpers'

const current = useSandbox()
const V = '/services/data/v62.0'
const sf = () => salesforceClient(current())

const campaign = (referenceId = 'camp', name = 'Draw 7') => ({
  method: 'PATCH',
  url: `${V}/sobjects/Campaign/JLP_Draw_Id__c/D7`,
  referenceId,
  body: { Name: name, Type: 'Lottery Draw' }
})

describe('composite', () => {
  it('runs subrequests in order with @{ref.id} and @{ref.records[0].Id} references', async () => {
    const sandbox = current()
    sandbox.salesforce.insert('Contact', { LastName: 'Lee', Email: 'sam@example.org' })
    const res = await sf()('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        campaign(),
        {
          method: 'GET',
          url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM Contact WHERE Email = 'sam@example.org'")}`,
          referenceId: 'who'
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Opportunity`,
          referenceId: 'ticket',
          body: {
            Name: 'Draw 7 – Ticket 1',
            StageName: 'Closed Won',
            CloseDate: '2025-05-01',
            Amount: 2,
            CampaignId: '@{camp.id}',
            npsp__Primary_Contact__c: '@{who.records[0].Id}'
          }
        },
        {
          method: 'POST',
          url: `${V}/sobjects/CampaignMember`,
          referenceId: 'member',
          body: { CampaignId: '@{camp.id}', ContactId: '@{who.records[0].Id}', Status: 'Purchased' }
        },
        { method: 'GET', url: `${V}/sobjects/Opportunity/@{ticket.id}?fields=CampaignId`, referenceId: 'check' }
      ]
    })
    expect(res.status).toBe(200)
    const [camp, who, ticket, member, check] = res.body.compositeResponse
    expect(camp).toEqual({
      body: { id: expect.stringMatching(/^701/), success: true, errors: [], created: true },
      httpHeaders: { Location: `${V}/sobjects/Campaign/${camp.body.id}` },
      httpStatusCode: 201,
      referenceId: 'camp'
    })
    expect(who).toMatchObject({ httpStatusCode: 200, body: { totalSize: 1 } })
    expect(ticket).toMatchObject({ httpStatusCode: 201, referenceId: 'ticket' })
    expect(member).toMatchObject({ httpStatusCode: 201 })
    expect(check.body.CampaignId).toBe(camp.body.id)
    expect(sandbox.audit.cost('salesforce')).toBe(1)
    expect(sandbox.audit.byEndpoint()).toEqual({
      'salesforce POST /composite': { calls: 1, cost: 1, statuses: { 200: 1 } }
    })
  })

  it('allOrNone: one failure rolls everything back; the others read PROCESSING_HALTED', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        campaign(),
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'buyer', body: { LastName: 'Lee' } },
        {
          method: 'POST',
          url: `${V}/sobjects/Opportunity`,
          referenceId: 'bad',
          body: { Name: 'No stage', CampaignId: '@{camp.id}' }
        },
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 'after', body: { Subject: 'Call' } }
      ]
    })
    const halted = {
      body: [
        {
          errorCode: 'PROCESSING_HALTED',
          message: 'The transaction was rolled back since another operation in the same transaction failed.'
        }
      ],
      httpHeaders: {},
      httpStatusCode: 400
    }
    expect(res.body.compositeResponse).toEqual([
      { ...halted, referenceId: 'camp' },
      { ...halted, referenceId: 'buyer' },
      {
        body: [
          {
            errorCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [StageName, CloseDate]',
            fields: ['StageName', 'CloseDate']
          }
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: 'bad'
      },
      { ...halted, referenceId: 'after' }
    ])
    expect(sandbox.records.salesforce()).toEqual({ User: [expect.anything()] })
  })

  it('without allOrNone: successes stay, a reference to a failed subrequest is PROCESSING_HALTED', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite', {
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'bad', body: { FirstName: 'No last name' } },
        {
          method: 'POST',
          url: `${V}/sobjects/Task`,
          referenceId: 'task',
          body: { Subject: 'Call', WhoId: '@{bad.id}' }
        },
        { method: 'POST', url: `${V}/sobjects/Lead`, referenceId: 'lead', body: { LastName: 'L', Company: 'C' } }
      ]
    })
    const [bad, task, lead] = res.body.compositeResponse
    expect(bad.httpStatusCode).toBe(400)
    expect(task).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] })
    expect(task.body[0].message).toMatch(/^Invalid reference specified. No value for bad.id found in bad/)
    expect(lead.httpStatusCode).toBe(201)
    expect(sandbox.records.salesforce('Lead')).toHaveLength(1)
    expect(sandbox.records.salesforce('Task')).toHaveLength(0)
  })

  it('limits: at most 25 subrequests, at most 5 of them queries or collections; nothing runs when over', async () => {
    const sandbox = current()
    const lead = (i: number) => ({
      method: 'POST',
      url: `${V}/sobjects/Lead`,
      referenceId: `l${i}`,
      body: { LastName: `L${i}`, Company: 'C' }
    })
    const tooMany = await sf()('POST', '/composite', {
      compositeRequest: Array.from({ length: 26 }, (_, i) => lead(i))
    })
    expect(tooMany.status).toBe(400)
    expect(tooMany.body[0].errorCode).toBe('LIMIT_EXCEEDED')
    const query = (i: number) => ({ method: 'GET', url: `${V}/query?q=SELECT+Id+FROM+Lead`, referenceId: `q${i}` })
    const queries = await sf()('POST', '/composite', {
      compositeRequest: Array.from({ length: 6 }, (_, i) => query(i))
    })
    expect(queries.status).toBe(400)
    const ok = await sf()('POST', '/composite', { compositeRequest: Array.from({ length: 25 }, (_, i) => lead(i)) })
    expect(ok.status).toBe(200)
    expect(sandbox.records.salesforce('Lead')).toHaveLength(25)
  })

  it('collections and upserts inside composite; nested composite is refused per subrequest', async () => {
    const res = await sf()('POST', '/composite', {
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${V}/composite/sobjects/Contact/JLP_Supporter_Id__c`,
          referenceId: 'people',
          body: { records: [{ attributes: { type: 'Contact' }, JLP_Supporter_Id__c: 'S1', LastName: 'One' }] }
        },
        { method: 'POST', url: `${V}/composite`, referenceId: 'nested', body: { compositeRequest: [] } }
      ]
    })
    const [people, nested] = res.body.compositeResponse
    expect(people).toMatchObject({ httpStatusCode: 200, body: [{ success: true, created: true }] })
    expect(nested).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'INVALID_API_INPUT' }] })
  })
})

describe('composite graph', () => {
  const purchase = (graphId: string, contactBody: Record<string, unknown>) => ({
    graphId,
    compositeRequest: [
      {
        method: 'PATCH',
        url: `${V}/sobjects/Contact/JLP_Supporter_Id__c/${graphId}`,
        referenceId: 'buyer',
        body: contactBody
      },
      {
        method: 'POST',
        url: `${V}/sobjects/Opportunity`,
        referenceId: 'ticket',
        body: {
          Name: `Ticket ${graphId}`,
          StageName: 'Closed Won',
          CloseDate: '2025-05-01',
          npsp__Primary_Contact__c: '@{buyer.id}'
        }
      }
    ]
  })

  it('each graph is all-or-nothing on its own; one call for all graphs', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite/graph', {
      graphs: [purchase('G1', { LastName: 'Good' }), purchase('G2', { FirstName: 'Missing last name' })]
    })
    expect(res.status).toBe(200)
    const [g1, g2] = res.body.graphs
    expect(g1).toMatchObject({ graphId: 'G1', isSuccessful: true })
    expect(g1.graphResponse.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)).toEqual([
      201, 201
    ])
    expect(g2.isSuccessful).toBe(false)
    expect(g2.graphResponse.compositeResponse).toEqual([
      expect.objectContaining({
        httpStatusCode: 400,
        body: [expect.objectContaining({ errorCode: 'REQUIRED_FIELD_MISSING' })]
      }),
      expect.objectContaining({
        httpStatusCode: 400,
        body: [expect.objectContaining({ errorCode: 'PROCESSING_HALTED' })]
      })
    ])
    expect(sandbox.records.salesforce('Contact').map((c) => c.JLP_Supporter_Id__c)).toEqual(['G1'])
    expect(sandbox.records.salesforce('Opportunity')).toHaveLength(1)
    expect(sandbox.audit.cost()).toBe(1)
  })

  it('refuses more than 500 nodes, more than 75 graphs and duplicate graph ids, before running anything', async () => {
    const lead = (i: number) => ({
      method: 'POST',
      url: `${V}/sobjects/Lead`,
      referenceId: `l${i}`,
      body: { LastName: `L${i}`, Company: 'C' }
    })
    const nodes = await sf()('POST', '/composite/graph', {
      graphs: [{ graphId: 'one', compositeRequest: Array.from({ length: 501 }, (_, i) => lead(i)) }]
    })
    expect(nodes.status).toBe(400)
    expect(nodes.body[0]).toMatchObject({ errorCode: 'LIMIT_EXCEEDED', message: expect.stringContaining('500') })
    const graphs = await sf()('POST', '/composite/graph', {
      graphs: Array.from({ length: 76 }, (_, i) => ({ graphId: `g${i}`, compositeRequest: [lead(i)] }))
    })
    expect(graphs.body[0]).toMatchObject({ errorCode: 'LIMIT_EXCEEDED', message: expect.stringContaining('75') })
    const dupes = await sf()('POST', '/composite/graph', {
      graphs: [purchase('A', { LastName: 'x' }), purchase('A', { LastName: 'y' })]
    })
    expect(dupes.status).toBe(400)
    expect(current().records.salesforce('Lead')).toEqual([])
    expect(current().records.salesforce('Contact')).toEqual([])
  })
})

describe('composite batch', () => {
  it('runs independent subrequests and costs one call each', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite/batch', {
      batchRequests: [
        { method: 'POST', url: 'v62.0/sobjects/Lead', richInput: { LastName: 'A', Company: 'C' } },
        { method: 'POST', url: 'v62.0/sobjects/Lead', richInput: { LastName: 'B' } },
        { method: 'GET', url: 'v62.0/limits' }
      ]
    })
    expect(res.body.hasErrors).toBe(true)
    expect(res.body.results.map((r: { statusCode: number }) => r.statusCode)).toEqual([201, 400, 200])
    expect(sandbox.audit.cost()).toBe(3)
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=3/100000')
  })

  it('haltOnError stops after the first failure (412 for the rest, not charged)', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite/batch', {
      haltOnError: true,
      batchRequests: [
        { method: 'POST', url: 'v62.0/sobjects/Lead', richInput: { LastName: 'B' } },
        { method: 'POST', url: 'v62.0/sobjects/Lead', richInput: { LastName: 'A', Company: 'C' } }
      ]
    })
    expect(res.body.results[1]).toEqual({
      statusCode: 412,
      result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }]
    })
    expect(sandbox.audit.cost()).toBe(1)
    expect(sandbox.records.salesforce('Lead')).toEqual([])
  })
})

describe('sObject collections', () => {
  it('create: per-record results, a bad record fails alone without allOrNone', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Lead' }, LastName: 'A', Company: 'C' },
        { attributes: { type: 'Lead' }, LastName: 'B' },
        { attributes: { type: 'Contact' }, LastName: 'C', Nope__c: 1 }
      ]
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual([
      { id: expect.stringMatching(/^00Q/), success: true, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [Company]',
            fields: ['Company']
          }
        ]
      },
      { success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_FIELD' })] }
    ])
    expect(sandbox.records.salesforce('Lead')).toHaveLength(1)
    expect(sandbox.records.salesforce('Contact')).toHaveLength(0)
    expect(sandbox.records.salesforce('Account')).toHaveLength(0)
  })

  it('allOrNone: valid records are rolled back too', async () => {
    const sandbox = current()
    const res = await sf()('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Lead' }, LastName: 'A', Company: 'C' },
        { attributes: { type: 'Lead' }, LastName: 'B' }
      ]
    })
    expect(res.body[0]).toEqual({
      id: null,
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: []
        }
      ]
    })
    expect(res.body[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING')
    expect(sandbox.records.salesforce('Lead')).toEqual([])
  })

  it('upsert by external id: created flags, duplicate values in one request, missing values', async () => {
    const sandbox = current()
    sandbox.salesforce.insert('Contact', { LastName: 'Known', JLP_Supporter_Id__c: 'S1' })
    const res = await sf()('PATCH', '/composite/sobjects/Contact/JLP_Supporter_Id__c', {
      records: [
        { attributes: { type: 'Contact' }, JLP_Supporter_Id__c: 'S1', FirstName: 'Updated' },
        { attributes: { type: 'Contact' }, JLP_Supporter_Id__c: 'S2', LastName: 'New' },
        { attributes: { type: 'Contact' }, JLP_Supporter_Id__c: 'S3', LastName: 'Twice' },
        { attributes: { type: 'Contact' }, JLP_Supporter_Id__c: 'S3', LastName: 'Twice' },
        { attributes: { type: 'Contact' }, LastName: 'No key' }
      ]
    })
    expect(res.body.map((r: { success: boolean; created?: boolean }) => [r.success, r.created])).toEqual([
      [true, false],
      [true, true],
      [false, undefined],
      [false, undefined],
      [false, undefined]
    ])
    expect(res.body[2].errors[0]).toMatchObject({ statusCode: 'DUPLICATE_EXTERNAL_ID' })
    expect(res.body[4].errors[0]).toMatchObject({ statusCode: 'MISSING_ARGUMENT', fields: ['JLP_Supporter_Id__c'] })
    expect(
      sandbox.records
        .salesforce('Contact')
        .map((c) => c.JLP_Supporter_Id__c)
        .sort()
    ).toEqual(['S1', 'S2'])
  })

  it('update and delete by id, retrieve by ids', async () => {
    const sandbox = current()
    const a = sandbox.salesforce.insert('Lead', { LastName: 'A', Company: 'C' })
    const b = sandbox.salesforce.insert('Lead', { LastName: 'B', Company: 'C' })
    const updated = await sf()('PATCH', '/composite/sobjects', {
      records: [{ attributes: { type: 'Lead' }, id: a.Id, Company: 'New' }]
    })
    expect(updated.body).toEqual([{ id: a.Id, success: true, errors: [] }])
    const got = await sf()('GET', `/composite/sobjects/Lead?ids=${a.Id},${b.Id}&fields=Company`)
    expect(got.body.map((r: { Company: string }) => r.Company)).toEqual(['New', 'C'])
    const deleted = await sf()('DELETE', `/composite/sobjects?ids=${a.Id},${b.Id}`)
    expect(deleted.body.every((r: { success: boolean }) => r.success)).toBe(true)
    expect(sandbox.records.salesforce('Lead')).toEqual([])
  })

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Lead' },
      LastName: `L${i}`,
      Company: 'C'
    }))
    const res = await sf()('POST', '/composite/sobjects', { records })
    expect(res.status).toBe(400)
    expect(res.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT')
    expect(current().records.salesforce('Lead')).toEqual([])
  })
})
