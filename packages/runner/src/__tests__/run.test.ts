import {
  MultiStatusResponse,
  PayloadValidationError,
  RetryableError,
  type DestinationDefinition,
  type SegmentEvent
} from '@segment/actions-core'
import { outcome } from '@jlp/destinations'
import { matchingPresets, presetSubscriptions, runBatch, runEvent } from '..'

interface Payload {
  email: string
}

// A vendor-free destination: "remember" stores emails, failing on addresses that say how to fail.
const seen: string[] = []
const fail = (email: string) => {
  if (email.startsWith('retry')) throw new RetryableError('vendor busy')
  if (email.startsWith('bad')) throw new PayloadValidationError('email is not valid')
}
const def: DestinationDefinition<Record<string, never>> = {
  name: 'Fixture',
  mode: 'cloud',
  actions: {
    remember: {
      title: 'Remember',
      description: 'Remembers the supporter email.',
      fields: {
        email: {
          label: 'Email',
          description: 'Supporter email.',
          type: 'string',
          required: true,
          default: { '@path': '$.properties.email' }
        }
      },
      perform: (_request, { payload }) => {
        const { email } = payload as Payload
        fail(email)
        seen.push(email)
        return outcome(`remembered ${email}`, [{ object: 'Email', id: email, change: 'created' }])
      },
      performBatch: (_request, { payload }) => {
        const response = new MultiStatusResponse()
        for (const { email } of payload as Payload[]) {
          try {
            fail(email)
            seen.push(email)
            response.pushSuccessResponse({ status: 200, sent: { email }, body: outcome(`remembered ${email}`) })
          } catch (err) {
            response.pushErrorResponse({
              status: email.startsWith('retry') ? 503 : 400,
              errormessage: (err as Error).message
            })
          }
        }
        return response
      }
    }
  },
  presets: [
    {
      name: 'Remember added',
      type: 'automatic',
      partnerAction: 'remember',
      subscribe: 'type = "track" and event = "Product Added"',
      mapping: { email: { '@path': '$.properties.email' } }
    },
    {
      name: 'Remember viewed',
      type: 'automatic',
      partnerAction: 'remember',
      subscribe: 'type = "track" and event = "Cart Viewed"',
      mapping: { email: { '@path': '$.properties.email' } }
    }
  ]
}

const track = (event: string, email: string): SegmentEvent =>
  ({
    type: 'track',
    event,
    properties: { email },
    messageId: `m-${event}-${email}`,
    timestamp: '2026-11-01T10:00:00Z'
  }) as SegmentEvent

beforeEach(() => {
  seen.length = 0
})

describe('presets', () => {
  it('lists every automatic preset, picks by name, and names the unknown ones', () => {
    expect(presetSubscriptions(def).map((p) => p.name)).toEqual(['Remember added', 'Remember viewed'])
    expect(presetSubscriptions(def, ['Remember viewed']).map((p) => p.name)).toEqual(['Remember viewed'])
    expect(() => presetSubscriptions(def, ['Remember nothing'])).toThrow(
      'Unknown preset for Fixture: "Remember nothing". Available: "Remember added", "Remember viewed"'
    )
  })

  it('matches an event only to presets whose trigger it meets', () => {
    const presets = presetSubscriptions(def)
    expect(matchingPresets(presets, track('Cart Viewed', 'a@x.org')).map((p) => p.name)).toEqual(['Remember viewed'])
    expect(matchingPresets(presets, track('Order Completed', 'a@x.org'))).toEqual([])
  })
})

describe('runEvent', () => {
  it('returns the action outcome of the preset that fired', async () => {
    const runs = await runEvent(def, track('Product Added', 'jane@x.org'), {}, presetSubscriptions(def))
    expect(runs).toEqual([
      {
        preset: 'Remember added',
        action: 'remember',
        ok: true,
        outcome: expect.objectContaining({ summary: 'remembered jane@x.org' })
      }
    ])
    expect(seen).toEqual(['jane@x.org'])
  })

  it('reports a retryable failure and a bad payload differently', async () => {
    const presets = presetSubscriptions(def)
    const [retry] = await runEvent(def, track('Product Added', 'retry@x.org'), {}, presets)
    const [bad] = await runEvent(def, track('Product Added', 'bad@x.org'), {}, presets)
    expect(retry.error).toMatchObject({ name: 'RetryableError', retryable: true })
    expect(bad.error).toMatchObject({ name: 'PayloadValidationError', retryable: false, message: 'email is not valid' })
  })
})

describe('runBatch', () => {
  it('gives every event its own status, in the order given, across presets', async () => {
    const events = [
      track('Product Added', 'a@x.org'),
      track('Cart Viewed', 'retry@x.org'),
      track('Product Added', 'bad@x.org'),
      track('Order Completed', 'c@x.org'),
      track('Cart Viewed', 'd@x.org')
    ]
    const runs = await runBatch(def, events, {}, presetSubscriptions(def))
    expect(runs.map((r) => [r.index, r.preset, r.status])).toEqual([
      [0, 'Remember added', 200],
      [1, 'Remember viewed', 503],
      [2, 'Remember added', 400],
      [4, 'Remember viewed', 200]
    ])
    expect(runs[1].error?.retryable).toBe(true)
    expect(seen.sort()).toEqual(['a@x.org', 'd@x.org'])
  })
})
