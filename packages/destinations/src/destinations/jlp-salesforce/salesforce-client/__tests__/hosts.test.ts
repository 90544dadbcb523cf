import { SALESFORCE_API_VERSION, dataPath, instanceOrigin, isMyDomain, loopbackAllowed, salesforceOrigin } from '..'

describe('instance URL check', () => {
  it.each([
    ['https://jlp.my.salesforce.com', 'https://jlp.my.salesforce.com'],
    ['https://JLP.My.Salesforce.com/', 'https://jlp.my.salesforce.com'],
    ['https://jlp--uat.sandbox.my.salesforce.com', 'https://jlp--uat.sandbox.my.salesforce.com'],
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com:443', 'https://test.salesforce.com'],
    ['https://na139.salesforce.com', 'https://na139.salesforce.com'],
    ['https://jlp.lightning.force.com', 'https://jlp.lightning.force.com'],
    ['https://agency.my.salesforce.mil', 'https://agency.my.salesforce.mil']
  ])('accepts %s', (url, origin) => {
    expect(salesforceOrigin(url, false)).toBe(origin)
  })

  it.each([
    'https://evil.com/x.salesforce.com',
    'http://jlp.my.salesforce.com',
    'https://jlp.my.salesforce.com@evil.com',
    'https://evil.com#.salesforce.com',
    'https://evil.com?.salesforce.com',
    'https://evil.com\\.salesforce.com',
    'https://salesforce.com.evil.com',
    'https://evilsalesforce.com',
    'https://jlp.my.salesforce.com.evil.com',
    'https://jlp.my.salesforce.com:8443',
    'https://jlp.my.salesforce.com/services/data',
    'https://user:pw@jlp.my.salesforce.com',
    'https://-bad.salesforce.com',
    'https://jlp.my.site.com',
    'ftp://jlp.my.salesforce.com',
    'https://127.0.0.1:4010',
    'http://127.0.0.1:4010',
    '',
    ' '
  ])('refuses %s', (url) => {
    expect(salesforceOrigin(url, false)).toBeUndefined()
  })

  it('accepts loopback only when the runtime allows it, never https or another host', () => {
    expect(salesforceOrigin('http://127.0.0.1:4010', true)).toBe('http://127.0.0.1:4010')
    expect(salesforceOrigin('http://localhost:4010/', true)).toBe('http://localhost:4010')
    expect(salesforceOrigin('http://127.0.0.2:4010', true)).toBeUndefined()
    expect(salesforceOrigin('http://127.0.0.1', true)).toBeUndefined()
    expect(salesforceOrigin('http://127.0.0.1:4010/x', true)).toBeUndefined()
    expect(salesforceOrigin('http://127.0.0.1.evil.com:4010', true)).toBeUndefined()
  })

  it('reads the loopback allowance from JLP_ALLOW_LOOPBACK=1 only', () => {
    const before = process.env.JLP_ALLOW_LOOPBACK
    try {
      process.env.JLP_ALLOW_LOOPBACK = 'true'
      expect(loopbackAllowed()).toBe(false)
      expect(salesforceOrigin('http://127.0.0.1:4010')).toBeUndefined()
      process.env.JLP_ALLOW_LOOPBACK = '1'
      expect(salesforceOrigin('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010')
    } finally {
      if (before === undefined) delete process.env.JLP_ALLOW_LOOPBACK
      else process.env.JLP_ALLOW_LOOPBACK = before
    }
  })

  it('names the setting and shows an example when it refuses', () => {
    expect(() => instanceOrigin('https://evil.com/x.salesforce.com')).toThrow(
      /Instance URL "https:\/\/evil.com\/x.salesforce.com" is not a Salesforce address.*my\.salesforce\.com/
    )
  })

  it('knows a My Domain (what the client-credentials flow needs)', () => {
    expect(isMyDomain('https://jlp.my.salesforce.com', false)).toBe(true)
    expect(isMyDomain('https://jlp--uat.sandbox.my.salesforce.com', false)).toBe(true)
    expect(isMyDomain('https://login.salesforce.com', false)).toBe(false)
    expect(isMyDomain('https://na139.salesforce.com', false)).toBe(false)
  })

  it('pins one current API version in every REST path', () => {
    expect(SALESFORCE_API_VERSION).toBe('v66.0')
    expect(Number(SALESFORCE_API_VERSION.slice(1))).toBeGreaterThanOrEqual(62)
    expect(dataPath('/sobjects/Contact')).toBe('/services/data/v66.0/sobjects/Contact')
  })
})
