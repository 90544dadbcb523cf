// The org's OAuth 2.0 token endpoint (refresh_token and client_credentials grants, form-encoded) and the bearer
// tokens it issues, which expire after a configurable time; an expired or unknown token is INVALID_SESSION_ID.
import { createHmac, randomBytes } from 'crypto'
import type { Clock } from '../clock'
import { header, reply, type Reply, type SandboxRequest } from '../http'

export interface OAuthOptions {
  clientId: string
  clientSecret: string
  refreshTokens: string[]
  tokenTtlSeconds: number
  orgId: string
  clock: Clock
  userId: () => string
}

export type TokenCheck = 'valid' | 'missing' | 'invalid' | 'expired'

const oauthError = (status: number, error: string, description: string): Reply =>
  reply(status, { error, error_description: description })

export class OAuthServer {
  /** access token → expiry (ms). */
  private tokens = new Map<string, number>()
  private readonly refreshTokens: Set<string>

  constructor(private readonly options: OAuthOptions) {
    this.refreshTokens = new Set(options.refreshTokens)
  }

  /** Issue an access token as the token endpoint would (also for tests and the CLI). */
  issue(): string {
    const token = `${this.options.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`
    this.tokens.set(token, this.options.clock.now() + this.options.tokenTtlSeconds * 1000)
    return token
  }

  /** Make every issued access token expire now (the next call with one gets 401 INVALID_SESSION_ID). */
  expireAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0)
  }

  reset(): void {
    this.tokens.clear()
  }

  check(req: Pick<SandboxRequest, 'headers'>): TokenCheck {
    const auth = header(req, 'authorization')
    if (!auth) return 'missing'
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth.trim())
    const expires = m ? this.tokens.get(m[1]) : undefined
    if (expires === undefined) return 'invalid'
    return expires > this.options.clock.now() ? 'valid' : 'expired'
  }

  /** POST /services/oauth2/token. */
  token(req: SandboxRequest): Reply {
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'must use HTTP POST')
    const form = new URLSearchParams(req.body)
    const basic = /^Basic\s+(.+)$/i.exec(header(req, 'authorization') ?? '')
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1], 'base64').toString().split(':') : []
    const clientId = form.get('client_id') ?? basicId
    const clientSecret = form.get('client_secret') ?? basicSecret
    const grant = form.get('grant_type')
    if (grant !== 'refresh_token' && grant !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'grant type not supported')
    }
    if (clientId !== this.options.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid')
    if (grant === 'client_credentials' || clientSecret !== undefined) {
      if (clientSecret !== this.options.clientSecret)
        return oauthError(400, 'invalid_client', 'invalid client credentials')
    }
    if (grant === 'refresh_token' && !this.refreshTokens.has(form.get('refresh_token') ?? '')) {
      return oauthError(400, 'invalid_grant', 'expired access/refresh token')
    }
    const issuedAt = String(this.options.clock.now())
    const id = `https://login.salesforce.com/id/${this.options.orgId}/${this.options.userId()}`
    const signature = createHmac('sha256', this.options.clientSecret)
      .update(id + issuedAt)
      .digest('base64')
    return reply(200, {
      access_token: this.issue(),
      signature,
      scope: grant === 'refresh_token' ? 'refresh_token api' : 'api',
      instance_url: req.origin,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt
    })
  }
}
