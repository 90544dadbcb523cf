// The standalone command: its options and what it prints.
import { describeSandbox, optionsFromArgs } from '../cli'
import { useSandbox } from './helpers'

const current = useSandbox()

describe('sandbox CLI', () => {
  it('turns flags into sandbox options', () => {
    expect(
      optionsFromArgs([
        '--port',
        '4010',
        '--seed',
        '7',
        '--faults',
        '0.2',
        '--token-ttl',
        '60',
        '--duplicate-rule',
        '--https'
      ])
    ).toMatchObject({
      port: 4010,
      seed: 7,
      faults: { rate: 0.2 },
      tokenTtlSeconds: 60,
      duplicateRuleOnEmail: true,
      https: true
    })
    expect(optionsFromArgs([])).toMatchObject({ port: undefined, faults: undefined, https: false })
  })

  it.each([
    [['--faults', '2'], '--faults is a share of calls between 0 and 1'],
    [['--port', 'abc'], '--port must be a non-negative number, got "abc"'],
    [['--account-model', 'bucket'], '--account-model must be household, individual or none'],
    [['--colour'], "Unknown option '--colour'"]
  ])('refuses %j', (argv, message) => {
    expect(() => optionsFromArgs(argv)).toThrow(message)
  })

  it('prints the URLs and the local credentials, with a token that works', async () => {
    const sandbox = current()
    const text = describeSandbox(sandbox)
    expect(text).toContain(`Instance URL             ${sandbox.url}`)
    expect(text).toContain(`Client secret            ${sandbox.salesforce.clientSecret}`)
    expect(text).toContain(`API key (X-Api-Key)      ${sandbox.ortto.apiKey}`)
    const token = /Access token +(\S+)/.exec(text)![1]
    const res = await fetch(`${sandbox.url}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${token}` }
    })
    expect(res.status).toBe(200)
  })
})
