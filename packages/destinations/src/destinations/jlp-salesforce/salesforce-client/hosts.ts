// Where requests go. The access token only ever travels to an https Salesforce host (checked with an anchored
// pattern) or — for tests, the local runner and the sandbox, when the runtime sets JLP_ALLOW_LOOPBACK=1 — to a
// loopback address. No setting can allow another host.
import { IntegrationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'

/** The one REST API version every request uses (Spring '26). */
export const SALESFORCE_API_VERSION = 'v66.0'

export const LOGIN_URLS = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com'
} as const

// One DNS label, then the Salesforce domains: *.my.salesforce.com, *.sandbox.my.salesforce.com, *.salesforce.com,
// *.force.com (e.g. *.my.site.com is not an API host), and Government Cloud's *.salesforce.mil.
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
const SALESFORCE_HOST = new RegExp(
  `^https://(?:${LABEL}\\.)+(?:salesforce\\.com|force\\.com|salesforce\\.mil)(?::443)?$`
)
const MY_DOMAIN_HOST = new RegExp(`^https://(?:${LABEL}\\.)+my\\.salesforce\\.(?:com|mil)(?::443)?$`)
const LOOPBACK = /^http:\/\/(?:127\.0\.0\.1|localhost):\d{1,5}$/

/** Loopback is allowed only by the runtime (tests, local runner, sandbox tooling), never by a setting. */
export function loopbackAllowed(): boolean {
  return typeof process !== 'undefined' && process.env?.JLP_ALLOW_LOOPBACK === '1'
}

const normalise = (url: string) =>
  url
    .trim()
    .replace(/\/+$/, '')
    .replace(/^([a-z]+:\/\/[^/]+)$/i, (m) => m.toLowerCase())

/**
 * The origin to send requests to, or undefined when `url` is not a Salesforce host (pure; exported for tests and
 * other runtimes). `https://evil.com/x.salesforce.com`, `http://x.my.salesforce.com`, `https://x.salesforce.com@evil`
 * and anything with a path, query or credentials are refused.
 */
export function salesforceOrigin(url: unknown, allowLoopback = loopbackAllowed()): string | undefined {
  if (typeof url !== 'string') return undefined
  const origin = normalise(url).replace(/:443$/, '')
  if (SALESFORCE_HOST.test(origin)) return origin
  if (allowLoopback && LOOPBACK.test(origin)) return origin
  return undefined
}

/** Whether an origin is an org's My Domain (what the client-credentials flow requires). */
export function isMyDomain(origin: string, allowLoopback = loopbackAllowed()): boolean {
  return MY_DOMAIN_HOST.test(origin) || (allowLoopback && LOOPBACK.test(origin))
}

/** The instance URL from the settings, checked; throws a readable error naming the setting. */
export function instanceOrigin(instanceUrl: unknown, setting = 'Instance URL'): string {
  const origin = salesforceOrigin(instanceUrl)
  if (!origin) {
    throw new IntegrationError(
      `The ${setting} ${quoted(instanceUrl ?? '')} is not a Salesforce address. Use your org's https address, ` +
        `e.g. https://yourcharity.my.salesforce.com (or a *.salesforce.com / *.force.com host).`,
      'INVALID_INSTANCE_URL',
      400
    )
  }
  return origin
}

/** `/services/data/v66.0` + path: every REST path the client builds starts here. */
export const dataPath = (path: string) => `/services/data/${SALESFORCE_API_VERSION}/${path.replace(/^\/+/, '')}`
