import {
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import nock from 'nock'
import {
  bindRecord,
  byEmail,
  byExternalId,
  chunkGraphs,
  graphProblem,
  readGraph,
  reference,
  subrequest,
  writeGraphs,
  type GraphNode,
  type GraphResult
} from '..'
import { HOST, V, client } from './fixture'

const upsert = (ref: string, object: string, field: string, value: string, fields = {}): GraphNode => ({
  kind: 'upsert',
  ref,
  object,
  match: byExternalId(field, value),
  fields
})

const purchase: GraphNode[] = [
  upsert('campaign', 'Campaign', 'JLP_Draw_Id__c', 'DRW-1', { Name: 'Draw 1' }),
  {
    kind: 'upsert',
    ref: 'buyer',
    object: 'Contact',
    match: byEmail('jane@example.org'),
    fields: { Email: 'jane@example.org', FirstName: 'Jane' },
    onCreate: { LastName: '[not provided]' }
  },
  { kind: 'read', ref: 'buyerAccount', object: 'Contact', id: reference('buyer'), fields: ['AccountId'] },
  upsert('ticket1', 'Opportunity', 'JLP_Ticket_Key__c', 'O-1:T1', {
    CampaignId: reference('campaign'),
    AccountId: reference('buyerAccount', 'AccountId'),
    npsp__Primary_Contact__c: reference('buyer'),
    StageName: 'Closed Won'
  })
]

const ok = (referenceId: string, status: number, body: object) => ({ referenceId, httpStatusCode: status, body })
const created = (ref: string, id: string) => ok(ref, 201, { id, success: true, errors: [], created: true })
const updated = (ref: string, id: string) => ok(ref, 200, { id, success: true, errors: [], created: false })
const halted = (ref: string) =>
  ok(ref, 400, [
    {
      errorCode: 'PROCESSING_HALTED',
      message: 'The transaction was rolled back since another operation in the same transaction failed.'
    }
  ])
const graphAnswer = (graphId: string, isSuccessful: boolean, compositeResponse: object[]) => ({
  graphId,
  isSuccessful,
  graphResponse: { compositeResponse }
})
const successOf = (graphId: string) =>
  graphAnswer(graphId, true, [
    created('campaign', '701A'),
    updated('buyer', '003A'),
    ok('buyerAccount', 200, { attributes: { type: 'Contact' }, Id: '003A', AccountId: '001A' }),
    created('ticket1', '006A')
  ])

/** The purchase's graph answer when Salesforce refuses its Opportunity (the nodes before it rolled back). */
const ticketRefused = (error: object): [number, object] => [
  200,
  {
    graphs: [
      graphAnswer('g0', false, [
        halted('campaign'),
        halted('buyer'),
        halted('buyerAccount'),
        ok('ticket1', 400, [error])
      ])
    ]
  }
]

/** Answers POST /composite/graph with `answers` in turn; records every request body. */
function graphApi(...answers: Array<[number, object]>) {
  const bodies: any[] = []
  const scope = nock(HOST)
  for (const [status, answer] of answers) {
    scope.post(`${V}/composite/graph`, (b) => (bodies.push(b), true)).reply(status, answer)
  }
  return bodies
}

const failed = (result: GraphResult) => (result.ok ? undefined : result.error)

describe('Composite Graph subrequests', () => {
  it('upsert by external id: value encoded in the URL, the match field never in the body', () => {
    expect(
      subrequest(upsert('c', 'Campaign', 'JLP_Draw_Id__c', 'DRW 1/2', { Name: 'A', jlp_draw_id__c: 'x' }))
    ).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Campaign/JLP_Draw_Id__c/DRW%201%2F2`,
      referenceId: 'c',
      body: { Name: 'A' }
    })
  })

  it('upsert by Email uses Salesforce’s Email lookup on the object', () => {
    expect(subrequest(purchase[1])).toEqual({
      method: 'PATCH',
      url: `${V}/sobjects/Contact/Email/jane%40example.org`,
      referenceId: 'buyer',
      body: { FirstName: 'Jane' }
    })
  })

  it('reads a referenced record, leaving the reference for Salesforce to resolve', () => {
    expect(subrequest(purchase[2])).toEqual({
      method: 'GET',
      url: `${V}/sobjects/Contact/@{buyer.id}?fields=AccountId`,
      referenceId: 'buyerAccount'
    })
  })

  it('refuses a field that is not an API name, and NPSP rollups', () => {
    expect(() => subrequest(upsert('c', 'Contact', 'K__c', '1', { 'Lead Source': 'x' }))).toThrow(
      PayloadValidationError
    )
    expect(() => subrequest(upsert('c', 'Contact', 'K__c', '1', { npo02__TotalOppAmount__c: 1 }))).toThrow(/rollup/)
  })

  it('binds a record found by id: its node is written by id, references to it become the id', () => {
    const bound = bindRecord(purchase, 'buyer', '003B')
    expect(bound[1]).toMatchObject({ match: { by: 'id', value: '003B' } })
    expect(subrequest(bound[1]).url).toBe(`${V}/sobjects/Contact/003B`)
    expect(subrequest(bound[2]).url).toBe(`${V}/sobjects/Contact/003B?fields=AccountId`)
    expect((bound[3] as { fields: object }).fields).toMatchObject({
      npsp__Primary_Contact__c: '003B',
      CampaignId: '@{campaign.id}'
    })
  })
})

describe('chunkGraphs and graphProblem', () => {
  const graphOf = (n: number, object = 'Opportunity') =>
    Array.from({ length: n }, (_, i) => upsert(`n${i}`, object, 'K__c', String(i)))

  it('keeps graphs together up to 75 a request', () => {
    const chunks = chunkGraphs(Array.from({ length: 80 }, () => graphOf(2)))
    expect(chunks.map((c) => c.length)).toEqual([75, 5])
    expect(chunks.flat()).toEqual(Array.from({ length: 80 }, (_, i) => i))
  })

  it('starts a new request before 500 nodes', () => {
    expect(chunkGraphs([graphOf(300), graphOf(200), graphOf(1)])).toEqual([[0, 1], [2]])
  })

  it('starts a new request before 15 kinds of node', () => {
    const graphs = Array.from({ length: 16 }, (_, i) => graphOf(1, `Obj${i}__c`))
    expect(chunkGraphs(graphs).map((c) => c.length)).toEqual([15, 1])
  })

  it('names a graph too big to send', () => {
    expect(graphProblem(graphOf(501))).toMatch(/501 records in one graph; Salesforce takes at most 500/)
    expect(graphProblem(graphOf(3))).toBeUndefined()
  })
})

describe('readGraph', () => {
  it('reports each record with its id and whether it was created, and the values read', () => {
    expect(readGraph(successOf('g0'), purchase)).toEqual({
      ok: true,
      records: [
        { ref: 'campaign', object: 'Campaign', id: '701A', created: true },
        { ref: 'buyer', object: 'Contact', id: '003A', created: false },
        { ref: 'buyerAccount', object: 'Contact', id: '003A', values: { Id: '003A', AccountId: '001A' } },
        { ref: 'ticket1', object: 'Opportunity', id: '006A', created: true }
      ]
    })
  })

  it('a missing graph fails as halted', () => {
    expect(readGraph(undefined, purchase)).toMatchObject({ status: 503 })
  })
})

describe('writeGraphs', () => {
  it('one purchase, one API call: one graph with every subrequest, every record reported', async () => {
    const bodies = graphApi([200, { graphs: [successOf('g0')] }])
    const c = client()
    const [result] = await writeGraphs(c, [purchase])
    expect(c.apiCalls).toBe(1)
    expect(bodies).toHaveLength(1)
    expect(bodies[0].graphs).toHaveLength(1)
    expect(bodies[0].graphs[0].graphId).toBe('g0')
    expect(bodies[0].graphs[0].compositeRequest.map((s: { referenceId: string }) => s.referenceId)).toEqual([
      'campaign',
      'buyer',
      'buyerAccount',
      'ticket1'
    ])
    expect(bodies[0].graphs[0].compositeRequest[3].body).toEqual({
      CampaignId: '@{campaign.id}',
      AccountId: '@{buyerAccount.AccountId}',
      npsp__Primary_Contact__c: '@{buyer.id}',
      StageName: 'Closed Won'
    })
    expect(result.ok && result.records.map((r) => r.id)).toEqual(['701A', '003A', '003A', '006A'])
  })

  it('a rejected record fails its graph with an error naming the object, its key and the field', async () => {
    graphApi(
      ticketRefused({
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Stage: bad value for restricted picklist field: Won',
        fields: ['StageName']
      })
    )
    const [result] = await writeGraphs(client(), [purchase])
    const error = failed(result)
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error?.message).toContain('Opportunity "ticket1" by JLP_Ticket_Key__c "O-1:T1"')
    expect(error?.message).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST on StageName')
  })

  it('a graph Salesforce halted (too many failures in the request) is retried', async () => {
    graphApi([200, { graphs: [graphAnswer('g0', false, [halted('campaign'), halted('buyer')])] }])
    const error = failed((await writeGraphs(client(), [purchase]))[0])
    expect(error).toBeInstanceOf(RetryableError)
    expect(error?.message).toContain('PROCESSING_HALTED')
  })

  it('an invalid reference is that node’s own error, not a knock-on to retry', async () => {
    const invalid = 'Invalid reference specified. No value for buyerAccount.AccountId found in buyerAccount.'
    graphApi(ticketRefused({ errorCode: 'PROCESSING_HALTED', message: invalid }))
    const error = failed((await writeGraphs(client(), [purchase]))[0])
    expect(error).not.toBeInstanceOf(RetryableError)
    expect(error?.message).toContain('Opportunity "ticket1"')
    expect(error?.message).toContain(invalid)
  })

  it('several graphs in one call, each with its own result; a graph given as an error stays that error', async () => {
    const bad = new PayloadValidationError('The purchase has no tickets')
    const bodies = graphApi([
      200,
      {
        graphs: [
          successOf('g0'),
          graphAnswer('g2', false, [
            ok('campaign', 400, [
              { errorCode: 'STRING_TOO_LONG', message: 'Name: data value too large', fields: ['Name'] }
            ])
          ])
        ]
      }
    ])
    const c = client()
    const results = await writeGraphs(c, [purchase, bad, purchase])
    expect(c.apiCalls).toBe(1)
    expect(bodies[0].graphs.map((g: { graphId: string }) => g.graphId)).toEqual(['g0', 'g2'])
    expect(results[0].ok).toBe(true)
    expect(failed(results[1])).toBe(bad)
    expect(failed(results[2])).toBeInstanceOf(PayloadValidationError)
    expect(failed(results[2])?.message).toContain('Campaign "campaign"')
  })

  it('a whole request that fails (503) fails every graph in it as retryable', async () => {
    graphApi([503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]])
    const results = await writeGraphs(client(), [purchase, purchase])
    expect(results.map((r) => failed(r))).toEqual([expect.any(RetryableError), expect.any(RetryableError)])
  })

  it('an expired token is thrown, so the framework refreshes it and retries', async () => {
    graphApi([401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]])
    await expect(writeGraphs(client(), [purchase])).rejects.toBeInstanceOf(InvalidAuthenticationError)
  })

  it('a new Contact without a last name is sent once more with the onCreate value', async () => {
    const bodies = graphApi(
      [
        200,
        {
          graphs: [
            graphAnswer('g0', false, [
              halted('campaign'),
              ok('buyer', 400, [
                {
                  errorCode: 'REQUIRED_FIELD_MISSING',
                  message: 'Required fields are missing: [LastName]',
                  fields: ['LastName']
                }
              ])
            ])
          ]
        }
      ],
      [200, { graphs: [successOf('g0')] }]
    )
    const c = client()
    const [result] = await writeGraphs(c, [purchase])
    expect(result.ok).toBe(true)
    expect(c.apiCalls).toBe(2)
    expect(bodies[1].graphs[0].compositeRequest[1].body).toEqual({ FirstName: 'Jane', LastName: '[not provided]' })
  })

  it('an email several Contacts share: the most recently modified one is used (rule most_recent)', async () => {
    const bodies = graphApi(
      [
        200,
        {
          graphs: [
            graphAnswer('g0', false, [
              halted('campaign'),
              ok('buyer', 300, [{ errorCode: 'MULTIPLE_CHOICES', message: 'Multiple records match Email' }])
            ])
          ]
        }
      ],
      [
        200,
        {
          graphs: [
            graphAnswer('g0', true, [
              created('campaign', '701A'),
              ok('buyer', 204, null as unknown as object),
              ok('buyerAccount', 200, { Id: '003B', AccountId: '001B' }),
              created('ticket1', '006A')
            ])
          ]
        }
      ]
    )
    let soql = ''
    nock(HOST)
      .get(`${V}/query`)
      .query((q) => ((soql = String(q.q)), true))
      .reply(200, {
        done: true,
        records: [
          { Id: '003B', Email: 'jane@example.org' },
          { Id: '003C', Email: 'jane@example.org' }
        ]
      })
    const c = client()
    const [result] = await writeGraphs(c, [purchase])
    expect(soql).toMatch(/FROM Contact WHERE Email IN \('jane@example.org'\) ORDER BY LastModifiedDate DESC/)
    expect(c.apiCalls).toBe(3)
    const resent = bodies[1].graphs[0].compositeRequest
    expect(resent[1].url).toBe(`${V}/sobjects/Contact/003B`)
    expect(resent[3].body.npsp__Primary_Contact__c).toBe('003B')
    expect(result.ok && result.records[1]).toEqual({ ref: 'buyer', object: 'Contact', id: '003B', created: false })
  })

  it('an email several Contacts share fails the event under the rule "fail", naming the email', async () => {
    graphApi([
      200,
      {
        graphs: [graphAnswer('g0', false, [ok('buyer', 300, [{ errorCode: 'MULTIPLE_CHOICES', message: 'Multiple' }])])]
      }
    ])
    nock(HOST)
      .get(`${V}/query`)
      .query(true)
      .reply(200, {
        done: true,
        records: [
          { Id: '003B', Email: 'jane@example.org' },
          { Id: '003C', Email: 'jane@example.org' }
        ]
      })
    const error = failed((await writeGraphs(client({ multipleMatches: 'fail' }), [purchase]))[0])
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error?.message).toContain('Several Contact records have Email "jane@example.org"')
  })
})
