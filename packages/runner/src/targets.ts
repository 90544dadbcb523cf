// Where events go: the sandbox (default, no credentials) or a live org/workspace configured from
// environment variables named after each destination's settings, e.g. jlp-ortto's apiKey → JLP_ORTTO_API_KEY.
import type { DestinationDefinition, JSONObject } from '@segment/actions-core'
import { UsageError } from './usage-error'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDestination = DestinationDefinition<any>

const screamingSnake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()

/** Every live variable of a destination starts with this, e.g. JLP_ORTTO. */
export const envPrefix = (destinationKey: string): string => screamingSnake(destinationKey)

/** The environment variable that sets one setting of a destination for live runs. */
export function settingEnvVar(destinationKey: string, setting: string): string {
  return `${envPrefix(destinationKey)}_${screamingSnake(setting)}`
}

export interface SettingVariable {
  setting: string
  variable: string
  required: boolean
  secret: boolean
  description: string
}

export function settingVariables(destinationKey: string, def: AnyDestination): SettingVariable[] {
  return Object.entries(def.authentication?.fields ?? {}).map(([setting, field]) => ({
    setting,
    variable: settingEnvVar(destinationKey, setting),
    required: Boolean(field.required) && field.default === undefined,
    secret: field.type === 'password',
    description: field.description
  }))
}

/** Settings with a default in the definition (Segment fills these in when a destination is set up). */
export function settingDefaults(def: AnyDestination): JSONObject {
  const out: JSONObject = {}
  for (const [setting, field] of Object.entries(def.authentication?.fields ?? {})) {
    if (field.default !== undefined) out[setting] = field.default as JSONObject[string]
  }
  return out
}

/** The variables of this destination that are set (non-empty) in env. */
export function liveVariablesSet(destinationKey: string, def: AnyDestination, env: NodeJS.ProcessEnv): string[] {
  return settingVariables(destinationKey, def)
    .map((v) => v.variable)
    .filter((name) => (env[name] ?? '') !== '')
}

/** Settings for a live run, from env; a missing required variable is a UsageError naming it. */
export function liveSettings(destinationKey: string, def: AnyDestination, env: NodeJS.ProcessEnv): JSONObject {
  const settings: JSONObject = {}
  const missing: string[] = []
  for (const [setting, field] of Object.entries(def.authentication?.fields ?? {})) {
    const variable = settingEnvVar(destinationKey, setting)
    const raw = env[variable]
    if (raw === undefined || raw === '') {
      if (field.default !== undefined) settings[setting] = field.default as JSONObject[string]
      else if (field.required) missing.push(variable)
      continue
    }
    if (field.type === 'boolean') settings[setting] = /^(1|true|yes)$/i.test(raw)
    else if (field.type === 'number') {
      const n = Number(raw)
      if (!Number.isFinite(n)) throw new UsageError(`${variable} must be a number, got "${raw}"`)
      settings[setting] = n
    } else settings[setting] = raw
  }
  if (missing.length > 0) {
    throw new UsageError(
      `Missing credentials for ${destinationKey} (live target): set ${missing.join(', ')}. ` +
        `See docs/presets.md#${destinationKey} for every variable.`
    )
  }
  return settings
}
