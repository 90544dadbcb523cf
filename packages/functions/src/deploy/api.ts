// The few Segment Public API calls a deploy needs, over fetch (REST, not the SDK, whose signatures change between
// versions). Answers are wrapped in {data}, errors in {errors: [{type, message, field}]}. Every failure becomes
// a PublicApiError with a sentence saying what to do; the token is only ever put in the Authorization header.
import type { FunctionSetting } from '../settings'

export const PUBLIC_API_HOSTS = {
  us: 'https://api.segmentapis.com',
  eu: 'https://eu1.api.segmentapis.com'
} as const

/** A Function as the Public API returns it (FunctionV1; the fields we use). */
export interface DeployedFunction {
  id: string
  displayName?: string
  description?: string
  resourceType?: string
  code?: string
  settings?: FunctionSetting[]
  deployedAt?: string | null
  logoUrl?: string
}

/** A version of a Function's code (alpha endpoint). */
export interface FunctionVersion {
  id: string
  isDeployed?: boolean
  createdAt?: string
  deployedAt?: string
}

export interface CreateFunctionBody {
  code: string
  displayName: string
  resourceType: 'DESTINATION'
  settings: FunctionSetting[]
  description: string
  logoUrl?: string
}

export interface UpdateFunctionBody {
  code: string
  settings: FunctionSetting[]
  description: string
  logoUrl?: string
}

export class PublicApiError extends Error {
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message)
    this.name = 'PublicApiError'
  }
}

interface ApiErrorBody {
  errors?: Array<{ type?: string; message?: string; field?: string }>
}

function segmentSays(body: unknown): string {
  const errors = (body as ApiErrorBody | undefined)?.errors ?? []
  const said = errors
    .map((e) => [e.field ? `${e.field}: ` : '', e.message ?? e.type ?? ''].join(''))
    .filter(Boolean)
    .join('; ')
  return said ? ` Segment says: ${said}` : ''
}

export interface PublicApiOptions {
  token: string
  /** The environment variable the token came from, to name it in messages (never its value). */
  tokenEnv: string
  eu?: boolean
  fetch?: typeof fetch
}

export class PublicApi {
  readonly baseUrl: string
  private readonly fetchImpl: typeof fetch

  constructor(private readonly options: PublicApiOptions) {
    this.baseUrl = options.eu ? PUBLIC_API_HOSTS.eu : PUBLIC_API_HOSTS.us
    this.fetchImpl = options.fetch ?? fetch
  }

  private explain(status: number, body: unknown, what: string, functionId?: string): PublicApiError {
    const env = `$${this.options.tokenEnv}`
    const region = this.options.eu ? 'EU (--eu)' : 'US (no --eu)'
    const messages: Record<number, string> = {
      401:
        `Segment refused the token in ${env} while ${what} (401 Unauthorized). Use a Public API token ` +
        `(Settings → Access Management → Tokens) of this workspace; it is a ${region} workspace request, so check --eu too.`,
      403:
        `The token in ${env} may not manage Functions (403 Forbidden) while ${what}. It needs the Workspace Owner ` +
        `or Functions Admin role, and the workspace needs Functions enabled.`,
      404: functionId
        ? `There is no Function ${functionId} in this ${region} workspace (404 Not Found) while ${what}. Check the id ` +
          `(Connections → Catalog → Functions) and whether the workspace is in the EU region (--eu).`
        : `Segment answered 404 Not Found while ${what}.`,
      422: `Segment rejected the request (422 Validation failure) while ${what}.`,
      429: `Segment's rate limit was reached (429) while ${what}: wait a minute and run the deploy again.`
    }
    const message = messages[status] ?? `Segment answered ${status} while ${what}.`
    return new PublicApiError(message + segmentSays(body), status)
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    what: string,
    body?: unknown,
    functionId?: string
  ): Promise<T> {
    let response: Response
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.options.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      })
    } catch (err) {
      const e = err as { cause?: { code?: string }; code?: string; message?: string }
      throw new PublicApiError(
        `Could not reach ${this.baseUrl} while ${what} (${e.cause?.code ?? e.code ?? e.message}).`
      )
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (!response.ok) throw this.explain(response.status, parsed, what, functionId)
    const data = (parsed as { data?: T } | undefined)?.data
    if (data === undefined) {
      throw new PublicApiError(`Segment answered ${response.status} without data while ${what}.`, response.status)
    }
    return data
  }

  async getFunction(id: string): Promise<DeployedFunction> {
    const path = `/functions/${encodeURIComponent(id)}`
    const data = await this.call<{ function: DeployedFunction }>('GET', path, `reading Function ${id}`, undefined, id)
    return data.function
  }

  /** Every destination Function of the workspace (all pages). */
  async listDestinationFunctions(): Promise<DeployedFunction[]> {
    const all: DeployedFunction[] = []
    let cursor: string | undefined
    do {
      const query = new URLSearchParams({ resourceType: 'DESTINATION', 'pagination.count': '100' })
      if (cursor) query.set('pagination.cursor', cursor)
      const data = await this.call<{ functions?: DeployedFunction[]; pagination?: { next?: string | null } }>(
        'GET',
        `/functions?${query}`,
        'listing destination Functions'
      )
      all.push(...(data.functions ?? []))
      cursor = data.pagination?.next ?? undefined
    } while (cursor)
    return all
  }

  async createFunction(body: CreateFunctionBody): Promise<DeployedFunction> {
    const data = await this.call<{ function: DeployedFunction }>(
      'POST',
      '/functions',
      `creating Function "${body.displayName}"`,
      body
    )
    return data.function
  }

  async updateFunction(id: string, body: UpdateFunctionBody): Promise<DeployedFunction> {
    const path = `/functions/${encodeURIComponent(id)}`
    const data = await this.call<{ function: DeployedFunction }>('PATCH', path, `updating Function ${id}`, body, id)
    return data.function
  }

  /** The Function's versions, newest first as Segment lists them. */
  async listVersions(id: string): Promise<FunctionVersion[]> {
    const query = new URLSearchParams({ 'pagination.count': '10' })
    const path = `/functions/${encodeURIComponent(id)}/versions?${query}`
    const data = await this.call<{ versions?: FunctionVersion[] }>(
      'GET',
      path,
      `listing versions of ${id}`,
      undefined,
      id
    )
    return data.versions ?? []
  }
}
