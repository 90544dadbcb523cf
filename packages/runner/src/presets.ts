// Presets → subscriptions: how a runtime outside Segment decides which actions an event triggers.
import type { DestinationDefinition, JSONObject, SegmentEvent } from '@segment/actions-core'
import { PayloadValidationError } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'

export interface PresetSubscription {
  name: string
  partnerAction: string
  subscribe: string
  mapping: JSONObject
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

/** The destination's automatic presets as subscriptions; `names` picks some (unknown names are an error). */
export function presetSubscriptions(def: AnyDestination, names?: readonly string[]): PresetSubscription[] {
  const all: PresetSubscription[] = (def.presets ?? []).flatMap((p) =>
    p.type === 'automatic' && p.name
      ? [{ name: p.name, partnerAction: p.partnerAction, subscribe: p.subscribe, mapping: p.mapping ?? {} }]
      : []
  )
  if (!names || names.length === 0) return all
  const unknown = names.filter((n) => !all.some((p) => p.name === n))
  if (unknown.length > 0) {
    throw new PayloadValidationError(
      `Unknown preset${unknown.length > 1 ? 's' : ''} for ${def.name}: ${unknown.map((n) => `"${n}"`).join(', ')}. ` +
        `Available: ${all.map((p) => `"${p.name}"`).join(', ')}`
    )
  }
  return all.filter((p) => names.includes(p.name))
}

/** The subscriptions whose trigger matches the event. */
export function matchingPresets(presets: readonly PresetSubscription[], event: SegmentEvent): PresetSubscription[] {
  return presets.filter((p) => validate(parseFql(p.subscribe), event))
}

/** Required fields of the preset's action that its mapping leaves empty and that have no default: whoever
 * enables the preset fills them in (in Segment, the CSM; locally, `--fill field=value` or the sandbox). */
export function presetNeeds(def: AnyDestination, preset: { partnerAction: string; mapping?: JSONObject }): string[] {
  const fields = def.actions[preset.partnerAction]?.fields ?? {}
  return Object.entries(fields)
    .filter(([key, f]) => f.required && f.default === undefined && (preset.mapping ?? {})[key] === undefined)
    .map(([key]) => key)
}

/** The preset with the values given for the fields it needs (fields it maps already are left alone). */
export function fillPreset(
  def: AnyDestination,
  preset: PresetSubscription,
  values: JSONObject
): { preset: PresetSubscription; filled: string[]; missing: string[] } {
  const needs = presetNeeds(def, preset)
  const filled = needs.filter((k) => values[k] !== undefined)
  const mapping = { ...preset.mapping, ...Object.fromEntries(filled.map((k) => [k, values[k]])) }
  return { preset: { ...preset, mapping }, filled, missing: needs.filter((k) => values[k] === undefined) }
}
