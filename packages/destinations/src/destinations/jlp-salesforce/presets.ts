// Presets for the seed use cases "Lead Enrichment" and "Supporter Value Insights": each one the action's default
// mapping plus what its event needs differently.
import { defaultValues, type JSONObject, type Preset } from '@segment/actions-core'
import { EVENT_STAMP_FIELD } from './common-fields'
import createFollowUpTask from './createFollowUpTask'
import createOrUpdateLead from './createOrUpdateLead'
import logActivity from './logActivity'
import syncEventCampaign from './syncEventCampaign'
import triggerFlow from './triggerFlow'
import updateSupporterValue from './updateSupporterValue'
import upsertCustomObject from './upsertCustomObject'

const track = (event: string) => `type = "track" and event = "${event}"`

/** The default mapping without some fields (they are left unmapped), with overrides. */
function mapping(
  fields: Parameters<typeof defaultValues>[0],
  overrides: JSONObject,
  without: string[] = []
): JSONObject {
  const defaults = defaultValues(fields) as JSONObject
  for (const key of without) delete defaults[key]
  return { ...defaults, ...overrides }
}

const value = (event: string, name: string): Preset => ({
  name,
  subscribe: track(event),
  partnerAction: 'updateSupporterValue',
  mapping: mapping(updateSupporterValue.fields, {}),
  type: 'automatic'
})

/** Recurring status only: these events do not add to the total spend (the order they belong to does). */
const recurring = (event: string, name: string, status: string, productType?: string): Preset => ({
  name,
  subscribe: track(event),
  partnerAction: 'updateSupporterValue',
  mapping: mapping(
    updateSupporterValue.fields,
    { recurring_status: status, ...(productType ? { product_type: productType } : {}) },
    ['purchase_amount', 'purchase_date', 'lifetime_value', ...(productType ? [] : ['product_type'])]
  ),
  type: 'automatic'
})

export const presets: Preset[] = [
  {
    name: 'New registration becomes a Lead',
    subscribe: track('Registration Started'),
    partnerAction: 'createOrUpdateLead',
    mapping: mapping(createOrUpdateLead.fields, {}),
    type: 'automatic'
  },
  value('Purchase Completed', 'Purchase adds to the supporter’s total spend'),
  value('Order Completed', 'Completed order adds to the supporter’s total spend'),
  recurring(
    'Recurring Payment Created',
    'New subscription marks the supporter as recurring',
    'Active',
    'Lottery subscription'
  ),
  recurring('Subscription Cancelled', 'Cancelled subscription marks the supporter as cancelled', 'Cancelled'),
  ...ticketPurchasePresets(),
  ...activityPresets(),
  ...dunningPresets(),
  ...subscriptionRecordPresets()
]

/** Ticket purchases → the draw's Campaign, the buyer, an Opportunity per ticket (syncEventCampaign). Order Completed
 * carries the same purchase (same order id, so the same records): pick it instead when only the server reports
 * orders; with both, the second event of a purchase changes nothing. */
function ticketPurchasePresets(): Preset[] {
  const preset = (name: string, subscribe: string): Preset => ({
    name,
    subscribe,
    partnerAction: 'syncEventCampaign',
    mapping: mapping(syncEventCampaign.fields, {}),
    type: 'automatic'
  })
  return [
    preset(
      'Ticket purchase syncs the draw Campaign, buyer and an Opportunity per ticket',
      track('Ticket Purchase Completed')
    ),
    preset(
      'Completed order with tickets syncs the draw Campaign, buyer and an Opportunity per ticket',
      `${track('Order Completed')} and properties.tickets != null`
    )
  ]
}

/** A preset on one track event: the action's default mapping with overrides. */
function on(event: string, name: string, partnerAction: string, fields: object, overrides: JSONObject): Preset {
  return {
    name,
    subscribe: track(event),
    partnerAction,
    mapping: mapping(fields as Parameters<typeof defaultValues>[0], overrides),
    type: 'automatic'
  }
}

/** "Contact Activity Tracking": engagement as a completed Task on the supporter (logActivity); a viewed cart also
 * moves the cart's open Opportunity, when there is one, to Needs Analysis. */
function activityPresets(): Preset[] {
  const log = (name: string, event: string, overrides: JSONObject) =>
    on(event, name, 'logActivity', logActivity.fields, overrides)
  return [
    log('Product added is logged as an activity on the supporter', 'Product Added', {
      subject: { '@template': 'JLP: Product Added – {{properties.name}}' }
    }),
    log('Cart viewed is logged and moves the cart’s open Opportunity', 'Cart Viewed', {
      subject: { '@template': 'JLP: Cart Viewed – cart {{properties.cart_id}}' },
      update_opportunity: true,
      opportunity_stage: 'Needs Analysis'
    }),
    log('Email link click is logged as an email activity', 'Email Link Clicked', {
      subject: { '@template': 'JLP: Email Link Clicked – {{properties.campaign_name}}' },
      type: 'Email'
    })
  ]
}

/** "Dunning and Churn Prevention": a failed payment gets a follow-up Task for the care team, or hands over to a Flow
 * (which can assign a queue) or a Platform Event; a cancellation starts the win-back Flow. */
function dunningPresets(): Preset[] {
  const payment = {
    supporterId: { '@path': '$.userId' },
    email: { '@path': '$.context.traits.email' },
    subscriptionId: { '@path': '$.properties.subscription_id' },
    amount: { '@path': '$.properties.amount' },
    failureReason: { '@path': '$.properties.failure_reason' },
    attemptNumber: { '@path': '$.properties.attempt_number' },
    eventId: { '@path': '$.messageId' }
  }
  const flow = (name: string, event: string, target: string, values: JSONObject) =>
    on(event, name, 'triggerFlow', triggerFlow.fields, { target: 'flow', name: target, values })
  return [
    on(
      'Recurring Payment Failed',
      'Failed payment assigns a follow-up Task to the care team',
      'createFollowUpTask',
      createFollowUpTask.fields,
      {}
    ),
    flow('Failed payment starts the dunning Flow', 'Recurring Payment Failed', 'JLP_Payment_Failed_Follow_Up', payment),
    on(
      'Recurring Payment Failed',
      'Failed payment publishes the JLP_Payment_Failed__e Platform Event',
      'triggerFlow',
      triggerFlow.fields,
      {
        target: 'platform_event',
        name: 'JLP_Payment_Failed__e',
        values: {
          Supporter_Id__c: { '@path': '$.userId' },
          Email__c: { '@path': '$.context.traits.email' },
          Subscription_Id__c: { '@path': '$.properties.subscription_id' },
          Amount__c: { '@path': '$.properties.amount' },
          Failure_Reason__c: { '@path': '$.properties.failure_reason' },
          Attempt__c: { '@path': '$.properties.attempt_number' },
          Event_Id__c: { '@path': '$.messageId' }
        }
      }
    ),
    flow('Cancelled subscription starts the win-back Flow', 'Subscription Cancelled', 'JLP_Subscription_Cancelled', {
      supporterId: { '@path': '$.userId' },
      email: { '@path': '$.context.traits.email' },
      subscriptionId: { '@path': '$.properties.subscription_id' },
      reason: { '@path': '$.properties.reason' },
      eventId: { '@path': '$.messageId' }
    })
  ]
}

/** "Custom Objects": the supporter's subscription as a JLP Subscription record, keyed by its subscription id. */
function subscriptionRecordPresets(): Preset[] {
  const subscription = (name: string, event: string, values: JSONObject) =>
    on(event, name, 'upsertCustomObject', upsertCustomObject.fields, {
      object: 'JLP_Subscription__c',
      external_id_field: 'JLP_Subscription_Id__c',
      external_id: { '@path': '$.properties.subscription_id' },
      event_time_field: EVENT_STAMP_FIELD,
      values
    })
  return [
    subscription('New subscription is recorded as a JLP Subscription', 'Recurring Payment Created', {
      Status__c: 'Active',
      Amount__c: { '@path': '$.properties.amount' },
      Product_Type__c: { '@path': '$.properties.plan' },
      Start_Date__c: { '@path': '$.properties.start_date' }
    }),
    subscription('Failed payment marks the JLP Subscription', 'Recurring Payment Failed', {
      Status__c: 'Payment Failed',
      Failed_Payments__c: { '@path': '$.properties.attempt_number' }
    }),
    subscription('Cancelled subscription marks the JLP Subscription', 'Subscription Cancelled', {
      Status__c: 'Cancelled',
      Cancelled_Date__c: { '@path': '$.properties.cancelled_at' }
    })
  ]
}
