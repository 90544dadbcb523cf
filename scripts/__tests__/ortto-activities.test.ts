import nock from 'nock'
import { run, type Io } from '../ortto-activities'

function io(env: NodeJS.ProcessEnv = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { env, out, err, log: (l) => out.push(l), error: (l) => err.push(l) }
}

const HOST = 'https://api.eu.ap3api.com'

describe('npm run ortto:activities', () => {
  it('prints every activity the presets send with its typed attribute ids', async () => {
    const o = io()
    expect(await run([], o)).toBe(0)
    const text = o.out.join('\n')
    expect(text).toMatch(/^12 Ortto custom activities/)
    expect(text).toContain('act:cm:product-added')
    expect(text).toMatch(/int:cm:draw-no\s+integer/)
    expect(text).toMatch(/act:cm:order-completed {2}\(tracks conversion value int::v\)/)
  })

  it('prints the definitions as Ortto’s API takes them', async () => {
    const o = io()
    await run(['--json'], o)
    const defs = JSON.parse(o.out.join('\n'))
    const cancelled = defs.find((d: { name: string }) => d.name === 'subscription-cancelled')
    expect(cancelled).toMatchObject({
      track_conversion_value: false,
      touch: true,
      filterable: true,
      visible_in_feeds: true,
      display_style: { type: 'activity' }
    })
    expect(cancelled.attributes).toEqual(
      expect.arrayContaining([
        { name: 'cancelled-at', display_type: 'date' },
        { name: 'reason', display_type: 'text' }
      ])
    )
  })

  it('needs an API key to create', async () => {
    const o = io()
    expect(await run(['--create'], o)).toBe(2)
    expect(o.err.join()).toMatch(/set ORTTO_API_KEY/)
  })

  it('creates each activity, modifies the ones that exist, and reports Ortto’s refusals', async () => {
    const created: string[] = []
    const modified: string[] = []
    nock(HOST)
      .post('/v1/definitions/activity/create')
      .times(12)
      .reply((_uri, body) => {
        const name = (body as { name: string }).name
        if (name === 'cart-viewed') return [400, { error: 'an activity with this name already exists' }]
        if (name === 'email-link-clicked') return [403, { error: 'custom activity limit reached' }]
        created.push(name)
        return [200, { custom_activity: { activity_field_id: `act:cm:${name}` } }]
      })
      .put('/v1/definitions/activity/modify')
      .reply((_uri, body) => {
        modified.push((body as { name: string }).name)
        return [200, {}]
      })
    const o = io({ ORTTO_API_KEY: 'k', ORTTO_REGION: 'eu' })
    expect(await run(['--create'], o)).toBe(1)
    expect(created).toHaveLength(10)
    expect(modified).toEqual(['cart-viewed'])
    expect(o.out).toContain('✓ act:cm:cart-viewed updated')
    expect(o.err.join('\n')).toMatch(/✗ act:cm:email-link-clicked: Ortto refused the API key/)
    expect(o.out.at(-1)).toBe('ortto:activities: 11 of 12 activities ready in Ortto')
  })

  it('flags an attribute Ortto did not make as the presets send it', async () => {
    nock(HOST)
      .post('/v1/definitions/activity/create')
      .times(12)
      .reply(200, { custom_activity: { attributes: [{ field_id: 'str:cm:something-else' }] } })
    const o = io({ ORTTO_API_KEY: 'k', ORTTO_REGION: 'eu' })
    expect(await run(['--create'], o)).toBe(1)
    expect(o.out.find((l) => l.startsWith('✓ act:cm:product-added'))).toMatch(/Ortto made no str:cm:product-id/)
  })
})
