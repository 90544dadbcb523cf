import { destinations } from '@jlp/destinations'
import { presetSubscriptions } from '@jlp/runner'
import type { DestinationDefinition } from '@segment/actions-core'
import { functionSettings, PRESETS_SETTING, resolveSettings } from '../settings'

const def: DestinationDefinition<Record<string, unknown>> = {
  name: 'Example',
  mode: 'cloud',
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: { label: 'API key', description: 'The key.', type: 'password', required: true },
      region: {
        label: 'Region',
        description: 'Where.',
        type: 'string',
        required: true,
        default: 'us',
        choices: [
          { label: 'United States', value: 'us' },
          { label: 'Europe', value: 'eu' }
        ]
      },
      sandbox: { label: 'Sandbox', description: 'Test org.', type: 'boolean', required: false },
      batchSize: { label: 'Batch size', description: 'Per call.', type: 'number', required: false, default: 50 }
    }
  },
  actions: {},
  presets: [
    { name: 'A', subscribe: 'type = "track"', partnerAction: 'x', mapping: {}, type: 'automatic' },
    { name: 'B', subscribe: 'type = "identify"', partnerAction: 'x', mapping: {}, type: 'automatic' }
  ]
}

describe('functionSettings', () => {
  const settings = functionSettings(def)
  const byName = Object.fromEntries(settings.map((s) => [s.name, s]))

  it('keeps every destination setting under its own name, then presets', () => {
    expect(settings.map((s) => s.name)).toEqual(['apiKey', 'region', 'sandbox', 'batchSize', PRESETS_SETTING])
  })

  it('marks passwords sensitive and required settings without a default required', () => {
    expect(byName.apiKey).toMatchObject({ type: 'STRING', required: true, sensitive: true })
    expect(byName.region).toMatchObject({ type: 'STRING', required: false, sensitive: false })
  })

  it('lists choices and the default in the description, since Function settings have no enum', () => {
    expect(byName.region.description).toBe('Where. One of: us (United States), eu (Europe). Leave empty for "us".')
    expect(byName.batchSize.description).toBe('Per call. A number. Leave empty for 50.')
  })

  it('maps booleans to BOOLEAN and presets to an ARRAY naming every preset', () => {
    expect(byName.sandbox.type).toBe('BOOLEAN')
    expect(byName.presets).toMatchObject({ type: 'ARRAY', required: false })
    expect(byName.presets.description).toContain('all 2: "A", "B"')
  })

  it('describes every registered destination with sensitive secrets and one presets setting', () => {
    for (const d of Object.values(destinations)) {
      const s = functionSettings(d)
      const fields = d.authentication?.fields ?? {}
      expect(s.map((x) => x.name)).toEqual([...Object.keys(fields), PRESETS_SETTING])
      for (const x of s) {
        expect(x.sensitive).toBe(fields[x.name]?.type === 'password')
        expect(['STRING', 'BOOLEAN', 'ARRAY', 'TEXT_MAP']).toContain(x.type)
        expect(x.label.length).toBeGreaterThan(0)
      }
      expect(s.at(-1)!.description).toContain(`all ${presetSubscriptions(d).length}`)
    }
  })
})

describe('resolveSettings', () => {
  it('fills defaults and converts types', () => {
    expect(resolveSettings(def, { apiKey: 'k', sandbox: 'true', batchSize: '20' })).toEqual({
      settings: { apiKey: 'k', region: 'us', sandbox: true, batchSize: 20 },
      presetNames: []
    })
  })

  it('passes the chosen presets on, trimmed, and treats an empty list as all', () => {
    expect(resolveSettings(def, { apiKey: 'k', presets: [' A ', ''] }).presetNames).toEqual(['A'])
    expect(resolveSettings(def, { apiKey: 'k', presets: [] }).presetNames).toEqual([])
  })

  it('refuses a value outside the choices, naming them', () => {
    expect(() => resolveSettings(def, { apiKey: 'k', region: 'mars' })).toThrow(
      'Function settings: Region (region) must be one of us, eu, got "mars".'
    )
  })

  it('names a missing required setting', () => {
    expect(() => resolveSettings(def, { region: 'eu' })).toThrow('Function settings: fill in API key (apiKey).')
  })

  it('refuses a number or boolean it cannot read', () => {
    expect(() => resolveSettings(def, { apiKey: 'k', batchSize: 'lots' })).toThrow('must be a number')
    expect(() => resolveSettings(def, { apiKey: 'k', sandbox: 'maybe' })).toThrow('must be true or false')
  })

  it('refuses a destination setting that would hide the presets setting', () => {
    const clash = {
      ...def,
      authentication: { scheme: 'custom' as const, fields: { presets: def.authentication!.fields.apiKey } }
    }
    expect(() => functionSettings(clash)).toThrow('has a setting named "presets"')
  })
})
