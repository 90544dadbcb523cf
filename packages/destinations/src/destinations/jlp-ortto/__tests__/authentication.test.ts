import { createTestIntegration } from '@segment/actions-core'
import nock from 'nock'
import destination from '..'

const testDestination = createTestIntegration(destination)
const SECRET = 'ortto-live-key-DO-NOT-LEAK'

describe('jlp-ortto authentication', () => {
  it('accepts a key Ortto accepts, with one call in the chosen region', async () => {
    const scope = nock('https://api.eu.ap3api.com', { reqheaders: { 'x-api-key': SECRET } })
      .post('/v1/person/get')
      .reply(200, { contacts: [], has_more: false })
    await expect(testDestination.testAuthentication({ apiKey: SECRET, region: 'eu' })).resolves.not.toThrow()
    expect(scope.isDone()).toBe(true)
  })

  it('says in words why a key is refused, without repeating it', async () => {
    nock('https://api.ap3api.com').post('/v1/person/get').reply(401, { error: 'Invalid API key' })
    const err = await testDestination.testAuthentication({ apiKey: SECRET, region: 'default' }).catch((e) => e)
    expect(err.message).toMatch(/Credentials are invalid: .*Ortto refused the API key .*Invalid API key.*region/)
    expect(err.message).not.toContain(SECRET)
  })

  it('never sends the key to a base URL that is not Ortto’s', async () => {
    const err = await testDestination
      .testAuthentication({ apiKey: SECRET, region: 'default', baseUrl: 'https://collector.example.com' })
      .catch((e) => e)
    expect(err.message).toMatch(/not an Ortto host/)
  })
})
