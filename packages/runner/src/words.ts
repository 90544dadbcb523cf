// Definitions in plain words for the preset catalogue: FQL triggers and mapping directives.
import { parseFql } from '@segment/destination-subscriptions'

interface Node {
  type: string
  operator: string
  name?: string
  value?: string | number | boolean
  children?: Node[]
}

const quote = (v: unknown) => (typeof v === 'string' ? `“${v}”` : String(v))

const OPERATORS: Record<string, string> = {
  '=': 'is',
  '!=': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is more than',
  '>=': 'is at least',
  number_equals: 'equals',
  number_not_equals: 'does not equal',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  not_starts_with: 'does not start with',
  ends_with: 'ends with',
  not_ends_with: 'does not end with'
}

const SUBJECTS: Record<string, string> = {
  'event-property': 'property',
  'event-trait': 'trait',
  'event-context': 'context',
  userId: 'user id',
  name: 'page name',
  event: 'event name',
  'event-type': 'call type'
}

function condition(node: Node): string {
  const subject = node.name ? `${SUBJECTS[node.type] ?? node.type} ${node.name}` : (SUBJECTS[node.type] ?? node.type)
  switch (node.operator) {
    case 'exists':
      return `${subject} is present`
    case 'not_exists':
      return `${subject} is missing`
    case 'is_true':
      return `${subject} is true`
    case 'is_false':
      return `${subject} is false`
  }
  if (node.type === 'event-type' && node.operator === '=') return `any ${node.value} call`
  if (node.type === 'event' && node.operator === '=') return `the event ${quote(node.value)}`
  return `${subject} ${OPERATORS[node.operator] ?? node.operator} ${quote(node.value)}`
}

const isEventIs = (n: Node) => n.type === 'event' && n.operator === '='
const isTypeIs = (n: Node) => n.type === 'event-type' && n.operator === '='

function group(node: Node, nested: boolean): string {
  if (node.type !== 'group') return condition(node)
  const children = node.children ?? []
  if (node.operator === 'or' && children.every(isEventIs)) {
    return `the event ${children.map((c) => quote(c.value)).join(' or ')}`
  }
  if (node.operator === 'and') {
    // "type = track and event = X" reads as "the track event X".
    const type = children.find(isTypeIs)
    const events = children.find(
      (c) => isEventIs(c) || (c.type === 'group' && c.operator === 'or' && (c.children ?? []).every(isEventIs))
    )
    if (type && events) {
      const names = isEventIs(events) ? [events] : (events.children ?? [])
      const head = `the ${type.value} event ${names.map((c) => quote(c.value)).join(' or ')}`
      const others = children.filter((c) => c !== type && c !== events).map((c) => group(c, true))
      return [head, ...others].join(' when ')
    }
  }
  const text = children.map((c) => group(c, true)).join(` ${node.operator} `)
  return nested && children.length > 1 ? `(${text})` : text
}

/** `type = "track" and event = "Cart Viewed"` → `the track event “Cart Viewed”`. */
export function fqlInWords(fql: string): string {
  const ast = parseFql(fql) as unknown as Node | { error: Error }
  if ('error' in ast) return `(trigger does not parse: ${fql})`
  return group(ast as Node, false)
}

const pathWords = (p: unknown) => String(p).replace(/^\$\./, '')

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** `@if exists A then A else (@if exists B then B else C)` → [A, B, C]: "the first of these that is present". */
function fallbackChain(value: unknown): unknown[] {
  const a = (value as { '@if'?: { exists?: unknown; then?: unknown; else?: unknown } })?.['@if']
  if (!a || a.exists === undefined || !same(a.exists, a.then)) return [value]
  return a.else === undefined ? [a.then] : [a.then, ...fallbackChain(a.else)]
}

/** A field's mapping in words: `{'@path': '$.properties.email'}` → `properties.email`. */
export function mappingInWords(value: unknown): string {
  if (value === undefined) return ''
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(mappingInWords).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>)
  const [key, arg] = entries[0] ?? []
  if (entries.length === 1 && key?.startsWith('@')) {
    const a = arg as Record<string, unknown>
    switch (key) {
      case '@path':
        return pathWords(arg)
      case '@template':
        return `text “${String(arg)}”`
      case '@literal':
        return JSON.stringify(arg)
      case '@if': {
        const chain = fallbackChain(value)
        if (chain.length > 1) return `first present of ${chain.map(mappingInWords).join(', ')}`
        const test =
          'exists' in a
            ? `${mappingInWords(a.exists)} is present`
            : 'blank' in a
              ? `${mappingInWords(a.blank)} is blank`
              : JSON.stringify(a)
        const otherwise = a.else === undefined ? '' : `, else ${mappingInWords(a.else)}`
        return `${mappingInWords(a.then)} if ${test}${otherwise}`
      }
      case '@arrayPath': {
        const [path, shape] = arg as [unknown, unknown]
        return shape ? `each of ${pathWords(path)} as ${mappingInWords(shape)}` : `each of ${pathWords(path)}`
      }
      case '@case':
        return `${mappingInWords(a.value)} in ${a.operator}`
      case '@replace':
        return `${mappingInWords(a.value)} with “${a.pattern}” replaced by “${a.replacement ?? ''}”`
      case '@json':
        return `${mappingInWords(a.value)} as JSON (${a.mode})`
      case '@merge':
        return `merge of ${((a.objects as unknown[]) ?? []).map(mappingInWords).join(', ')}`
      default:
        return `${key} ${JSON.stringify(arg)}`
    }
  }
  return `{ ${entries.map(([k, v]) => `${k}: ${mappingInWords(v)}`).join(', ')} }`
}
