// Validates a Segment call against the tracking plan (the same rules the Protocols export carries) and
// words every problem so a customer-success manager can act on it, naming the property path.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { JSONSchema7 } from 'json-schema'
import { EVENT_NAMES, getEventDefinition, isEventName } from './catalogue'
import { globalRule, identifyRule, trackRule } from './schemas/event'

export type ValidationResult = { valid: boolean; errors: string[] }

const ajv = new Ajv({ allErrors: true })
addFormats(ajv)

const compiled = new Map<string, ValidateFunction>()
function validatorFor(key: string, schema: () => JSONSchema7): ValidateFunction {
  let fn = compiled.get(key)
  if (!fn) {
    fn = ajv.compile(schema())
    compiled.set(key, fn)
  }
  return fn
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Validate one call: a JLP track event (by its name) or an identify call (its traits). */
export function validateEvent(event: unknown): ValidationResult {
  if (!isObject(event)) return invalid(`The event must be a JSON object (got ${show(event)})`)
  if (event.type === 'identify') {
    return check('Identify', event, [
      validatorFor('global', () => globalRule),
      validatorFor('identify', () => identifyRule)
    ])
  }
  if (event.type !== 'track') {
    return invalid(`type ${show(event.type)} is not in the JLP tracking plan: it describes track and identify calls`)
  }
  const name = event.event
  if (typeof name !== 'string' || name === '') return invalid(`A track call needs an event name (got ${show(name)})`)
  if (!isEventName(name)) {
    return invalid(
      `Unknown event "${name}": it is not in the JLP tracking plan (known events: ${EVENT_NAMES.join(', ')})`
    )
  }
  const rule = () => trackRule(name, getEventDefinition(name)?.description ?? name)
  return check(name, event, [validatorFor('global', () => globalRule), validatorFor(name, rule)])
}

function invalid(message: string): ValidationResult {
  return { valid: false, errors: [message] }
}

function check(label: string, event: Record<string, unknown>, validators: ValidateFunction[]): ValidationResult {
  const errors = validators.flatMap((validate) =>
    validate(event) ? [] : (validate.errors ?? []).flatMap((e) => describe(e, event))
  )
  return { valid: errors.length === 0, errors: errors.map((message) => `${label}: ${message}`) }
}

/** '/properties/tickets/0/price' → 'properties.tickets[0].price' */
function pathOf(pointer: string, child?: string): string {
  const parts =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (child !== undefined) parts.push(child)
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '')
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data
  return pointer
    .slice(1)
    .split('/')
    .reduce<unknown>((v, p) => (isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[p] : undefined), data)
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

function describe(e: ErrorObject, event: unknown): string[] {
  // The anyOf on userId/anonymousId reports each branch: keep one sentence for it.
  if (e.schemaPath.startsWith('#/anyOf/')) return []
  const path = pathOf(e.instancePath) || 'the event'
  const got = `(got ${show(valueAt(event, e.instancePath))})`
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return [`${pathOf(e.instancePath, String(p.missingProperty))} is required`]
    case 'anyOf':
      return e.instancePath === '' ? ['needs a userId or an anonymousId'] : [`${path} ${e.message} ${got}`]
    case 'type':
      return [`${path} must be ${p.type} ${got}`]
    case 'format':
      return [`${path} must be a valid ${p.format} ${got}`]
    case 'enum':
      return [`${path} must be one of ${(p.allowedValues as unknown[]).join(', ')} ${got}`]
    case 'minimum':
      return [`${path} must be at least ${p.limit} ${got}`]
    case 'minLength':
      return [p.limit === 1 ? `${path} must not be empty` : `${path} must have at least ${p.limit} characters ${got}`]
    case 'minItems':
      return [`${path} must have at least ${p.limit} item${p.limit === 1 ? '' : 's'} ${got}`]
    case 'pattern':
      return [`${path} must match ${p.pattern} ${got}`]
    default:
      return [`${path} ${e.message} ${got}`]
  }
}
