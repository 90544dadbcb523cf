import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'

// Skeleton: authentication, the Salesforce client, actions and presets are filled in by the
// jlp-salesforce issues.
const destination: DestinationDefinition<Settings> = {
  name: 'JLP Salesforce',
  slug: 'actions-jlp-salesforce',
  mode: 'cloud',
  description:
    'Sends Jumbo Lottery Platform supporter events to Salesforce: Leads, Contacts with supporter value, activities, follow-up tasks, draw Campaigns and ticket Opportunities.',
  authentication: {
    scheme: 'oauth2',
    fields: {
      instanceUrl: {
        label: 'Instance URL',
        description:
          'Your Salesforce instance URL, e.g. https://yourcharity.my.salesforce.com. Only Salesforce hosts are accepted.',
        type: 'string',
        format: 'uri',
        required: true
      }
    }
  },
  actions: {},
  presets: []
}

export default destination
