// Name and description templates: "{draw_name} – Ticket {ticket_index} of {ticket_count} – {buyer_name}".
// Mapping-kit templates cannot count tickets, so the action fills these itself, per ticket.
import { PayloadValidationError } from '@segment/actions-core'
import { TEMPLATE_HELP } from './fields'

export const TEMPLATE_KEYS = [
  'draw_name',
  'draw_id',
  'ticket_index',
  'ticket_count',
  'ticket_id',
  'ticket_number',
  'order_id',
  'buyer_name',
  'amount'
] as const

export type TemplateKey = (typeof TEMPLATE_KEYS)[number]
export type TemplateValues = Partial<Record<TemplateKey, string | number>>

const PLACEHOLDER = /\{([^{}]*)\}/g

/** Every placeholder a template uses that is not one of TEMPLATE_KEYS. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1])
    .filter((key) => !(TEMPLATE_KEYS as readonly string[]).includes(key))
}

/** Throws a PayloadValidationError naming the mapping field when a template has an unknown placeholder. */
export function checkTemplate(template: string, field: string): void {
  const unknown = unknownPlaceholders(template)
  if (unknown.length > 0) {
    throw new PayloadValidationError(
      `${field} uses ${unknown.map((k) => `{${k}}`).join(', ')}, which is not a placeholder. ${TEMPLATE_HELP}`
    )
  }
}

/** Fills the placeholders (a missing value becomes empty), squeezes spaces, and cuts to `max` characters. */
export function renderTemplate(template: string, values: TemplateValues, max: number): string {
  const filled = template.replace(PLACEHOLDER, (_, key: string) => {
    const value = values[key as TemplateKey]
    return value === undefined ? '' : String(value)
  })
  return truncate(filled.replace(/\s+/g, ' ').trim(), max)
}

export function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`
}
