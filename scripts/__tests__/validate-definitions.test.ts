import type { DestinationDefinition } from '@segment/actions-core'
import { destinations } from '@jlp/destinations'
import { checkFql, validateDestination } from '../lib/validate-definitions'

// A small, correct definition each scenario breaks in one place.
function fixture(): DestinationDefinition<Record<string, unknown>> {
  return {
    name: 'Fixture',
    mode: 'cloud',
    description: 'A destination used only by these tests.',
    authentication: {
      scheme: 'custom',
      fields: {
        region: {
          label: 'Region',
          description: 'Where the account lives.',
          type: 'string',
          default: 'eu',
          choices: [
            { label: 'EU', value: 'eu' },
            { label: 'US', value: 'us' }
          ]
        }
      }
    },
    actions: {
      logIt: {
        title: 'Log it',
        description: 'Logs an event for the tests.',
        defaultSubscription: 'type = "track"',
        fields: {
          email: { label: 'Email', description: 'The supporter email address.', type: 'string' },
          days: { label: 'Days', description: 'How many days until it is due.', type: 'integer', default: 3 }
        },
        perform: () => undefined
      }
    },
    presets: [
      {
        name: 'Log product added',
        type: 'automatic',
        partnerAction: 'logIt',
        subscribe: 'type = "track" and event = "Product Added"',
        mapping: { email: { '@path': '$.context.traits.email' } }
      }
    ]
  }
}

const messages = (def: DestinationDefinition<Record<string, unknown>>) =>
  validateDestination('fixture', def).map((p) => `${p.where}: ${p.message}`)

describe('validate', () => {
  it('accepts a correct definition', () => {
    expect(messages(fixture())).toEqual([])
  })

  it('catches a preset that names a missing action', () => {
    const def = fixture()
    def.presets![0] = { ...def.presets![0], partnerAction: 'sendToNowhere' } as never
    expect(messages(def)).toEqual([
      'fixture/preset "Log product added": partnerAction "sendToNowhere" is not an action of fixture'
    ])
  })

  it('catches a preset with malformed FQL', () => {
    const def = fixture()
    def.presets![0] = { ...def.presets![0], subscribe: 'type = "track" and event = ' } as never
    expect(messages(def)).toEqual([
      expect.stringContaining('fixture/preset "Log product added": subscribe is malformed')
    ])
  })

  it('catches FQL that does not parse at all, and a malformed defaultSubscription', () => {
    const def = fixture()
    def.presets![0] = { ...def.presets![0], subscribe: 'type = "track" and event = "Product' } as never
    def.actions.logIt.defaultSubscription = 'event == "x"'
    const found = messages(def)
    expect(found).toContainEqual(expect.stringContaining('subscribe does not parse'))
    expect(found).toContainEqual(expect.stringContaining('fixture/logIt: defaultSubscription is malformed'))
  })

  it('catches a preset mapping key that is not a field of its action', () => {
    const def = fixture()
    def.presets![0] = { ...def.presets![0], mapping: { emial: 'x' } } as never
    expect(messages(def)).toEqual(['fixture/preset "Log product added": mapping key "emial" is not a field of logIt'])
  })

  it('catches missing descriptions and defaults that do not fit their type or choices', () => {
    const def = fixture()
    def.actions.logIt.fields.email.description = ''
    def.actions.logIt.fields.days.default = 'three'
    def.authentication!.fields.region.default = 'apac'
    expect(messages(def)).toEqual([
      'fixture/settings/region: default "apac" is not one of its choices (eu, us)',
      'fixture/logIt/email: has no description a CSM can read (10+ characters)',
      'fixture/logIt/days: default "three" is not of type integer'
    ])
  })

  it('reads canonical FQL back as itself', () => {
    expect(checkFql('type = "track" and (event = "A" or event = "B")')).toBeUndefined()
    expect(checkFql('type = "track" and')).toMatch(/malformed/)
    expect(checkFql('')).toBe('is empty')
  })

  it('passes every destination this repository ships', () => {
    const problems = Object.entries(destinations).flatMap(([key, def]) => validateDestination(key, def))
    expect(problems).toEqual([])
  })
})
