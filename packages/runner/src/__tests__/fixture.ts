// A vendor-free destination and its tiny "vendor" on 127.0.0.1, so the runtimes can be tested before (and
// independently of) the real destinations: it stores supporters by email and counts every API call.
import {
  InvalidAuthenticationError,
  MultiStatusResponse,
  PayloadValidationError,
  RetryableError,
  type ActionDefinition,
  type DestinationDefinition,
  type SegmentEvent
} from '@segment/actions-core'
import { outcome } from '@jlp/destinations'
import * as http from 'http'
import type { AddressInfo } from 'net'

export interface FixtureSettings {
  baseUrl: string
  apiKey: string
}

type Payload = {
  email: string
  plan?: string
}

/** A track event about one supporter, as the fixture's presets expect it. */
export const track = (event: string, email: string, plan = 'monthly'): SegmentEvent =>
  ({
    type: 'track',
    event,
    properties: { email, plan },
    messageId: `m-${event}-${email}`,
    timestamp: '2026-11-01T10:00:00Z'
  }) as SegmentEvent

export const GOOD_KEY = 'fixture-key-5ecr3t'

export interface FixtureVendor {
  url: string
  /** Every request the vendor answered (its audit). */
  calls: Array<{ method: string; path: string; status: number }>
  supporters: Map<string, { plan?: string; writes: number }>
  /** Emails whose next write answers 503 once. */
  flaky: Set<string>
  close(): Promise<void>
}

export async function startFixtureVendor(port = 0): Promise<FixtureVendor> {
  const vendor = { calls: [], supporters: new Map(), flaky: new Set<string>() } as unknown as FixtureVendor
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        vendor.calls.push({ method: req.method ?? '', path: req.url ?? '', status })
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
      }
      if (req.headers['x-api-key'] !== GOOD_KEY) return reply(401, { error: 'bad key' })
      if (req.url === '/me') return reply(200, { ok: true })
      if (req.url === '/plans') return reply(200, { plans: ['monthly', 'weekly'] })
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { people: Payload[] }
      for (const p of body.people) {
        if (vendor.flaky.delete(p.email)) return reply(503, { error: 'busy' })
      }
      const results = body.people.map((p) => {
        const existing = vendor.supporters.get(p.email)
        vendor.supporters.set(p.email, { plan: p.plan, writes: (existing?.writes ?? 0) + 1 })
        return { email: p.email, created: !existing }
      })
      reply(200, { results })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  vendor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  vendor.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  return vendor
}

const check = (email: string) => {
  if (!email.includes('@')) throw new PayloadValidationError(`"${email}" is not an email address`)
}

const remember: ActionDefinition<FixtureSettings, Payload> = {
  title: 'Remember supporter',
  description: 'Stores the supporter and their plan.',
  fields: {
    email: {
      label: 'Email',
      description: 'Supporter email.',
      type: 'string',
      required: true,
      default: { '@path': '$.properties.email' }
    },
    plan: {
      label: 'Plan',
      description: 'Which plan the supporter is on.',
      type: 'string',
      default: { '@path': '$.properties.plan' },
      dynamic: true
    }
  },
  dynamicFields: {
    plan: async (request, { settings }) => {
      const res = await request<{ plans: string[] }>(`${settings.baseUrl}/plans`)
      return { choices: res.data.plans.map((p) => ({ label: p, value: p })) }
    }
  },
  perform: async (request, { settings, payload }) => {
    const p = payload
    check(p.email)
    try {
      const res = await request<{ results: Array<{ created: boolean }> }>(`${settings.baseUrl}/people`, {
        method: 'post',
        json: { people: [p] }
      })
      const created = res.data.results[0].created
      return outcome(
        created ? 'Supporter created' : 'Supporter updated',
        [{ object: 'fixture:supporter', id: p.email, change: created ? 'created' : 'updated' }],
        1
      )
    } catch (err) {
      const status = (err as { response?: { status?: number } }).response?.status
      if (status === 503) throw new RetryableError('The fixture vendor is busy')
      if (status === 401) throw new InvalidAuthenticationError('The fixture vendor rejected the API key')
      throw err
    }
  },
  performBatch: async (request, { settings, payload }) => {
    const response = new MultiStatusResponse()
    const valid = payload.filter((p) => p.email.includes('@'))
    const res = await request<{ results: Array<{ created: boolean }> }>(`${settings.baseUrl}/people`, {
      method: 'post',
      json: { people: valid },
      throwHttpErrors: false
    })
    let k = 0
    for (const p of payload) {
      if (!p.email.includes('@')) {
        response.pushErrorResponse({ status: 400, errormessage: `"${p.email}" is not an email address` })
      } else if (res.status === 503) {
        response.pushErrorResponse({ status: 503, errormessage: 'The fixture vendor is busy' })
      } else {
        const created = res.data.results[k].created
        response.pushSuccessResponse({
          status: 200,
          sent: { email: p.email },
          body: outcome(
            created ? 'Supporter created' : 'Supporter updated',
            [{ object: 'fixture:supporter', id: p.email, change: created ? 'created' : 'updated' }],
            k === 0 ? 1 : 0
          )
        })
        k++
      }
    }
    return response
  }
}

export const fixture: DestinationDefinition<FixtureSettings> = {
  name: 'Fixture',
  mode: 'cloud',
  description: 'A test destination that remembers supporters.',
  authentication: {
    scheme: 'custom',
    fields: {
      baseUrl: { label: 'Base URL', description: 'Where the fixture vendor listens.', type: 'string', required: true },
      apiKey: {
        label: 'API key',
        description: 'The key the fixture vendor expects.',
        type: 'password',
        required: true
      },
      region: {
        label: 'Region',
        description: 'Which region, with a default.',
        type: 'string',
        required: true,
        default: 'default'
      }
    },
    testAuthentication: async (request, { settings }) => request(`${settings.baseUrl}/me`)
  },
  extendRequest: ({ settings }) => ({ headers: { 'X-Api-Key': settings?.apiKey ?? '' } }),
  actions: {
    remember
  },
  presets: [
    {
      name: 'Remember signups',
      type: 'automatic',
      partnerAction: 'remember',
      subscribe: 'type = "track" and event = "Signed Up"',
      mapping: { email: { '@path': '$.properties.email' }, plan: { '@path': '$.properties.plan' } }
    },
    {
      name: 'Remember plan changes',
      type: 'automatic',
      partnerAction: 'remember',
      subscribe: 'type = "track" and (event = "Plan Changed" or event = "Plan Renewed")',
      mapping: { email: { '@path': '$.properties.email' }, plan: { '@path': '$.properties.plan' } }
    }
  ]
}

export const fixtureTouches = { 'fixture:supporter': 'created, or updated when the email is known' }
