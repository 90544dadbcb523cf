// Access tokens. Two modes:
// - Segment-managed ('segment'): Segment's OAuth service holds the refresh token; the framework passes the access
//   token in `auth` and calls `refreshAccessToken` (below) on a 401.
// - Self-managed ('client_credentials' | 'refresh_token'), for Destination Functions and the local runner: the
//   client fetches a token from the org itself, keeps it in a TokenStore (in-process by default; a Function backs it
//   with Segment's `cache`) until it expires or a 401 says otherwise. The store key is a SHA-256 of the token URL and
//   the credentials, never a secret in clear. Tokens and secrets are never logged or put in an error message.
// The username-password flow is deprecated by Salesforce and deliberately not offered.
import { InvalidAuthenticationError, RetryableError, type RequestClient } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'
import { mapSalesforceError, mapTransportError, sfErrors, type SalesforceError } from './errors'
import { LOGIN_URLS, instanceOrigin, isMyDomain } from './hosts'

export type AuthMode = 'segment' | 'client_credentials' | 'refresh_token'

/** The settings auth reads (a subset of the destination's Settings). */
export interface AuthSettings {
  instanceUrl: string
  authMode?: string
  loginUrl?: string
  clientId?: string
  clientSecret?: string
  refreshToken?: string
}

/** Where a self-managed token is kept. Segment Functions' `cache` global has exactly this shape. */
export interface TokenStore {
  /** The value under `key`, or `fetch()`'s, kept for `ttlMs`. */
  load(key: string, ttlMs: number, fetch: () => Promise<string>): Promise<string>
  delete(key: string): void | Promise<void>
}

/** An in-process store; concurrent loads of one key share one fetch (so one worker refreshes, not ten). */
export function memoryTokenStore(now: () => number = Date.now): TokenStore {
  const tokens = new Map<string, { value: string; expires: number }>()
  const inFlight = new Map<string, Promise<string>>()
  return {
    async load(key, ttlMs, fetch) {
      const hit = tokens.get(key)
      if (hit && hit.expires > now()) return hit.value
      const pending = inFlight.get(key)
      if (pending) return pending
      const fetching = fetch()
        .then((value) => {
          tokens.set(key, { value, expires: now() + ttlMs })
          return value
        })
        .finally(() => inFlight.delete(key))
      inFlight.set(key, fetching)
      return fetching
    },
    delete(key) {
      tokens.delete(key)
    }
  }
}

let store: TokenStore = memoryTokenStore()

/** Back self-managed tokens with another store (e.g. a Destination Function's `cache`). */
export function setTokenStore(next: TokenStore): void {
  store = next
}

/** How long a self-managed token is kept. Salesforce's token answer carries no lifetime (the session timeout is an
 * org setting, 15 minutes to 24 hours of inactivity); a 401 before then drops the token early. */
export const TOKEN_TTL_MS = 60 * 60 * 1000

export function authMode(settings: Pick<AuthSettings, 'authMode'>): AuthMode {
  const mode = settings.authMode ?? 'segment'
  if (mode === 'segment' || mode === 'client_credentials' || mode === 'refresh_token') return mode
  throw new InvalidAuthenticationError(
    `Unknown authentication mode ${quoted(mode)}: choose segment, client_credentials or refresh_token.`
  )
}

/** The login server for refresh-token flows: login/test.salesforce.com or a My Domain, checked like the instance. */
export function loginOrigin(settings: Pick<AuthSettings, 'loginUrl'>): string {
  return settings.loginUrl ? instanceOrigin(settings.loginUrl, 'Login URL') : LOGIN_URLS.production
}

const missing = (what: string) =>
  new InvalidAuthenticationError(`${what} is not set: self-managed sign-in needs it (see the destination settings).`)

interface TokenRequest {
  url: string
  form: Record<string, string>
  /** Secrets that identify the credentials (hashed into the store key). */
  identity: string[]
}

/** The token request self-managed settings call for. The client-credentials flow must use the org's own
 * My Domain token URL (login.salesforce.com refuses it). */
export function selfManagedTokenRequest(settings: AuthSettings, mode: AuthMode): TokenRequest {
  const { clientId, clientSecret, refreshToken } = settings
  if (!clientId) throw missing('Client id (consumer key)')
  if (mode === 'client_credentials') {
    if (!clientSecret) throw missing('Client secret (consumer secret)')
    const origin = instanceOrigin(settings.instanceUrl)
    if (!isMyDomain(origin)) {
      throw new InvalidAuthenticationError(
        `The client-credentials flow needs your org's My Domain address as the Instance URL ` +
          `(https://yourcharity.my.salesforce.com), not ${origin}.`
      )
    }
    return {
      url: `${origin}/services/oauth2/token`,
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      identity: [clientId, clientSecret]
    }
  }
  if (!refreshToken) throw missing('Refresh token')
  const form: Record<string, string> = { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }
  if (clientSecret) form.client_secret = clientSecret
  return { url: `${loginOrigin(settings)}/services/oauth2/token`, form, identity: [clientId, refreshToken] }
}

/** A store key that identifies the credentials without containing them. */
export async function tokenKey(url: string, identity: readonly string[]): Promise<string> {
  const data = new TextEncoder().encode([url, ...identity].join('\u0000'))
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data)
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
  return `jlp-salesforce:token:${hex}`
}

/** The error for an OAuth token endpoint's refusal. Two workers refreshing one refresh token at once get
 * 400 invalid_grant: that is retried (Salesforce's advice is to refresh from one place; a retry does). */
export function mapTokenError(status: number, body: unknown): SalesforceError {
  const [first] = sfErrors(body)
  const code = first?.errorCode ?? ''
  const reason = first ? `${code}${first.message ? `: ${first.message}` : ''}` : `HTTP ${status}`
  if (status >= 500 || status === 429) return mapSalesforceError(status, body, 'getting an access token')
  if (code === 'invalid_grant') {
    return new RetryableError(
      `Salesforce refused the token request (${reason}). This happens when two requests refresh at once and is ` +
        `retried; if it persists, the refresh token was revoked or the app is not approved for this user.`,
      503
    )
  }
  return new InvalidAuthenticationError(
    `Salesforce refused the token request (${reason}). Check the client id and secret of the Connected App or ` +
      `External Client App, and that its OAuth policies allow this flow.`
  )
}

/** POST a token request (form-encoded) through actions-core's request. */
export async function requestToken(request: RequestClient, req: TokenRequest): Promise<string> {
  let response: { status: number; data?: unknown; content?: string }
  try {
    response = await request(req.url, {
      method: 'POST',
      body: new URLSearchParams(req.form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      throwHttpErrors: false,
      skipResponseCloning: true
    })
  } catch (err) {
    throw mapTransportError(err, 'getting an access token')
  }
  const body = (response.data ?? response.content) as Record<string, unknown> | string | undefined
  if (response.status < 200 || response.status >= 300) throw mapTokenError(response.status, body)
  const data = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (typeof data.access_token !== 'string' || !data.access_token) {
    throw new InvalidAuthenticationError('Salesforce answered the token request without an access token.')
  }
  return data.access_token
}

/** A self-managed access token from the store (fetched once per key), or a fresh one after a 401. */
export async function selfManagedToken(
  request: RequestClient,
  settings: AuthSettings,
  options: { fresh?: boolean } = {}
): Promise<string> {
  const req = selfManagedTokenRequest(settings, authMode(settings))
  const key = await tokenKey(req.url, req.identity)
  if (options.fresh) await store.delete(key)
  return store.load(key, TOKEN_TTL_MS, () => requestToken(request, req))
}

/** Segment's OAuth data as the framework passes it to refreshAccessToken. */
export interface OAuthData {
  refreshToken?: string
  clientId?: string
  clientSecret?: string
}

/**
 * The destination's `refreshAccessToken`. Segment-managed: a refresh-token grant against the login server with
 * Segment's app credentials. Self-managed: the stored token is dropped and a new one fetched (and stored).
 */
export async function refreshAccessToken(
  request: RequestClient,
  settings: AuthSettings,
  auth: OAuthData | undefined
): Promise<{ accessToken: string }> {
  const mode = authMode(settings)
  if (mode !== 'segment') return { accessToken: await selfManagedToken(request, settings, { fresh: true }) }
  if (!auth?.refreshToken) {
    throw new InvalidAuthenticationError('There is no refresh token: reconnect the destination to Salesforce.')
  }
  const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: auth.refreshToken }
  if (auth.clientId) form.client_id = auth.clientId
  if (auth.clientSecret) form.client_secret = auth.clientSecret
  const url = `${loginOrigin(settings)}/services/oauth2/token`
  return { accessToken: await requestToken(request, { url, form, identity: [] }) }
}
