import { IntegrationError, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import { getSample } from '@jlp/tracking-plan'
import { V, record, rows, type Recorded } from '../../salesforce-client/__tests__/fixture'
import {
  auth,
  composite,
  created,
  duplicate,
  executed,
  halted,
  refused,
  settings,
  testDestination
} from '../../logActivity/__tests__/answers'
import destination from '../..'

const failed = getSample('Recurring Payment Failed', 'insufficient-funds') as unknown as SegmentEvent
const finalAttempt = getSample('Recurring Payment Failed', 'final-attempt') as unknown as SegmentEvent
const presetFor = (target: string) =>
  destination.presets?.find(
    (p) => p.partnerAction === 'triggerFlow' && 'mapping' in p && p.mapping?.target === target
  ) as { mapping: JSONObject }
const flowMapping = presetFor('flow').mapping
const eventMapping = presetFor('platform_event').mapping
const FLOW = `${V}/actions/custom/flow/JLP_Payment_Failed_Follow_Up`

const receipt = (ids: Array<string | 'dup'>) =>
  ids.map((id) =>
    id === 'dup'
      ? { success: false, errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate value found', fields: [] }] }
      : { id, success: true, errors: [] }
  )
const interview = (ok: boolean, message = '') => ({
  actionName: 'JLP_Payment_Failed_Follow_Up',
  errors: ok ? null : [{ statusCode: 'FLOW_ERROR', message, fields: [] }],
  isSuccess: ok,
  outputValues: ok ? { Flow__InterviewStatus: 'Finished' } : null
})

/** Answers receipt claims, the in-flight check (`inFlight` receipts), the Flow and receipt marks as a small org would. */
function org(
  flow: (req: Recorded) => [number, unknown],
  receipts: Array<string | 'dup'> = ['a0R1'],
  inFlight: Array<Record<string, unknown>> = []
) {
  return record((req) => {
    if (req.method === 'POST' && req.path === `${V}/composite/sobjects`) return [200, receipt(receipts)]
    if (req.method === 'GET' && req.path.startsWith(`${V}/query`)) return [200, rows(inFlight)]
    if (req.method === 'PATCH' && req.path === `${V}/composite/sobjects`)
      return [200, req.body.records.map((r: { id: string }) => ({ id: r.id, success: true, errors: [] }))]
    return flow(req)
  })
}

describe('triggerFlow: Flow', () => {
  it('claims the event’s receipt, runs the Flow with its input variables, marks the receipt done (3 calls)', async () => {
    const { seen } = org(() => [200, [interview(true)]])
    await testDestination.testAction('triggerFlow', { event: failed, settings, auth, mapping: flowMapping })
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${V}/composite/sobjects`,
      `POST ${FLOW}`,
      `PATCH ${V}/composite/sobjects`
    ])
    expect(seen[0].body).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'JLP_Event_Receipt__c' },
          JLP_Event_Id__c: `triggerFlow:JLP_Payment_Failed_Follow_Up:${failed.messageId}`,
          JLP_Action__c: 'triggerFlow'
        }
      ]
    })
    expect(seen[1].body).toEqual({
      inputs: [
        {
          supporterId: 'SUP-100004',
          email: 'gareth.llewellyn-jones@example.co.uk',
          subscriptionId: 'SUB-20002',
          amount: 4.34,
          failureReason: 'Insufficient funds',
          attemptNumber: 1,
          eventId: failed.messageId
        }
      ]
    })
    expect(executed()).toEqual({
      summary: 'Flow JLP_Payment_Failed_Follow_Up run (Finished)',
      records: [{ object: 'JLP_Payment_Failed_Follow_Up', change: 'invoked' }],
      apiCalls: 3
    })
    expect(seen[2].body.records).toEqual([
      { attributes: { type: 'JLP_Event_Receipt__c' }, id: 'a0R1', JLP_Record_Id__c: 'a0R1' }
    ])
  })

  it('a redelivered event finds its receipt done and does not run the Flow again (2 calls)', async () => {
    const { seen } = org(() => [500, 'must not be called'], ['dup'])
    await testDestination.testAction('triggerFlow', { event: failed, settings, auth, mapping: flowMapping })
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET'])
    expect(executed()).toMatchObject({ summary: 'Flow JLP_Payment_Failed_Follow_Up already run for this event' })
  })

  it('a redelivered event whose earlier run failed runs the Flow again', async () => {
    const key = `triggerFlow:JLP_Payment_Failed_Follow_Up:${failed.messageId}`
    const { seen } = org(() => [200, [interview(true)]], ['dup'], [{ Id: 'a0R9', JLP_Event_Id__c: key }])
    await testDestination.testAction('triggerFlow', { event: failed, settings, auth, mapping: flowMapping })
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'PATCH'])
    expect(seen[3].body.records[0]).toMatchObject({ id: 'a0R9', JLP_Record_Id__c: 'a0R9' })
    expect(executed()).toMatchObject({ summary: 'Flow JLP_Payment_Failed_Follow_Up run (Finished)' })
  })

  it('the Flow’s own error is the event’s error, and the receipt stays in flight so a retry runs it', async () => {
    const { seen } = org(() => [400, [interview(false, 'Subscription SUB-20002 is not in this org')]])
    const err = await testDestination
      .testAction('triggerFlow', { event: failed, settings, auth, mapping: flowMapping })
      .catch((e) => e)
    expect(err).toBeInstanceOf(IntegrationError)
    expect(err.code).toBe('FLOW_ERROR')
    expect(err.message).toContain('FLOW_ERROR: Subscription SUB-20002 is not in this org')
    expect(seen.map((r) => r.method)).toEqual(['POST', 'POST'])
  })

  it('an unknown Flow is a configuration error naming it', async () => {
    org(() => [404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]])
    const err = await testDestination
      .testAction('triggerFlow', { event: failed, settings, auth, mapping: { ...flowMapping, name: 'JLP_Nope' } })
      .catch((e) => e)
    expect(err).toBeInstanceOf(IntegrationError)
    expect(err.message).toMatch(/running the Flow JLP_Nope.*NOT_FOUND/)
  })

  it('a name that is not an API name never reaches a URL', async () => {
    const { seen } = org(() => [200, [interview(true)]])
    await expect(
      testDestination.testAction('triggerFlow', {
        event: failed,
        settings,
        auth,
        mapping: { ...flowMapping, name: '../sobjects/User' }
      })
    ).rejects.toThrow(/is not a Salesforce Flow API name/)
    expect(seen).toHaveLength(0)
  })

  it('a batch: one receipt call, one check, one Flow call for the new events, one mark; each event its own result', async () => {
    const { seen } = org(
      (req) => [200, req.body.inputs.map((_: unknown, i: number) => interview(i === 0, 'Card expired flow fault'))],
      ['a0R1', 'dup', 'a0R3']
    )
    const third = { ...finalAttempt, messageId: 'third' }
    const response = await testDestination.testBatchAction('triggerFlow', {
      events: [failed, finalAttempt, third],
      settings,
      auth,
      mapping: { ...flowMapping, enable_batching: true }
    })
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'PATCH'])
    expect(seen[2].body.inputs.map((i: { eventId: string }) => i.eventId)).toEqual([failed.messageId, 'third'])
    // Only the run that finished is marked done; the failed one stays in flight for the retry.
    expect(seen[3].body.records.map((r: { id: string }) => r.id)).toEqual(['a0R1'])
    const multi = testDestination.results.at(-1)?.multistatus ?? []
    expect(multi.map((m) => m.status)).toEqual([200, 200, 400])
    expect(multi[1]).toMatchObject({ body: { summary: expect.stringContaining('already run') } })
    expect(multi[2]).toMatchObject({ errormessage: expect.stringContaining('Card expired flow fault') })
    expect(response).toBeDefined()
  })
})

describe('triggerFlow: Platform Event', () => {
  it('publishes the event with its receipt in one all-or-none Composite call (1 call)', async () => {
    const { seen } = record(() => [
      200,
      composite(
        created('event', 'e00EVENT', {
          errors: [{ statusCode: 'OPERATION_ENQUEUED', message: '5b8c1d2e-uuid', fields: [] }]
        }),
        created('receipt', 'a0R1')
      )
    ])
    await testDestination.testAction('triggerFlow', { event: failed, settings, auth, mapping: eventMapping })
    expect(seen).toHaveLength(1)
    const { allOrNone, compositeRequest } = seen[0].body
    expect(allOrNone).toBe(true)
    expect(compositeRequest[0]).toEqual({
      method: 'POST',
      url: `${V}/sobjects/JLP_Payment_Failed__e`,
      referenceId: 'event',
      body: {
        Supporter_Id__c: 'SUP-100004',
        Email__c: 'gareth.llewellyn-jones@example.co.uk',
        Subscription_Id__c: 'SUB-20002',
        Amount__c: 4.34,
        Failure_Reason__c: 'Insufficient funds',
        Attempt__c: 1,
        Event_Id__c: failed.messageId
      }
    })
    expect(compositeRequest[1].body).toMatchObject({
      JLP_Event_Id__c: `triggerFlow:JLP_Payment_Failed__e:${failed.messageId}`,
      JLP_Record_Id__c: '@{event.id}'
    })
    expect(executed()).toEqual({
      summary: 'Platform Event JLP_Payment_Failed__e published (e00EVENT)',
      records: [{ object: 'JLP_Payment_Failed__e', id: 'e00EVENT', change: 'created' }],
      apiCalls: 1
    })
  })

  it('a redelivered event: the receipt is refused, the publish rolled back, nothing new', async () => {
    record(() => [200, composite(halted('event'), duplicate('receipt'))])
    await testDestination.testAction('triggerFlow', { event: failed, settings, auth, mapping: eventMapping })
    expect(executed()).toMatchObject({
      summary: 'Platform Event JLP_Payment_Failed__e already published for this event',
      records: [{ change: 'unchanged' }]
    })
  })

  it('a field the event does not have is Salesforce’s error, naming it', async () => {
    record(() => [
      200,
      composite(
        refused('event', 'INVALID_FIELD', "No such column 'Plan__c' on sobject of type JLP_Payment_Failed__e"),
        halted('receipt')
      )
    ])
    const err = await testDestination
      .testAction('triggerFlow', {
        event: failed,
        settings,
        auth,
        mapping: { ...eventMapping, values: { Plan__c: 'x' } }
      })
      .catch((e) => e)
    expect(err).toBeInstanceOf(IntegrationError)
    expect(err.message).toContain("INVALID_FIELD: No such column 'Plan__c'")
  })

  it('an object that is not a Platform Event is refused', async () => {
    const { seen } = record(() => [200, {}])
    await expect(
      testDestination.testAction('triggerFlow', {
        event: failed,
        settings,
        auth,
        mapping: { ...eventMapping, name: 'Contact' }
      })
    ).rejects.toThrow(/not a Platform Event/)
    expect(seen).toHaveLength(0)
  })
})

describe('triggerFlow: dynamic field', () => {
  it('lists the org’s Flows, or its Platform Events, by the target chosen', async () => {
    record((req) =>
      req.path.endsWith('/actions/custom/flow')
        ? [
            200,
            { actions: [{ label: 'JLP Payment Failed Follow-up', name: 'JLP_Payment_Failed_Follow_Up', type: 'FLOW' }] }
          ]
        : [
            200,
            {
              sobjects: [
                { name: 'Contact', label: 'Contact', createable: true, updateable: true, custom: false },
                { name: 'JLP_Payment_Failed__e', label: 'JLP Payment Failed', createable: true, custom: true }
              ]
            }
          ]
    )
    const flows = await testDestination.testDynamicField('triggerFlow', 'name', {
      settings,
      auth,
      payload: { target: 'flow' }
    })
    expect(flows).toEqual({
      choices: [
        { label: 'JLP Payment Failed Follow-up (JLP_Payment_Failed_Follow_Up)', value: 'JLP_Payment_Failed_Follow_Up' }
      ]
    })
    const events = await testDestination.testDynamicField('triggerFlow', 'name', {
      settings,
      auth,
      payload: { target: 'platform_event' }
    })
    expect(events).toEqual({
      choices: [{ label: 'JLP Payment Failed (JLP_Payment_Failed__e)', value: 'JLP_Payment_Failed__e' }]
    })
  })

  it('says what went wrong instead of an empty list', async () => {
    record(() => [403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'no access' }]])
    const answer = await testDestination.testDynamicField('triggerFlow', 'name', { settings, auth, payload: {} })
    expect(answer).toMatchObject({ choices: [], error: { message: expect.stringContaining('INSUFFICIENT_ACCESS') } })
  })
})
