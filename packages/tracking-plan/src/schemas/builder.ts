// Small typed JSON Schema (draft-07) builders. Each schema carries the TypeScript type it describes as a
// phantom, so `obj<T>()({...})` only compiles when the schema lists exactly T's keys, with the same
// optionality and matching value types: the hand-written types in ../types.ts and the schemas cannot drift.
import type { JSONSchema7 } from 'json-schema'

/** A JSON Schema that describes values of type T (T exists only for the compiler). */
export type Schema<T> = JSONSchema7 & { readonly __describes?: (value: T) => T }

declare const optionalMark: unique symbol
/** A property that may be left out; made with `opt()`. */
export interface Optional<T> {
  readonly [optionalMark]: true
  readonly schema: Schema<T>
}

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T]

/** One schema per key of T: `opt(schema)` for optional keys, a bare schema for required ones. */
export type Fields<T> = {
  [K in keyof T]-?: K extends OptionalKeys<T> ? Optional<NonNullable<T[K]>> : Schema<T[K]>
}

const OPTIONAL = Symbol('optional')

export function opt<T>(schema: Schema<T>): Optional<T> {
  return { [OPTIONAL]: true, schema } as unknown as Optional<T>
}

function isOptional(field: unknown): field is { schema: JSONSchema7 } {
  return typeof field === 'object' && field !== null && OPTIONAL in field
}

type Doc = { description: string } & Omit<JSONSchema7, 'type' | 'properties' | 'required' | 'items'>

/** An object schema for T. Curried so T is explicit and the fields are checked against it. */
export function obj<T>() {
  return (fields: Fields<T>, doc?: Doc): Schema<T> => {
    const properties: Record<string, JSONSchema7> = {}
    const required: string[] = []
    for (const [key, field] of Object.entries(fields as Record<string, unknown>)) {
      if (isOptional(field)) properties[key] = field.schema
      else {
        properties[key] = field as JSONSchema7
        required.push(key)
      }
    }
    return { type: 'object', ...doc, properties, ...(required.length > 0 ? { required } : {}) }
  }
}

export const str = (description: string, extra: Omit<JSONSchema7, 'type'> = {}): Schema<string> => ({
  type: 'string',
  description,
  ...extra
})

export const num = (description: string, extra: Omit<JSONSchema7, 'type'> = {}): Schema<number> => ({
  type: 'number',
  description,
  ...extra
})

export const int = (description: string, extra: Omit<JSONSchema7, 'type'> = {}): Schema<number> => ({
  type: 'integer',
  description,
  ...extra
})

export const bool = (description: string): Schema<boolean> => ({ type: 'boolean', description })

export const oneOf = <const V extends readonly string[]>(description: string, values: V): Schema<V[number]> => ({
  type: 'string',
  description,
  enum: [...values]
})

export const arr = <T>(description: string, items: Schema<T>, extra: Omit<JSONSchema7, 'type'> = {}): Schema<T[]> => ({
  type: 'array',
  description,
  items,
  ...extra
})

/** An amount of money in major units (pounds), never negative. */
export const money = (description: string): Schema<number> => num(description, { minimum: 0 })

export const dateTime = (description: string): Schema<string> => str(description, { format: 'date-time' })
