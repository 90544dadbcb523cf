// SOQL built safely: names checked against ^[A-Za-z][A-Za-z0-9_]*$ (so a mapping cannot smuggle SOQL in through an
// object or field name), string literals escaped for every character Salesforce's SOQL reference lists.
import { PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/
/** Relationship paths in SELECT lists, e.g. Account.Name. */
const PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/

/** SOQL's reserved words and literals: no object or field is called that, and in a query they change its meaning
 * (Group and Order are objects, so GROUP BY / ORDER BY are not here). */
const RESERVED = new Set(
  'AND ASC DESC EXCLUDES FIRST FROM HAVING IN INCLUDES LAST LIKE LIMIT NOT NULL NULLS OFFSET OR SELECT WHERE WITH'
    .concat(' TRUE FALSE')
    .split(' ')
)

/** An object or field API name, checked; throws a PayloadValidationError naming what it is. */
export function apiName(name: unknown, what = 'field'): string {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > 80 || RESERVED.has(name.toUpperCase())) {
    throw new PayloadValidationError(
      `${quoted(name)} is not a Salesforce ${what} API name (letters, digits and _ only, starting with a letter, ` +
        `not a SOQL word such as NULL or FROM; e.g. JLP_Supporter_Id__c).`
    )
  }
  return name
}

const selectPath = (path: string) => {
  for (const name of PATH.test(path) ? path.split('.') : [path]) apiName(name)
  return path
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f'
}

/** Characters escaped in a literal: \ ' " controls, and a lone UTF-16 surrogate (half of a pair, which has no UTF-8
 * form and would break the query's URL encoding). */
const ESCAPED = /[\\'"\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * A SOQL string literal with its quotes: \ ' " and the control characters escaped (\n \r \t \b \f, and any other
 * control character or a lone surrogate as \uXXXX, which Salesforce decodes to exactly that character). Other
 * unicode (é, ’, emoji) is legal inside quotes and passes as it is.
 */
export function soqlString(value: string): string {
  const escaped = value.replace(ESCAPED, (c) => {
    return ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
  return `'${escaped}'`
}

/** `Field = 'value'`. */
export const soqlEquals = (field: string, value: string) => `${apiName(field)} = ${soqlString(value)}`

/** `Field IN ('a','b')`. */
export const soqlIn = (field: string, values: readonly string[]) =>
  `${apiName(field)} IN (${values.map(soqlString).join(',')})`

export interface SelectSpec {
  object: string
  fields: readonly string[]
  /** A condition built with soqlEquals / soqlIn (never from raw input). */
  where: string
  /** Newest first: ORDER BY this field DESC. */
  orderByDesc?: string
  limit?: number
}

/** SELECT … FROM … WHERE … with every name checked. */
export function soqlSelect(spec: SelectSpec): string {
  const fields = [...new Set(['Id', ...spec.fields])].map(selectPath)
  const order = spec.orderByDesc ? ` ORDER BY ${selectPath(spec.orderByDesc)} DESC` : ''
  const limit = spec.limit ? ` LIMIT ${Math.floor(spec.limit)}` : ''
  return `SELECT ${fields.join(', ')} FROM ${apiName(spec.object, 'object')} WHERE ${spec.where}${order}${limit}`
}
