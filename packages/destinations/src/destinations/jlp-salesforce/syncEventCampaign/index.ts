import type { ActionDefinition } from '@segment/actions-core'
import { outcome, type ActionOutcome, type TouchedRecord } from '../../../lib/outcome'
import type { Settings } from '../generated-types'
import {
  SalesforceClient,
  attempt,
  onlyResult,
  toMultiStatus,
  writeGraphs,
  type GraphSuccess
} from '../salesforce-client'
import { fields } from './fields'
import type { Payload } from './generated-types'
import { contactMatch, purchaseGraph } from './records'

/** One purchase's graph, the Contact matched as the settings say. */
const graphOf = (payload: Payload, settings: Settings) =>
  purchaseGraph(payload, contactMatch(payload, settings.contactExternalIdField))

const changeOf = (created?: boolean): TouchedRecord['change'] => (created ? 'created' : 'updated')

/** "Campaign created + Contact updated + 3 Opportunities created + CampaignMember created". */
export function describePurchase(result: GraphSuccess, apiCalls?: number): ActionOutcome {
  const written = result.records.filter((r) => r.created !== undefined)
  const part = (object: string, one: string, many: string) => {
    const records = written.filter((r) => r.object === object)
    if (records.length === 0) return []
    const created = records.filter((r) => r.created).length
    const change =
      created === records.length
        ? 'created'
        : created === 0
          ? 'updated'
          : `${created} created, ${records.length - created} updated`
    return [records.length === 1 ? `${one} ${change}` : `${records.length} ${many} ${change}`]
  }
  const summary = [
    ...part('Campaign', 'Campaign', 'Campaigns'),
    ...part('Contact', 'Contact', 'Contacts'),
    ...part('Opportunity', 'Opportunity', 'Opportunities'),
    ...part('OpportunityContactRole', 'contact role', 'contact roles'),
    ...part('CampaignMember', 'CampaignMember', 'CampaignMembers')
  ].join(' + ')
  const records = written.map((r) => ({ object: r.object, ...(r.id ? { id: r.id } : {}), change: changeOf(r.created) }))
  return outcome(summary, records, apiCalls)
}

const action: ActionDefinition<Settings, Payload> = {
  title: 'Sync Event Campaign',
  description:
    'A ticket purchase in one all-or-nothing Salesforce call: the draw or event as a Campaign (created by its first ' +
    'purchase, updated when it changes), the buyer as a Contact found by email or supporter id, one Opportunity ' +
    'per ticket and one for a donation, linked to the Campaign, the Account and the buyer, and the buyer as a ' +
    'CampaignMember. Every record is keyed, so a redelivered purchase changes nothing.',
  defaultSubscription: 'type = "track" and event = "Ticket Purchase Completed"',
  fields,
  perform: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const graph = graphOf(payload, settings)
    const result = onlyResult(await writeGraphs(client, [graph], `syncing order ${payload.order_id}`))
    return describePurchase(result, client.apiCalls)
  },
  performBatch: async (request, { settings, payload, auth }) => {
    const client = new SalesforceClient(request, settings, auth)
    const graphs = payload.map((p) => attempt(() => graphOf(p, settings)))
    const results = await writeGraphs(client, graphs, `syncing ${payload.length} ticket purchases`)
    return toMultiStatus(results, (result) => describePurchase(result))
  }
}

export default action
