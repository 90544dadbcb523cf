import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { OrttoClient } from './ortto-client'
import { presets } from './presets'
import trackOrttoActivity from './trackOrttoActivity'
import upsertOrttoPerson from './upsertOrttoPerson'

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
      },
      baseUrl: {
        label: 'API base URL (testing only)',
        description:
          'Leave empty: the region decides the host. Only an Ortto host (https://api.ap3api.com, ' +
          'https://api.au.ap3api.com, https://api.eu.ap3api.com) is accepted, so the key never goes elsewhere.',
        type: 'string',
        required: false
      }
    },
    testAuthentication: async (request, { settings }) => {
      await new OrttoClient(request, settings).testAuthentication()
      return true
    }
  },
  actions: {
    trackOrttoActivity,
    upsertOrttoPerson
  },
  presets
}

export default destination
