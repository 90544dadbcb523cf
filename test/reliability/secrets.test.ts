// Secrets never appear in logs, errors, reports, snapshots or the vendor's request log. Every credential is a
// recognisable fake (lib/secrets.ts) — and so is every access token the sandbox issues, learnt as the run goes.
// Both destinations run every sample of the tracking plan through every preset: one by one and in batches, with
// faults and a forced token refresh, with wrong credentials, signed in the Segment-managed way, with hostile
// payloads (the fuzzer), and as Function bundles. Every console line, error (message, stack, own properties),
// outcome, report, the sandbox's request log and every committed file is scanned; a control test shows the scanner
// finds each form of a planted secret.
import { execFileSync } from 'child_process'
import * as fs from 'fs'
import * as path from 'path'
import type { DestinationDefinition, JSONObject, SegmentEvent } from '@segment/actions-core'
import { destinations } from '@jlp/destinations'
import { buildFunction, loadFunction, memoryCache } from '@jlp/functions'
import {
  buildReport,
  deliver,
  destinationFor,
  formatReport,
  matchingPresets,
  presetSubscriptions,
  type DeliverOptions,
  type Target
} from '@jlp/runner'
import { listSamples } from '@jlp/tracking-plan'
import { withRequestObserver } from './lib/builds'
import { fuzzPool } from './lib/fuzz'
import { observedTargets, runFuzz } from './lib/fuzz-run'
import { RELIABILITY_FAULTS, destinationSettings, openSandboxVendor, type SandboxVendor } from './lib/sandbox'
import {
  FAKE_SECRETS,
  SecretScan,
  WRONG_SECRETS,
  captureOutput,
  findLeaks,
  isError,
  safeJson,
  secretForms
} from './lib/secrets'

const SEED = Number(process.env.RELIABILITY_SEED ?? 20261123)
/** Hostile cases through the fuzzer; the full run (RELIABILITY_FUZZ_RUNS) takes a tenth of its fuzz cases. */
const FUZZ_CASES = Math.max(150, Math.floor(Number(process.env.RELIABILITY_FUZZ_RUNS ?? 0) / 10))
const ROOT = path.resolve(__dirname, '../..')

jest.setTimeout(60_000 + FUZZ_CASES * 100)

const samples = listSamples().map((s) => s.sample as unknown as SegmentEvent)
const scan = new SecretScan({ ...FAKE_SECRETS, ...WRONG_SECRETS })
let vendor: SandboxVendor

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

/** The definition with every access token its requests carry or receive learnt as a secret. */
function learningTokens(def: AnyDestination): AnyDestination {
  return withRequestObserver(def, (_url, options, outcome) => {
    const auth = (options.headers as Record<string, string> | undefined)?.Authorization
    if (auth?.startsWith('Bearer ')) scan.addSecret('access token', auth.slice('Bearer '.length))
    const issued = (outcome.data as { access_token?: unknown } | undefined)?.access_token
    if (typeof issued === 'string') scan.addSecret('access token', issued)
  })
}

const learnt = new Map(Object.entries(destinations).map(([key, def]) => [key, learningTokens(def)]))

function targetsWith(settings: (key: string) => Record<string, unknown>): Target[] {
  return [...learnt].map(([key, def]) => ({
    key,
    def,
    settings: settings(key) as JSONObject,
    presets: presetSubscriptions(def)
  }))
}

/** Everything an error shows: its message, stack and own properties (a request's options would carry a key). */
const errorText = (err: unknown) => `${(err as Error)?.stack ?? ''}\n${safeJson(err)}`

/** Delivers the samples as the runner does and keeps what a person would see: console, outcomes, the report. */
async function delivered(label: string, targets: Target[], options: DeliverOptions = {}) {
  const { value: events, text } = await captureOutput(() => deliver(samples, targets, options))
  const report = buildReport({ target: 'the sandbox', destinations: targets.map((t) => t.key), events })
  scan.add(`console: ${label}`, text)
  scan.add(`outcomes: ${label}`, safeJson(events))
  scan.add(`report: ${label}`, `${formatReport(report)}\n${safeJson(report)}`)
  return events.flatMap((e) => e.runs)
}

/** Each sample through each matching preset with Destination.onEvent, keeping every thrown error whole. */
async function thrownErrors(label: string, targets: Target[]): Promise<unknown[]> {
  const errors: unknown[] = []
  const { text } = await captureOutput(async () => {
    for (const t of targets) {
      for (const event of samples) {
        for (const preset of matchingPresets(t.presets, event)) {
          try {
            await destinationFor(t.def).onEvent(event, { ...t.settings, subscription: preset as unknown as JSONObject })
          } catch (err) {
            errors.push(err)
          }
        }
      }
    }
  })
  scan.add(`console: ${label}`, text)
  errors.forEach((err) => scan.add(`errors: ${label}`, errorText(err)))
  return errors
}

beforeAll(async () => {
  vendor = await openSandboxVendor({ faultRate: 0, seed: SEED })
})
afterAll(() => vendor.close())

describe('the scanner', () => {
  it.each(Object.entries(FAKE_SECRETS))('finds %s planted as it is, base64, URL-encoded or in part', (name, secret) => {
    for (const [form, planted] of secretForms(secret)) {
      const leaks = findLeaks(`2026-11-23 INFO sent {"auth":"${planted}"} ok`, `planted ${form}`)
      expect(leaks).toEqual([expect.objectContaining({ secret: name, where: `planted ${form}` })])
      expect(leaks[0].context).not.toContain(planted)
    }
    const planted = new SecretScan(FAKE_SECRETS)
    planted.add('a log line', `token=${encodeURIComponent(secret)}`)
    expect(planted.leaks()).toHaveLength(1)
  })

  it('finds a secret learnt during the run, and nothing in ordinary text', () => {
    const learning = new SecretScan(FAKE_SECRETS)
    learning.add('a log line', 'Bearer 00D8d0000001JLP!9J2vDmmpUnuqn59HDwy4myTz')
    expect(learning.leaks()).toEqual([])
    learning.addSecret('access token', '00D8d0000001JLP!9J2vDmmpUnuqn59HDwy4myTz')
    expect(learning.leaks()).toEqual([expect.objectContaining({ secret: 'access token 5' })])
    expect(findLeaks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), 'README.md')).toEqual([])
  })
})

describe('no secret leaks', () => {
  it('running every sample through every preset, one by one and in batches', async () => {
    const targets = targetsWith((key) => vendor.settingsFor(key))
    const runs = [
      ...(await delivered('one by one', targets)),
      ...(await delivered('batches of 10', targets, { batchSize: 10 }))
    ]
    expect(runs.filter((r) => r.ok).length).toBeGreaterThan(runs.length / 2)
  })

  it('under faults, with expired tokens refreshed and retries', async () => {
    const tokenCalls = () => vendor.sandbox.audit.calls({ vendor: 'salesforce', endpoint: /oauth2\/token/ })
    const before = tokenCalls()
    vendor.sandbox.salesforce.expireTokens()
    vendor.sandbox.setFaults({ rate: 0.3, kinds: RELIABILITY_FAULTS, slowMs: 5, retryAfterSeconds: 0, seed: SEED })
    try {
      const targets = targetsWith((key) => vendor.settingsFor(key))
      const runs = await delivered('faults', targets, { retries: 3 })
      const errors = await thrownErrors('faults', targets)
      expect(runs.some((r) => r.attempts > 1)).toBe(true)
      expect(errors.length).toBeGreaterThan(0)
    } finally {
      vendor.sandbox.setFaults()
    }
    expect(vendor.faults().invalidSession).toBeGreaterThan(0)
    expect(tokenCalls()).toBeGreaterThan(before)
  })

  it('with wrong credentials: authentication errors, and the wrong secrets do not leak either', async () => {
    const wrong = (key: string) =>
      key === 'jlp-ortto'
        ? { ...vendor.settingsFor(key), apiKey: WRONG_SECRETS.wrongOrttoApiKey }
        : {
            ...vendor.settingsFor(key),
            refreshToken: WRONG_SECRETS.wrongSalesforceRefreshToken,
            clientSecret: WRONG_SECRETS.wrongSalesforceClientSecret
          }
    const targets = targetsWith(wrong)
    const runs = await delivered('wrong credentials', targets)
    const errors = await thrownErrors('wrong credentials', targets)
    expect(runs.length).toBeGreaterThan(0)
    expect(runs.every((r) => !r.ok)).toBe(true)
    for (const key of learnt.keys()) {
      expect(runs.some((r) => r.destination === key && r.error?.name === 'InvalidAuthenticationError')).toBe(true)
    }
    expect(errors.map((e) => (e as Error).name)).toContain('InvalidAuthenticationError')
    // A refresh token Salesforce does not know (invalid_grant) is retried, as two workers refreshing at once get
    // the same answer: still no secret in what it says.
    const revoked = targetsWith((key) => ({
      ...vendor.settingsFor(key),
      refreshToken: WRONG_SECRETS.wrongSalesforceRefreshToken
    })).filter((t) => t.key === 'jlp-salesforce')
    const retried = await thrownErrors('revoked refresh token', revoked)
    expect(retried.map((e) => (e as Error).name)).toContain('RetryableError')
    for (const t of targets) {
      const refused = await destinationFor(t.def)
        .testAuthentication(t.settings)
        .catch((e: unknown) => e)
      scan.add('errors: testAuthentication', errorText(refused))
      expect(refused).toBeInstanceOf(Error)
    }
  })

  it('signed in the Segment-managed way, the framework refreshing an expired token', async () => {
    const sf = vendor.sandbox.salesforce
    const oauth = {
      access_token: sf.accessToken(),
      refresh_token: FAKE_SECRETS.salesforceRefreshToken,
      clientId: FAKE_SECRETS.salesforceClientId,
      clientSecret: FAKE_SECRETS.salesforceClientSecret
    }
    const first = oauth.access_token
    scan.addSecret('access token', first)
    sf.expireTokens()
    const settings = (key: string) =>
      key === 'jlp-salesforce'
        ? { instanceUrl: sf.url, loginUrl: sf.url, authMode: 'segment', oauth }
        : vendor.settingsFor(key)
    const runs = await delivered('Segment-managed sign-in', targetsWith(settings))
    scan.addSecret('access token', oauth.access_token)
    expect(oauth.access_token).not.toBe(first)
    expect(runs.filter((r) => r.destination === 'jlp-salesforce' && r.ok).length).toBeGreaterThan(0)
  })

  it('with hostile payloads (the fuzzer): every error and log line', async () => {
    const { targets, backend } = observedTargets(targetsWith((key) => vendor.settingsFor(key)))
    const { value: report, text } = await captureOutput(() =>
      runFuzz({
        targets,
        backend,
        pool: fuzzPool(SEED, 100),
        numRuns: FUZZ_CASES,
        seed: SEED,
        onCase: (_c, result) => {
          if (result.thrown !== undefined) scan.add('errors: hostile payloads', errorText(result.thrown))
          for (const item of result.items) if (item.message) scan.add('errors: hostile payloads', item.message)
        }
      })
    )
    scan.add('console: hostile payloads', text)
    expect(report.failure).toBeUndefined()
    expect(report.cases).toBe(FUZZ_CASES)
  })

  it('in the Function bundles: their logs, errors and answers', async () => {
    for (const key of Object.keys(destinations)) {
      const cache = memoryCache()
      const fn = loadFunction((await buildFunction(key)).code, { env: { JLP_ALLOW_LOOPBACK: '1' }, cache })
      const settings = destinationSettings(vendor.sandbox, key)
      const answers: unknown[] = []
      for (const event of samples) {
        const handler = event.type === 'identify' ? 'onIdentify' : 'onTrack'
        answers.push(await fn.call(handler, event, settings).catch((err: unknown) => err))
      }
      answers.push(await fn.call('onBatch', samples, settings).catch((err: unknown) => err))
      answers.push(
        await fn.call('onTrack', samples[0], { ...settings, apiKey: 'x', refreshToken: 'x' }).catch((e) => e)
      )
      // The Functions cache is where a bundle keeps its token (not a log): what it holds is learnt, not scanned.
      const kept = [...cache.entries.values()].filter((v): v is string => typeof v === 'string')
      kept.forEach((token) => scan.addSecret('access token', token))
      if (key === 'jlp-salesforce') expect(kept.length).toBeGreaterThan(0)
      scan.add(`Function logs: ${key}`, fn.logs.join('\n'))
      answers.forEach((a) => scan.add(`Function answers: ${key}`, isError(a) ? errorText(a) : safeJson(a)))
      expect(answers.filter(isError).length).toBeGreaterThan(0)
      expect(answers.filter((a) => !isError(a)).length).toBeGreaterThan(0)
    }
  })

  it('in the sandbox’s request log and every committed file', () => {
    scan.add('sandbox request log', safeJson(vendor.sandbox.audit.log()))
    const ownFile = path.relative(ROOT, path.join(__dirname, 'lib/secrets.ts'))
    const committed = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && f !== ownFile && fs.existsSync(path.join(ROOT, f)))
    for (const file of committed) {
      const bytes = fs.readFileSync(path.join(ROOT, file))
      if (!bytes.includes(0)) scan.add('committed files', bytes.toString('utf8'))
    }

    const leaks = scan.leaks()
    const { sources, texts, lines, bytes } = scan.totals()
    console.log(
      `secrets scan: ${Object.keys(scan.secrets).length} secrets (${Object.keys(FAKE_SECRETS).length} credentials, ` +
        `${Object.keys(WRONG_SECRETS).length} wrong ones, the rest access tokens issued) in ${texts} texts, ` +
        `${lines.toLocaleString('en-GB')} lines, ${(bytes / 1e6).toFixed(1)} MB:\n` +
        Object.entries(sources)
          .map(([where, n]) => `  ${where}: ${n}`)
          .join('\n')
    )
    expect(Object.keys(scan.secrets).length).toBeGreaterThan(Object.keys(FAKE_SECRETS).length + 3)
    expect(leaks).toEqual([])
  })
})
