// A destination's settings as Destination Function settings, and back. Function settings are flat and typed
// STRING | BOOLEAN | ARRAY | TEXT_MAP, with no defaults and no enums: a choice becomes a STRING whose description
// lists the choices, a setting with a default becomes optional (the adapter fills the default in), a password
// becomes sensitive. One more setting, `presets`, picks which of the destination's presets run.
import {
  IntegrationError,
  type DestinationDefinition,
  type GlobalSetting,
  type JSONObject
} from '@segment/actions-core'
import { presetSubscriptions } from '@jlp/runner/src/presets'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

export type FunctionSettingType = 'STRING' | 'BOOLEAN' | 'ARRAY' | 'TEXT_MAP'

/** A setting as the Segment Public API takes it (FunctionSettingV1). */
export interface FunctionSetting {
  name: string
  label: string
  description: string
  type: FunctionSettingType
  required: boolean
  sensitive: boolean
}

/** The Function setting that picks presets by name. */
export const PRESETS_SETTING = 'presets'

const fieldsOf = (def: AnyDestination): Record<string, GlobalSetting> =>
  (def.authentication?.fields ?? {}) as Record<string, GlobalSetting>

const choicesOf = (field: GlobalSetting) =>
  (field.choices ?? []).map((c) => (typeof c === 'object' ? c : { value: c, label: String(c) }))

function typeOf(field: GlobalSetting): FunctionSettingType {
  if (field.multiple) return 'ARRAY'
  return field.type === 'boolean' ? 'BOOLEAN' : 'STRING'
}

function describe(field: GlobalSetting): string {
  const parts = [field.description.trim()]
  const choices = choicesOf(field)
  if (choices.length > 0) {
    parts.push(
      `One of: ${choices.map((c) => (c.label === String(c.value) ? `${c.value}` : `${c.value} (${c.label})`)).join(', ')}.`
    )
  }
  if (field.type === 'number') parts.push('A number.')
  if (field.default !== undefined && field.default !== '')
    parts.push(`Leave empty for ${JSON.stringify(field.default)}.`)
  return parts.join(' ')
}

/** The Function settings for a destination: its own settings, then `presets`. */
export function functionSettings(def: AnyDestination): FunctionSetting[] {
  const fields = fieldsOf(def)
  if (PRESETS_SETTING in fields) {
    throw new Error(`${def.name} has a setting named "${PRESETS_SETTING}", which the Function uses to pick presets.`)
  }
  const own = Object.entries(fields).map(([name, field]): FunctionSetting => ({
    name,
    label: field.label,
    description: describe(field),
    type: typeOf(field),
    required: field.required === true && field.default === undefined,
    sensitive: field.type === 'password'
  }))
  const names = presetSubscriptions(def).map((p) => p.name)
  return [
    ...own,
    {
      name: PRESETS_SETTING,
      label: 'Presets',
      description:
        `The presets to run, by name. Leave empty to run all ${names.length}: ` +
        names.map((n) => `"${n}"`).join(', ') +
        '.',
      type: 'ARRAY',
      required: false,
      sensitive: false
    }
  ]
}

const settingsError = (message: string) =>
  new IntegrationError(`Function settings: ${message}`, 'INVALID_SETTINGS', 400)

function convert(name: string, field: GlobalSetting, raw: unknown): JSONObject[string] | undefined {
  const empty = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0)
  if (empty) return field.default as JSONObject[string] | undefined
  if (field.multiple) {
    if (!Array.isArray(raw)) throw settingsError(`${field.label} (${name}) must be a list.`)
    return raw.map(String)
  }
  if (field.type === 'boolean') {
    if (typeof raw === 'boolean') return raw
    if (/^(true|false)$/i.test(String(raw))) return /^true$/i.test(String(raw))
    throw settingsError(`${field.label} (${name}) must be true or false, got "${raw}".`)
  }
  if (field.type === 'number') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim())
    if (!Number.isFinite(n)) throw settingsError(`${field.label} (${name}) must be a number, got "${raw}".`)
    return n
  }
  const value = String(raw).trim()
  const choices = choicesOf(field)
  if (choices.length > 0 && !choices.some((c) => String(c.value) === value)) {
    throw settingsError(
      `${field.label} (${name}) must be one of ${choices.map((c) => c.value).join(', ')}, got "${value}".`
    )
  }
  return value
}

export interface ResolvedSettings {
  /** The destination's settings, typed and with defaults, as its actions expect them. */
  settings: JSONObject
  /** The chosen preset names (empty: all). */
  presetNames: string[]
}

/** Function setting values (as Segment passes them to a handler) → the destination's settings and presets. */
export function resolveSettings(def: AnyDestination, values: Record<string, unknown> | undefined): ResolvedSettings {
  const input = values ?? {}
  const settings: JSONObject = {}
  const missing: string[] = []
  for (const [name, field] of Object.entries(fieldsOf(def))) {
    const value = convert(name, field, input[name])
    if (value !== undefined) settings[name] = value
    else if (field.required === true) missing.push(`${field.label} (${name})`)
  }
  if (missing.length > 0) throw settingsError(`fill in ${missing.join(', ')}.`)
  const chosen = input[PRESETS_SETTING]
  const presetNames = Array.isArray(chosen)
    ? chosen.map((n) => String(n).trim()).filter(Boolean)
    : typeof chosen === 'string' && chosen.trim()
      ? [chosen.trim()]
      : []
  return { settings, presetNames }
}
