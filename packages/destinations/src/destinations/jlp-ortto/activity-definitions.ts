// Ortto needs a custom activity defined before events of it arrive. These definitions are read off the presets
// (activity id, attribute mapping, conversion value) and the attribute catalogue (types), so what
// `npm run ortto:activities` creates is exactly what the presets send.
import type { Preset } from '@segment/actions-core'
import { customKind, type CatalogueEntry } from './common-fields'
import {
  ORTTO_DISPLAY_TYPE,
  kebab,
  toOrttoActivityId,
  toOrttoFieldId,
  type OrttoActivityDefinition,
  type OrttoValueKind
} from './ortto-client'
import { ACTIVITY_ATTRIBUTES } from './trackOrttoActivity/attributes'

/** The icon Ortto's docs use in their definition example; any icon of the instance can replace it there. */
export const DEFAULT_ICON = 'happy-illustration-icon'

export interface PlannedActivity {
  /** e.g. act:cm:product-added */
  activityId: string
  /** Presets that send it. */
  presets: string[]
  definition: OrttoActivityDefinition
  /** Attribute field ids the presets send, e.g. int:cm:draw-no (and int::v when revenue is tracked). */
  fieldIds: string[]
}

const EVENT_IN_FQL = /event = "((?:[^"\\]|\\.)+)"/

/** The activity a trackOrttoActivity preset sends: its literal `activity`, else the event its trigger names. */
export function activityIdOf(preset: Preset): string | undefined {
  const mapped = preset.mapping?.activity
  if (typeof mapped === 'string') return toOrttoActivityId(mapped)
  const event = preset.type === 'automatic' ? preset.subscribe.match(EVENT_IN_FQL)?.[1] : undefined
  return event ? toOrttoActivityId(event.replace(/\\"/g, '"')) : undefined
}

function attributesOf(preset: Preset): Array<{ name: string; kind: OrttoValueKind }> {
  const catalogue: Record<string, CatalogueEntry> = ACTIVITY_ATTRIBUTES
  const mapped = preset.mapping?.attributes
  const fromCatalogue = Object.keys(typeof mapped === 'object' && mapped !== null ? mapped : {})
    .filter((key) => key in catalogue)
    .map((key) => ({ name: key, kind: catalogue[key].kind }))
  const extra = preset.mapping?.additional_attributes
  const additional = Object.entries(typeof extra === 'object' && extra !== null ? extra : {}).map(([name, value]) => ({
    name,
    kind: customKind(name, value)
  }))
  return [...fromCatalogue, ...additional]
}

/** Every custom activity the presets send, with its Ortto definition. */
export function plannedActivities(presets: readonly Preset[]): PlannedActivity[] {
  const byId = new Map<string, PlannedActivity>()
  for (const preset of presets) {
    if (preset.partnerAction !== 'trackOrttoActivity') continue
    const activityId = activityIdOf(preset)
    if (!activityId) continue
    const planned = byId.get(activityId) ?? {
      activityId,
      presets: [],
      fieldIds: [],
      definition: {
        name: activityId.replace(/^act:[a-z]*:/, ''),
        icon_id: DEFAULT_ICON,
        track_conversion_value: false,
        touch: true,
        filterable: true,
        visible_in_feeds: true,
        display_style: { type: 'activity' },
        attributes: []
      }
    }
    planned.presets.push(preset.name ?? activityId)
    for (const { name, kind } of attributesOf(preset)) {
      const id = toOrttoFieldId(name, kind)
      if (planned.fieldIds.includes(id)) continue
      planned.fieldIds.push(id)
      planned.definition.attributes.push({
        name: id.split(':')[2] ?? kebab(name),
        display_type: ORTTO_DISPLAY_TYPE[kind]
      })
    }
    if (preset.mapping?.value !== undefined && !planned.fieldIds.includes('int::v')) {
      planned.definition.track_conversion_value = true
      planned.fieldIds.push('int::v')
    }
    byId.set(activityId, planned)
  }
  return [...byId.values()]
}
