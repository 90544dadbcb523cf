// What a JLP Task says: its subject, its date and a Description a supporter-care agent can read at a glance.
// Pure functions shared by logActivity and createFollowUpTask (no Salesforce calls here).
import { PayloadValidationError } from '@segment/actions-core'
import { quoted } from '../../../lib/errors'

/** Salesforce's Task limits: Subject 255 characters, Description (Comments) 32,000. */
export const SUBJECT_MAX = 255
export const DESCRIPTION_MAX = 32000

/** A subject from its template, tidied: blanks left by missing properties ("JLP: Cart Viewed – ") are dropped. */
export function taskSubject(subject: string | undefined, fallback: string): string {
  const tidy = (subject ?? '')
    .replace(/\s+/g, ' ')
    .replace(/(\s*[–—:|-]\s*)+$/, '')
    .trim()
  return cut(tidy || fallback, SUBJECT_MAX)
}

/**
 * A date-only value (YYYY-MM-DD, as Task.ActivityDate takes it) from an event time in UTC, plus whole days.
 * Taken from the event, never from the clock, so a redelivered event writes the same date.
 */
export function activityDate(timestamp: string | number | undefined, plusDays = 0): string {
  const time = typeof timestamp === 'number' ? timestamp : timestamp ? Date.parse(timestamp) : NaN
  // A number of milliseconds outside any calendar (e.g. 2^53) is not a date either.
  const notADate = () =>
    new PayloadValidationError(`The event time ${quoted(timestamp)} is not a date, so the Task has no date.`)
  if (Number.isNaN(new Date(time).getTime())) throw notADate()
  if (!Number.isInteger(plusDays) || plusDays < 0 || plusDays > 365) {
    throw new PayloadValidationError(`"Due in days" must be a whole number from 0 to 365 (got ${plusDays}).`)
  }
  const day = new Date(time + plusDays * 86_400_000)
  if (Number.isNaN(day.getTime())) throw notADate()
  return day.toISOString().slice(0, 10)
}

type Detail = unknown

/** "draw_no" → "Draw no", "recurringPurchaseEnabled" → "Recurring purchase enabled"; labels with spaces stay. */
export function label(key: string): string {
  if (/\s/.test(key)) return key
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function scalar(value: Detail): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number' || typeof value === 'string') return String(value)
  return undefined
}

/** An object on one line: "name: 1 Ticket Book, price: 2.17". */
function inline(value: Record<string, Detail>): string {
  return Object.entries(value)
    .map(([k, v]) => [k, scalar(v) ?? (typeof v === 'object' && v !== null ? JSON.stringify(v) : undefined)])
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([k, v]) => `${label(k).toLowerCase()}: ${v}`)
    .join(', ')
}

function lines(key: string, value: Detail): string[] {
  const single = scalar(value)
  if (single !== undefined) return [`${label(key)}: ${single}`]
  if (Array.isArray(value)) {
    const items = value
      .map((item) =>
        typeof item === 'object' && item !== null && !Array.isArray(item)
          ? inline(item as Record<string, Detail>)
          : scalar(item)
      )
      .filter((s): s is string => !!s)
    return items.length === 0 ? [] : [`${label(key)}:`, ...items.map((s) => `  - ${s}`)]
  }
  if (typeof value === 'object' && value !== null) {
    const text = inline(value as Record<string, Detail>)
    return text ? [`${label(key)}: ${text}`] : []
  }
  return []
}

/**
 * The Task Description: an optional first line, then one "Label: value" line per detail (empty ones left out,
 * lists one item a line), cut to Salesforce's 32,000 characters.
 */
export function taskDescription(details: Record<string, Detail> | undefined, heading?: string): string {
  const body = Object.entries(details ?? {}).flatMap(([k, v]) => lines(k, v))
  return cut([heading?.trim(), ...body].filter((s): s is string => !!s).join('\n'), DESCRIPTION_MAX)
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
