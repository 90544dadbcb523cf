import { PayloadValidationError, type SegmentEvent } from '@segment/actions-core'
import { getSample } from '@jlp/tracking-plan'
import { V, record } from '../../salesforce-client/__tests__/fixture'
import {
  auth,
  composite,
  created,
  duplicate,
  executed,
  halted,
  presetMapping,
  rows,
  settings,
  testDestination,
  unresolved
} from '../../logActivity/__tests__/answers'
import { ownerOf } from '..'

const CARE_USER = '005000000000001AAA'
const failed = getSample('Recurring Payment Failed', 'insufficient-funds')
const mapping = { ...presetMapping('createFollowUpTask', 'Recurring Payment Failed'), owner_id: CARE_USER }
const run = (event: object = failed, overrides: object = {}) =>
  testDestination.testAction('createFollowUpTask', {
    event: event as SegmentEvent,
    settings,
    auth,
    mapping: { ...mapping, ...overrides }
  })
const onContact = composite(rows('who', ['003GARETH']), created('task', '00TFOLLOW'), created('receipt', 'a0R'))

describe('createFollowUpTask', () => {
  it('assigns an open, high-priority Task due in 2 days to the care-team user, with the failure in its comments', async () => {
    const { seen } = record(() => [200, onContact])
    await run()
    expect(seen).toHaveLength(1)
    const [, task, receipt] = seen[0].body.compositeRequest
    expect(task.url).toBe(`${V}/sobjects/Task`)
    expect(task.body).toMatchObject({
      Subject: 'JLP: Recurring payment failed – attempt 1, Weekly Jumbo Draw – 1 line, paid monthly',
      ActivityDate: '2026-07-04',
      OwnerId: CARE_USER,
      Priority: 'High',
      Status: 'Not Started',
      JLP_Event_Id__c: 'payment-failed:PAY-20002-002:1',
      WhoId: '@{who.records[0].Id}'
    })
    expect(task.body.Description).toBe(
      [
        'A recurring payment failed. Please contact the supporter.',
        'Failure reason: Insufficient funds',
        'Failure code: insufficient_funds',
        'Attempt number: 1',
        'Final attempt: no',
        'Amount: 4.34',
        'Currency: GBP',
        'Plan: Weekly Jumbo Draw – 1 line, paid monthly',
        'Subscription id: SUB-20002',
        'Payment id: PAY-20002-002',
        'Next attempt: 2026-07-05T06:00:00.000Z'
      ].join('\n')
    )
    expect(receipt.body.JLP_Event_Id__c).toBe('createFollowUpTask:payment-failed:PAY-20002-002:1')
    expect(executed()).toEqual({
      summary: 'Task 00TFOLLOW created for follow-up on Contact 003GARETH',
      records: [{ object: 'Task', id: '00TFOLLOW', change: 'created' }],
      apiCalls: 1
    })
  })

  it('one Task per failed attempt: a re-sent event of the same attempt (new messageId) changes nothing', async () => {
    const { seen } = record(() => [200, composite(halted('who'), halted('task'), duplicate('receipt'))])
    await run({ ...failed, messageId: 'another-delivery' })
    expect(seen[0].body.compositeRequest[2].body.JLP_Event_Id__c).toBe(
      'createFollowUpTask:payment-failed:PAY-20002-002:1'
    )
    expect(executed()).toMatchObject({ summary: 'Task already created for follow-up for this event on Contact' })
  })

  it('a supporter Salesforce does not know gets a Lead with the follow-up (the default here)', async () => {
    const { seen } = record(() => [
      200,
      seen.length < 3
        ? composite(halted('who'), unresolved('task', 'who'), halted('receipt'))
        : composite(created('lead', '00QNEW', { created: true }), created('task', '00TF'), created('receipt', 'a0R'))
    ])
    await run()
    expect(seen).toHaveLength(3)
    expect(seen[2].body.compositeRequest[0]).toMatchObject({
      url: `${V}/sobjects/Lead/JLP_Supporter_Id__c/SUP-100004`,
      body: { LastName: 'Llewellyn-Jones', Email: 'gareth.llewellyn-jones@example.co.uk' }
    })
  })

  it('due date counts from the failure, in UTC', async () => {
    const { seen } = record(() => [200, onContact])
    await run(failed, { due_in_days: 0 })
    expect(seen[0].body.compositeRequest[1].body.ActivityDate).toBe('2026-07-02')
  })

  it.each([
    ['00G000000000001AAA', /is a queue: Salesforce does not let a queue own a Task.*Trigger Flow/],
    ['care-team', /must be a Salesforce User id/],
    ['', /owner_id/]
  ])('refuses "%s" as owner without calling Salesforce', async (owner, message) => {
    const { seen } = record(() => [200, onContact])
    await expect(run(failed, { owner_id: owner })).rejects.toThrow(message)
    expect(seen).toHaveLength(0)
    if (owner) expect(() => ownerOf(owner)).toThrow(PayloadValidationError)
  })

  it('accepts 15- and 18-character User ids', () => {
    expect(ownerOf('005000000000001')).toBe('005000000000001')
    expect(ownerOf(` ${CARE_USER} `)).toBe(CARE_USER)
  })

  it('an event without the payment id cannot say which attempt it is: refused', async () => {
    const { seen } = record(() => [200, onContact])
    const { payment_id: _gone, ...properties } = failed.properties
    await expect(run({ ...failed, properties })).rejects.toThrow(/follow-up key .* is incomplete/)
    expect(seen).toHaveLength(0)
  })
})
