// npm start, replay and serve driven as a person would, against the fixture destination and its vendor.
import * as fs from 'fs'
import { createServer } from 'http'
import type { AddressInfo } from 'net'
import * as os from 'os'
import * as path from 'path'
import { runCli } from '../cli'
import { replayCommand, serveCommand, startCommand, type CommandContext, type SandboxOptions } from '../commands'
import { fixture, GOOD_KEY, startFixtureVendor, track, type FixtureVendor } from './fixture'

const journey = [
  track('Signed Up', 'jane@x.org'),
  track('Page Viewed', 'jane@x.org'),
  track('Plan Changed', 'jane@x.org', 'weekly')
]

interface Harness {
  ctx: CommandContext
  out: string[]
  err: string[]
  opened: SandboxOptions[]
  vendors: FixtureVendor[]
}

function harness(env: NodeJS.ProcessEnv = {}): Harness {
  const h = { out: [], err: [], opened: [], vendors: [] } as unknown as Harness
  h.ctx = {
    registry: { fixture },
    env,
    stdout: { write: (s: string) => h.out.push(s) },
    stderr: { write: (s: string) => h.err.push(s) },
    openSandbox: async (options) => {
      h.opened.push(options)
      const vendor = await startFixtureVendor(options.port)
      h.vendors.push(vendor)
      return {
        kind: 'sandbox',
        description: `the fixture sandbox at ${vendor.url}`,
        settingsFor: () => ({ baseUrl: vendor.url, apiKey: GOOD_KEY }),
        auditedApiCalls: () => ({ fixture: vendor.calls.length }),
        audit: () => [
          ['requests', vendor.calls.length],
          ['supporters', vendor.supporters.size]
        ],
        close: () => vendor.close()
      }
    },
    sampleEvents: () => journey,
    generateEvents: ({ seed, count }) =>
      Array.from({ length: count }, (_, i) => track(i % 2 ? 'Plan Renewed' : 'Signed Up', `s${seed}-${i % 7}@x.org`))
  }
  return h
}

const run = (h: Harness, command: typeof startCommand, argv: string[]) =>
  runCli(() => command(argv, h.ctx), { out: (t) => h.out.push(t), err: (t) => h.err.push(t) }, 'test')

describe('npm start', () => {
  it('replays the sample journeys on a fresh sandbox, prints the report and exits 0', async () => {
    const h = harness()
    expect(await run(h, startCommand, [])).toBe(0)
    const text = h.out.join('')
    expect(text).toContain('Events (3, sent to the fixture sandbox at http://127.0.0.1:')
    expect(text).toContain(
      '1  Signed Up  jane@x.org\n       ✓ fixture  Remember signups: Supporter created · 1 API call'
    )
    expect(text).toContain('2  Page Viewed  jane@x.org  — no preset fired')
    expect(text).toContain('Totals: 3 events, 2 fired a preset, 0 errors')
    expect(text).toContain(
      '  fixture: 2 API calls (sandbox audit: 2) · 2 preset runs, 0 failed\n    Fixture supporter  1 created, 1 updated\n'
    )
    expect(text).toContain('Sandbox audit\n  requests    2\n  supporters  1')
    expect(h.opened).toEqual([{ port: undefined }])
    expect(h.err).toEqual([])
  })

  it('mentions credentials found in the environment but stays on the sandbox without --live', async () => {
    const h = harness({ FIXTURE_API_KEY: 'live-key' })
    expect(await run(h, startCommand, [])).toBe(0)
    expect(h.err.join('')).toContain('Note: FIXTURE_API_KEY set — still using the sandbox. Add --live')
    expect(h.opened).toHaveLength(1)
  })

  it('with --live, sends to the credentials in the environment instead of the sandbox', async () => {
    const vendor = await startFixtureVendor()
    const h = harness({ FIXTURE_BASE_URL: vendor.url, FIXTURE_API_KEY: GOOD_KEY })
    expect(await run(h, startCommand, ['--live'])).toBe(0)
    expect(h.opened).toEqual([])
    expect(h.out.join('')).toContain('sent to LIVE credentials (fixture; from FIXTURE_*)')
    expect(vendor.supporters.get('jane@x.org')).toEqual({ plan: 'weekly', writes: 2 })
    await vendor.close()
  })

  it('with --live and a missing variable, names it and exits 2 before sending anything', async () => {
    const h = harness({ FIXTURE_BASE_URL: 'https://vendor.example' })
    expect(await run(h, startCommand, ['--live'])).toBe(2)
    expect(h.err.join('\n')).toBe(
      'test: Missing credentials for fixture (live target): set FIXTURE_API_KEY. See docs/presets.md#fixture for every variable.'
    )
  })

  it('with --live and rejected credentials, says so before sending any event', async () => {
    const vendor = await startFixtureVendor()
    const h = harness({ FIXTURE_BASE_URL: vendor.url, FIXTURE_API_KEY: 'wrong-key-77' })
    expect(await run(h, startCommand, ['--live'])).toBe(2)
    expect(h.err.join('\n')).toMatch(/^test: fixture refused the credentials in FIXTURE_\*: 401 /)
    expect(h.err.join('\n')).not.toContain('wrong-key-77')
    expect(vendor.calls).toEqual([{ method: 'GET', path: '/me', status: 401 }])
    await vendor.close()
  })

  it('names the missing variables of every chosen destination at once', async () => {
    const h = harness({})
    h.ctx.registry = { fixture, other: { ...fixture, name: 'Other' } }
    expect(await run(h, startCommand, ['--live'])).toBe(2)
    expect(h.err.join('\n')).toBe(
      'test: Missing credentials for fixture (live target): set FIXTURE_BASE_URL, FIXTURE_API_KEY. See docs/presets.md#fixture for every variable.\n' +
        'Missing credentials for other (live target): set OTHER_BASE_URL, OTHER_API_KEY. See docs/presets.md#other for every variable.'
    )
  })

  it.each([
    [['--destination', 'jlp-nowhere'], 'test: Unknown destination "jlp-nowhere". Available: fixture'],
    [
      ['--preset', 'Remember all'],
      'test: Unknown preset "Remember all". Available:\n  fixture: "Remember signups", "Remember plan changes"'
    ],
    [['--frobnicate'], "test: Unknown option '--frobnicate'"],
    [['--batch', 'many'], 'test: --batch must be a whole number ≥ 1, got "many"'],
    [['--fill', 'owner_id'], 'test: --fill takes field=value (e.g. --fill owner_id=0058d000001AbCd), got "owner_id"']
  ])('%j → a one-line message and exit 2', async (argv, message) => {
    const h = harness()
    expect(await run(h, startCommand, argv)).toBe(2)
    expect(h.err.join('\n').startsWith(message)).toBe(true)
    expect(h.opened).toEqual([])
  })

  it('fills a required preset field left for the CSM from --fill, and says so', async () => {
    const remember = fixture.actions.remember
    // A new name: actions-core caches payload schemas by "<destination name>:<action title>".
    const strict = {
      ...fixture,
      name: 'Fixture needing a plan',
      actions: {
        remember: {
          ...remember,
          fields: { ...remember.fields, plan: { ...remember.fields.plan, required: true, default: undefined } }
        }
      },
      presets: [{ ...fixture.presets![0], mapping: { email: { '@path': '$.properties.email' } } }]
    }
    const without = harness()
    without.ctx.registry = { fixture: strict }
    expect(await run(without, startCommand, [])).toBe(1)
    expect(without.out.join('')).toContain(
      'Note: fixture "Remember signups" needs Plan (plan); it fails until you pass --fill plan=<value>.'
    )
    const withFill = harness()
    withFill.ctx.registry = { fixture: strict }
    expect(await run(withFill, startCommand, ['--fill', 'plan=gold'])).toBe(0)
    expect(withFill.out.join('')).toContain(
      'Note: fixture "Remember signups" needs values a CSM fills in; this run uses Plan (plan) = "gold".'
    )
    expect(withFill.vendors[0].supporters.get('jane@x.org')).toEqual({ plan: 'gold', writes: 1 })
  })

  it('says when the sandbox port is busy', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    const h = harness()
    expect(await run(h, startCommand, ['--sandbox-port', String(port)])).toBe(2)
    expect(h.err.join('')).toBe(
      `test: The sandbox port ${port} is busy (another program is using it): pass --sandbox-port <n> ` +
        '(or JLP_SANDBOX_PORT=<n>) for another port, or leave both out to use any free port'
    )
    await new Promise((resolve) => blocker.close(resolve))
  })
})

describe('npm run replay', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jlp-replay-'))
  const file = (name: string, lines: string[]) => {
    const f = path.join(dir, name)
    fs.writeFileSync(f, lines.join('\n'))
    return f
  }

  it('sends a file of events and ends with the report and the sandbox audit, totals matching it', async () => {
    const f = file(
      'ok.ndjson',
      [...journey, track('Signed Up', 'sam@x.org')].map((e) => JSON.stringify(e))
    )
    const h = harness()
    expect(await run(h, replayCommand, ['--file', f])).toBe(0)
    const text = h.out.join('')
    const vendor = h.vendors[0]
    expect(text).toContain(`fixture: ${vendor.calls.length} API calls (sandbox audit: ${vendor.calls.length})`)
    expect(text).toContain(`Fixture supporter  ${vendor.supporters.size} created, 1 updated`)
    expect(text).toContain(`Sandbox audit\n  requests    3\n  supporters  2`)
  })

  it('names the malformed line of an event file', async () => {
    const f = file('bad.ndjson', [
      JSON.stringify(journey[0]),
      '{"type": "track", "event": ',
      JSON.stringify(journey[1])
    ])
    const h = harness()
    expect(await run(h, replayCommand, ['--file', f])).toBe(2)
    expect(h.err.join('')).toMatch(
      new RegExp(`^test: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2: not valid JSON`)
    )
    expect(h.opened).toEqual([])
  })

  it('generates events with a seed, lists the first 20 and totals them all', async () => {
    const h = harness()
    expect(await run(h, replayCommand, ['--generate', '30', '--seed', '4'])).toBe(0)
    const text = h.out.join('')
    expect(text).toContain('s4-0@x.org')
    expect(text).toContain('… 10 more events')
    expect(text).toContain('Totals: 30 events, 30 fired a preset, 0 errors')
    expect(text).toContain('Fixture supporter  7 created, 23 updated')
  })

  it('passes faults and their seed to the sandbox', async () => {
    const h = harness()
    expect(await run(h, replayCommand, ['--generate', '2', '--faults', '0.2', '--seed', '7'])).toBe(0)
    expect(h.opened).toEqual([{ port: undefined, faults: { rate: 0.2, seed: 7 } }])
  })

  it.each([
    [[], 'test: Give either --file <events.ndjson> or --generate <n>'],
    [['--file', 'a.ndjson', '--generate', '3'], 'test: Give either --file <events.ndjson> or --generate <n>'],
    [['--file', '/no/such.ndjson'], 'test: /no/such.ndjson: no such file'],
    [['--generate', '3', '--target', 'prod'], 'test: --target must be sandbox or live, got "prod"'],
    [['--generate', '3', '--faults', '2'], 'test: --faults must be a number from 0 to 1, got "2"'],
    [['--generate', '3', '--faults', '0.2', '--target', 'live'], 'test: --faults only works with the sandbox'],
    [
      ['--generate', '3', '--target', 'live'],
      'test: Missing credentials for fixture (live target): set FIXTURE_BASE_URL, FIXTURE_API_KEY.'
    ],
    [
      ['--generate', '3', '--destination', 'jlp-ortto,fixture'],
      'test: Unknown destination "jlp-ortto". Available: fixture'
    ]
  ])('%j → a clear message and exit 2', async (argv, message) => {
    const h = harness()
    expect(await run(h, replayCommand, argv)).toBe(2)
    expect(h.err.join('\n').startsWith(message)).toBe(true)
  })
})

describe('npm run serve', () => {
  it('serves the registry with the sandbox as default settings, then closes both', async () => {
    const h = harness()
    const serving = await serveCommand(['--port', '0'], h.ctx)
    if (typeof serving === 'number') throw new Error('serve did not start')
    expect(h.out.join('')).toContain(`Serving fixture at ${serving.server.url} (upstream: the fixture sandbox at`)
    const res = await fetch(`${serving.server.url}/fixture/remember`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: journey[0] })
    })
    expect(res.status).toBe(200)
    expect(h.vendors[0].supporters.has('jane@x.org')).toBe(true)
    await serving.close()
    await expect(fetch(`${serving.server.url}/manifest`)).rejects.toThrow()
  })

  it('names an unknown root destination', async () => {
    const h = harness()
    await expect(serveCommand(['--destination', 'nope'], h.ctx)).rejects.toThrow(
      'Unknown destination "nope". Available: fixture'
    )
  })
})
