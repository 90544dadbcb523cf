import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'

// Skeleton: the Ortto client, actions and presets are filled in by the jlp-ortto issue.
const destination: DestinationDefinition<Settings> = {
  name: 'JLP Ortto',
  slug: 'actions-jlp-ortto',
  mode: 'cloud',
  description:
    'Sends every Jumbo Lottery Platform event to Ortto as an activity and keeps supporter person fields current for journeys.',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'The key of a "Custom API" data source in Ortto (Settings → Data sources).',
        type: 'password',
        required: true
      },
      region: {
        label: 'Region',
        description: 'The region your Ortto instance is hosted in.',
        type: 'string',
        required: true,
        default: 'default',
        choices: [
          { label: 'Default (global)', value: 'default' },
          { label: 'Australia', value: 'au' },
          { label: 'Europe', value: 'eu' }
        ]
      }
    }
  },
  actions: {},
  presets: []
}

export default destination
