import { Destination, createTestIntegration, type JSONObject, type SegmentEvent } from '@segment/actions-core'
import nock from 'nock'
import { samples } from '@jlp/tracking-plan'
import definition from '..'
import type { Settings } from '../generated-types'
import { HOST, V } from '../salesforce-client/__tests__/fixture'

const SECRET = 'segment-app-secret-DO-NOT-LEAK'
/** Settings as Segment stores them for an OAuth destination: the tokens ride along under `oauth`. */
const connected = (instanceUrl: string, accessToken: string) => ({ instanceUrl, oauth: oauth(accessToken) }) as Settings
const oauth = (accessToken: string) => ({
  access_token: accessToken,
  refresh_token: 'refresh-DO-NOT-LEAK',
  clientId: 'segment-app',
  clientSecret: SECRET
})

describe('jlp-salesforce authentication', () => {
  it('tests the connection with one cheap authenticated call', async () => {
    const scope = nock(HOST, { reqheaders: { authorization: 'Bearer live-token' } })
      .get(`${V}/limits`)
      .reply(200, { DailyApiRequests: { Max: 15000, Remaining: 14000 } })
    await createTestIntegration(definition).testAuthentication(connected(HOST, 'live-token'))
    expect(scope.isDone()).toBe(true)
  })

  it('says in words why the connection fails, without the token', async () => {
    nock(HOST)
      .get(`${V}/limits`)
      .reply(403, [
        { errorCode: 'API_DISABLED_FOR_ORG', message: 'API is not enabled for this Organization or Partner' }
      ])
    const err = await createTestIntegration(definition)
      .testAuthentication(connected(HOST, 'live-token'))
      .catch((e) => e)
    expect(err.message).toMatch(/API_DISABLED_FOR_ORG: API is not enabled.*API access and permission/)
    expect(err.message).not.toContain('live-token')
  })

  it.each(['https://evil.com/x.salesforce.com', 'http://jlp.my.salesforce.com'])(
    'never sends the token to %s',
    async (instanceUrl) => {
      const err = await createTestIntegration(definition)
        .testAuthentication(connected(instanceUrl, 'live-token'))
        .catch((e) => e)
      expect(err.message).toMatch(/is not a Salesforce address/)
      expect(nock.pendingMocks()).toEqual([])
    }
  )

  it('on an expired token, the framework refreshes it at the login URL and the event goes through', async () => {
    const forms: unknown[] = []
    nock('https://login.salesforce.com')
      .post('/services/oauth2/token', (body) => (forms.push(body), true))
      .reply(200, { access_token: 'fresh-token', instance_url: HOST })
    nock(HOST, { reqheaders: { authorization: 'Bearer stale-token' } })
      .patch(`${V}/sobjects/Contact/JLP_Supporter_Id__c/SUP-100003`)
      .reply(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }])
    const fresh = nock(HOST, { reqheaders: { authorization: 'Bearer fresh-token' } })
      .patch(`${V}/sobjects/Contact/JLP_Supporter_Id__c/SUP-100003`)
      .reply(200, { id: '003PRIYA', success: true, created: false })
    const preset = definition.presets?.find((p) => p.name?.startsWith('Cancelled subscription'))
    const destination = new Destination(definition)
    const tokens: unknown[] = []
    const results = await destination.onEvent(
      samples.subscriptionCancelled.bySupporter as unknown as SegmentEvent,
      {
        instanceUrl: HOST,
        contactExternalIdField: 'JLP_Supporter_Id__c',
        oauth: oauth('stale-token'),
        subscription: {
          subscribe: preset && 'subscribe' in preset ? preset.subscribe : '',
          partnerAction: 'updateSupporterValue',
          // Without the newest-event field: the one-call upsert, so the refresh is what the test sees.
          mapping: { ...((preset && 'mapping' in preset ? preset.mapping : {}) as JSONObject), event_time_field: '' }
        }
      },
      { onTokenRefresh: async (t) => void tokens.push(t) }
    )
    expect(fresh.isDone()).toBe(true)
    expect(forms).toEqual([
      {
        grant_type: 'refresh_token',
        refresh_token: 'refresh-DO-NOT-LEAK',
        client_id: 'segment-app',
        client_secret: SECRET
      }
    ])
    expect(tokens).toEqual([{ accessToken: 'fresh-token' }])
    expect(results.at(-1)).toMatchObject({ data: { summary: 'Contact 003PRIYA updated', apiCalls: 1 } })
  })
})
