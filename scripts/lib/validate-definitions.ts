// Static checks over destination definitions — what upstream's `validate` command checks, as a pure function
// so tests can feed it broken definitions. `scripts/validate.ts` runs it over the registry.
import type { DestinationDefinition, MinimalInputField } from '@segment/actions-core'
import { generateFql, parseFql } from '@segment/destination-subscriptions'

export interface Problem {
  /** Where: destination/action/field or destination/preset. */
  where: string
  message: string
}

const isDirective = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.keys(value).some((k) => k.startsWith('@'))

/** A subscription is valid only when it parses and reads back as itself (parseFql alone accepts `event = `). */
export function checkFql(fql: string): string | undefined {
  if (typeof fql !== 'string' || fql.trim() === '') return 'is empty'
  const ast = parseFql(fql)
  if ('error' in ast) return `does not parse: ${fql}`
  const normalise = (s: string) => s.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim()
  const readBack = generateFql(ast)
  if (normalise(readBack) !== normalise(fql)) return `is malformed: "${fql}" reads as "${readBack}"`
  return undefined
}

const typeOfDefault: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  text: (v) => typeof v === 'string',
  password: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  datetime: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkDefault(where: string, field: MinimalInputField, problems: Problem[]): void {
  const value = field.default
  if (value === undefined || isDirective(value)) return
  const values = field.multiple && Array.isArray(value) ? value : [value]
  const fits = typeOfDefault[field.type]
  for (const v of values) {
    if (fits && !fits(v) && !(field.type === 'object' && isDirective(v))) {
      problems.push({ where, message: `default ${JSON.stringify(v)} is not of type ${field.type}` })
    }
    const choices = field.choices?.map((c) => (typeof c === 'string' ? c : c.value))
    if (choices && typeof v !== 'object' && !choices.includes(v as string)) {
      problems.push({
        where,
        message: `default ${JSON.stringify(v)} is not one of its choices (${choices.join(', ')})`
      })
    }
  }
}

function checkField(where: string, field: MinimalInputField, problems: Problem[]): void {
  if (!field.label) problems.push({ where, message: 'has no label' })
  if (!field.description || field.description.trim().length < 10)
    problems.push({ where, message: 'has no description a CSM can read (10+ characters)' })
  checkDefault(where, field, problems)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function validateDestination(key: string, def: DestinationDefinition<any>): Problem[] {
  const problems: Problem[] = []
  if (!def.description) problems.push({ where: key, message: 'destination has no description' })
  for (const [name, field] of Object.entries(def.authentication?.fields ?? {})) {
    checkField(`${key}/settings/${name}`, field, problems)
  }
  for (const [actionKey, action] of Object.entries(def.actions)) {
    const where = `${key}/${actionKey}`
    if (!action.title) problems.push({ where, message: 'action has no title' })
    if (!action.description) problems.push({ where, message: 'action has no description' })
    if (action.defaultSubscription !== undefined) {
      const bad = checkFql(action.defaultSubscription)
      if (bad) problems.push({ where, message: `defaultSubscription ${bad}` })
    }
    for (const [fieldKey, field] of Object.entries(action.fields)) {
      checkField(`${where}/${fieldKey}`, field, problems)
      for (const [propKey, prop] of Object.entries(field.properties ?? {})) {
        checkField(`${where}/${fieldKey}.${propKey}`, prop, problems)
      }
    }
  }
  const presetNames = new Set<string>()
  for (const preset of def.presets ?? []) {
    const where = `${key}/preset "${preset.name ?? '(unnamed)'}"`
    if (!preset.name) problems.push({ where, message: 'preset has no name' })
    else if (presetNames.has(preset.name)) problems.push({ where, message: 'preset name is used twice' })
    else presetNames.add(preset.name)
    const action = def.actions[preset.partnerAction]
    if (!action) {
      problems.push({ where, message: `partnerAction "${preset.partnerAction}" is not an action of ${key}` })
      continue
    }
    if (preset.type === 'automatic') {
      const bad = checkFql(preset.subscribe)
      if (bad) problems.push({ where, message: `subscribe ${bad}` })
    }
    for (const mappingKey of Object.keys(preset.mapping ?? {})) {
      if (mappingKey === 'enable_batching' || mappingKey === 'batch_size') continue
      if (!(mappingKey in action.fields)) {
        problems.push({ where, message: `mapping key "${mappingKey}" is not a field of ${preset.partnerAction}` })
      }
    }
  }
  return problems
}
