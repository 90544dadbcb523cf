// Presets: one activity preset for every JLP event, the person fields the four seed journeys test riding along
// with the events that change them, and identify → person. See docs/ortto-journeys.md.
import { defaultValues, type JSONObject, type Preset } from '@segment/actions-core'
import trackOrttoActivity from './trackOrttoActivity'
import upsertOrttoPerson from './upsertOrttoPerson'

const activityDefaults = defaultValues(trackOrttoActivity.fields)

export const trackPreset = (event: string, overrides: JSONObject = {}): Preset => ({
  name: `${event} → Ortto activity`,
  subscribe: `type = "track" and event = "${event}"`,
  partnerAction: 'trackOrttoActivity',
  mapping: { ...activityDefaults, ...overrides },
  type: 'automatic'
})

export const presets: Preset[] = [
  {
    name: 'Identify → Ortto person',
    subscribe: 'type = "identify"',
    partnerAction: 'upsertOrttoPerson',
    mapping: defaultValues(upsertOrttoPerson.fields),
    type: 'automatic'
  }
]
