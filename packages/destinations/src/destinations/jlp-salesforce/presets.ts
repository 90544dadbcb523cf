// Presets for the seed use cases "Lead Enrichment" and "Supporter Value Insights": each one the action's default
// mapping plus what its event needs differently.
import { defaultValues, type JSONObject, type Preset } from '@segment/actions-core'
import createOrUpdateLead from './createOrUpdateLead'
import syncEventCampaign from './syncEventCampaign'
import updateSupporterValue from './updateSupporterValue'

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
  ...ticketPurchasePresets()
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
