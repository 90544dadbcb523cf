import { InvalidAuthenticationError, RetryableError, createRequestClient } from '@segment/actions-core'
import nock from 'nock'
import { SalesforceClient, memoryTokenStore, refreshAccessToken, setTokenStore, tokenKey, type TokenStore } from '..'
import { HOST, V } from './fixture'

const SECRET = 'client-secret-DO-NOT-LEAK'
const REFRESH = 'refresh-token-DO-NOT-LEAK'
const request = createRequestClient()
const selfManaged = { instanceUrl: HOST, authMode: 'client_credentials', clientId: 'cid', clientSecret: SECRET }

/** A token endpoint that hands out tok-1, tok-2, … and records the forms it got. */
function tokenEndpoint(origin: string, answer?: [number, unknown]) {
  const forms: Array<Record<string, string>> = []
  nock(origin)
    .persist()
    .post('/services/oauth2/token', (body) => (forms.push(body), true))
    .reply(() => answer ?? [200, { access_token: `tok-${forms.length}`, instance_url: HOST, token_type: 'Bearer' }])
  return forms
}

beforeEach(() => setTokenStore(memoryTokenStore()))

describe('self-managed sign-in', () => {
  it('client credentials: one token from the My Domain token URL, cached across clients', async () => {
    const forms = tokenEndpoint(HOST)
    const api = nock(HOST, { reqheaders: { authorization: 'Bearer tok-1' } })
      .get(`${V}/limits`)
      .twice()
      .reply(200, {})
    await new SalesforceClient(request, selfManaged).testAuthentication()
    await new SalesforceClient(request, selfManaged).testAuthentication()
    expect(api.isDone()).toBe(true)
    expect(forms).toEqual([{ grant_type: 'client_credentials', client_id: 'cid', client_secret: SECRET }])
  })

  it('fetches one token when many requests start at once', async () => {
    const forms = tokenEndpoint(HOST)
    nock(HOST).get(`${V}/limits`).times(5).reply(200, {})
    await Promise.all(Array.from({ length: 5 }, () => new SalesforceClient(request, selfManaged).testAuthentication()))
    expect(forms).toHaveLength(1)
  })

  it('drops a token Salesforce no longer accepts and retries once with a new one', async () => {
    const forms = tokenEndpoint(HOST)
    nock(HOST, { reqheaders: { authorization: 'Bearer tok-1' } })
      .get(`${V}/limits`)
      .reply(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }])
    nock(HOST, { reqheaders: { authorization: 'Bearer tok-2' } })
      .get(`${V}/limits`)
      .reply(200, {})
    const c = new SalesforceClient(request, selfManaged)
    await c.testAuthentication()
    expect(forms).toHaveLength(2)
    expect(c.apiCalls).toBe(2)
  })

  it('gives up after one new token is refused too', async () => {
    tokenEndpoint(HOST)
    nock(HOST)
      .get(`${V}/limits`)
      .twice()
      .reply(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired' }])
    const err = await new SalesforceClient(request, selfManaged).testAuthentication().catch((e) => e)
    expect(err).toBeInstanceOf(InvalidAuthenticationError)
    expect(err.message).toMatch(/INVALID_SESSION_ID/)
  })

  it('client credentials need the org’s My Domain', async () => {
    const err = await new SalesforceClient(request, { ...selfManaged, instanceUrl: 'https://na139.salesforce.com' })
      .testAuthentication()
      .catch((e) => e)
    expect(err).toBeInstanceOf(InvalidAuthenticationError)
    expect(err.message).toMatch(/My Domain address.*not https:\/\/na139.salesforce.com/)
  })

  it('refresh token: asks the login URL (sandbox org), not the instance', async () => {
    const forms = tokenEndpoint('https://test.salesforce.com')
    nock(HOST, { reqheaders: { authorization: 'Bearer tok-1' } })
      .get(`${V}/limits`)
      .reply(200, {})
    const settings = {
      instanceUrl: HOST,
      authMode: 'refresh_token',
      loginUrl: 'https://test.salesforce.com',
      clientId: 'cid',
      refreshToken: REFRESH
    }
    await new SalesforceClient(request, settings).testAuthentication()
    expect(forms).toEqual([{ grant_type: 'refresh_token', client_id: 'cid', refresh_token: REFRESH }])
  })

  it('says which self-managed setting is missing', async () => {
    const err = await new SalesforceClient(request, { instanceUrl: HOST, authMode: 'refresh_token', clientId: 'cid' })
      .testAuthentication()
      .catch((e) => e)
    expect(err.message).toMatch(/Refresh token is not set/)
  })

  it('keeps tokens in the store it is given, under a key that does not contain the secret', async () => {
    tokenEndpoint(HOST)
    nock(HOST).get(`${V}/limits`).reply(200, {})
    const keys: string[] = []
    const inner = memoryTokenStore()
    const store: TokenStore = {
      load: (key, ttl, fetch) => (keys.push(key), inner.load(key, ttl, fetch)),
      delete: (key) => inner.delete(key)
    }
    setTokenStore(store)
    await new SalesforceClient(request, selfManaged).testAuthentication()
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(/^jlp-salesforce:token:[0-9a-f]{64}$/)
    expect(keys[0]).not.toContain(SECRET)
    expect(await tokenKey('u', ['a'])).not.toBe(await tokenKey('u', ['b']))
  })

  it('never puts a secret in an error', async () => {
    tokenEndpoint(HOST, [400, { error: 'invalid_client', error_description: 'invalid client credentials' }])
    const err = await new SalesforceClient(request, selfManaged).testAuthentication().catch((e) => e)
    expect(err).toBeInstanceOf(InvalidAuthenticationError)
    expect(err.message).toMatch(/invalid_client: invalid client credentials.*Connected App or External Client App/)
    expect(err.message).not.toContain(SECRET)
  })
})

describe('Segment-managed sign-in', () => {
  const oauth = { refreshToken: REFRESH, clientId: 'segment-app', clientSecret: SECRET }

  it.each([
    [undefined, 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    ['https://jlp.my.salesforce.com', 'https://jlp.my.salesforce.com']
  ])('refreshes the access token at the login URL (%s)', async (loginUrl, origin) => {
    const forms = tokenEndpoint(origin)
    const tokens = await refreshAccessToken(request, { instanceUrl: HOST, loginUrl }, oauth)
    expect(tokens).toEqual({ accessToken: 'tok-1' })
    expect(forms).toEqual([
      { grant_type: 'refresh_token', refresh_token: REFRESH, client_id: 'segment-app', client_secret: SECRET }
    ])
  })

  it('treats invalid_grant (two workers refreshing at once) as retryable', async () => {
    tokenEndpoint('https://login.salesforce.com', [
      400,
      { error: 'invalid_grant', error_description: 'token request is already being processed' }
    ])
    const err = await refreshAccessToken(request, { instanceUrl: HOST }, oauth).catch((e) => e)
    expect(err).toBeInstanceOf(RetryableError)
    expect(err.message).toMatch(/invalid_grant: token request is already being processed/)
  })

  it('refuses a login URL that is not Salesforce’s, before sending anything', async () => {
    const err = await refreshAccessToken(
      request,
      { instanceUrl: HOST, loginUrl: 'https://evil.com/login.salesforce.com' },
      oauth
    ).catch((e) => e)
    expect(err.message).toMatch(/Login URL .* is not a Salesforce address/)
  })

  it('says when the destination is not connected', async () => {
    const err = await new SalesforceClient(request, { instanceUrl: HOST }).testAuthentication().catch((e) => e)
    expect(err).toBeInstanceOf(InvalidAuthenticationError)
    expect(err.message).toMatch(/not connected to Salesforce/)
  })

  it('a self-managed refresh (the framework’s, after a 401) replaces the stored token', async () => {
    const forms = tokenEndpoint(HOST)
    expect(await refreshAccessToken(request, selfManaged, undefined)).toEqual({ accessToken: 'tok-1' })
    expect(await refreshAccessToken(request, selfManaged, undefined)).toEqual({ accessToken: 'tok-2' })
    expect(forms).toHaveLength(2)
  })
})
