import type { DestinationDefinition } from '@segment/actions-core'
import createFollowUpTask from './createFollowUpTask'
import createOrUpdateLead from './createOrUpdateLead'
import type { Settings } from './generated-types'
import logActivity from './logActivity'
import { presets } from './presets'
import { LOGIN_URLS, SalesforceClient, refreshAccessToken } from './salesforce-client'
import syncEventCampaign from './syncEventCampaign'
import triggerFlow from './triggerFlow'
import updateSupporterValue from './updateSupporterValue'
import upsertCustomObject from './upsertCustomObject'

export { setTokenStore, type TokenStore } from './salesforce-client'

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
          'Your Salesforce address, e.g. https://yourcharity.my.salesforce.com (set for you when you connect with ' +
          'Segment). Only https Salesforce hosts (*.salesforce.com, *.force.com) are accepted, so the access token ' +
          'never goes anywhere else.',
        type: 'string',
        format: 'uri',
        required: true
      },
      authMode: {
        label: 'Sign-in',
        description:
          'Segment: you connect with the Connect button and Segment keeps the token fresh (the usual choice). ' +
          'Self-managed, for Destination Functions and the local runner: the destination signs in itself with a ' +
          'Connected App or External Client App — with its client id and secret (client-credentials flow, needs ' +
          'the My Domain instance URL and a "Run As" user on the app), or with a refresh token you obtained once.',
        type: 'string',
        required: false,
        default: 'segment',
        choices: [
          { label: 'Connected through Segment', value: 'segment' },
          { label: 'Self-managed: client id and secret (client credentials)', value: 'client_credentials' },
          { label: 'Self-managed: refresh token', value: 'refresh_token' }
        ]
      },
      loginUrl: {
        label: 'Login URL',
        description:
          'Where tokens are refreshed: https://login.salesforce.com for production, https://test.salesforce.com ' +
          'for a sandbox org, or your My Domain (https://yourcharity.my.salesforce.com). The client-credentials ' +
          'flow always uses the Instance URL instead.',
        type: 'string',
        required: false,
        default: LOGIN_URLS.production
      },
      clientId: {
        label: 'Client id (self-managed)',
        description:
          'The consumer key of your Connected App or External Client App. Only for self-managed sign-in; leave ' +
          'empty when connected through Segment.',
        type: 'string',
        required: false
      },
      clientSecret: {
        label: 'Client secret (self-managed)',
        description:
          'The consumer secret of the same app. Needed for client credentials; optional with a refresh token. ' +
          'Never logged or shown in errors.',
        type: 'password',
        required: false
      },
      refreshToken: {
        label: 'Refresh token (self-managed)',
        description:
          'A refresh token issued to the app for the integration user (refresh-token sign-in only). Never logged ' +
          'or shown in errors.',
        type: 'password',
        required: false
      },
      contactExternalIdField: {
        label: 'Contact supporter id field',
        description:
          'API name of an External ID field on Contact that holds the JLP supporter id (e.g. JLP_Supporter_Id__c). ' +
          'When set, Contacts are matched by it: one API call, no duplicates even when events arrive twice at ' +
          'once. Leave empty to match Contacts by email.',
        type: 'string',
        required: false
      },
      leadExternalIdField: {
        label: 'Lead supporter id field',
        description:
          'API name of an External ID field on Lead that holds the JLP supporter id (e.g. JLP_Supporter_Id__c). ' +
          'Leave empty to match Leads by email.',
        type: 'string',
        required: false
      },
      multipleMatches: {
        label: 'When several records match',
        description:
          'When matching by email finds more than one Contact or Lead: update the most recently modified one, ' +
          'or fail the event with an error naming the email so the duplicates can be merged.',
        type: 'string',
        required: false,
        default: 'most_recent',
        choices: [
          { label: 'Use the most recently modified record', value: 'most_recent' },
          { label: 'Fail the event', value: 'fail' }
        ]
      },
      defaultCompany: {
        label: 'Company for individual supporters',
        description:
          'Salesforce requires a Company on every Lead. Supporters are people, so Leads get this value when the ' +
          'event has none (NPSP orgs commonly use "Individual").',
        type: 'string',
        required: false,
        default: 'Individual'
      }
    },
    testAuthentication: async (request, { settings, auth }) => {
      await new SalesforceClient(request, settings, auth).testAuthentication()
      return true
    },
    refreshAccessToken: (request, { settings, auth }) => refreshAccessToken(request, settings, auth)
  },
  actions: {
    createOrUpdateLead,
    updateSupporterValue,
    syncEventCampaign,
    logActivity,
    createFollowUpTask,
    triggerFlow,
    upsertCustomObject
  },
  presets
}

export default destination
