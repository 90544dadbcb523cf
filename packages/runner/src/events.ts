// Segment events from files: NDJSON (one event a line) or a JSON array, with errors that name the line.
import type { SegmentEvent } from '@segment/actions-core'
import * as fs from 'fs'
import { UsageError } from './usage-error'

const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias']

function problemWith(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object'
  const type = (value as { type?: unknown }).type
  if (typeof type !== 'string') return 'has no "type" (track, identify, …)'
  if (!EVENT_TYPES.includes(type)) return `has type "${type}", not one of ${EVENT_TYPES.join(', ')}`
  if (type === 'track' && typeof (value as { event?: unknown }).event !== 'string') return 'is a track without "event"'
  return undefined
}

/** Parse NDJSON text; blank lines are skipped. `source` names the file in messages. */
export function parseEvents(text: string, source: string): SegmentEvent[] {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('[')) {
    let list: unknown
    try {
      list = JSON.parse(text)
    } catch (err) {
      throw new UsageError(`${source}: not valid JSON (${(err as Error).message})`)
    }
    return (list as unknown[]).map((value, i) => {
      const problem = problemWith(value)
      if (problem) throw new UsageError(`${source}: item ${i + 1} ${problem}`)
      return value as SegmentEvent
    })
  }
  const events: SegmentEvent[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (err) {
      throw new UsageError(`${source} line ${i + 1}: not valid JSON (${(err as Error).message})`)
    }
    const problem = problemWith(value)
    if (problem) throw new UsageError(`${source} line ${i + 1}: the event ${problem}`)
    events.push(value as SegmentEvent)
  })
  if (events.length === 0) throw new UsageError(`${source}: no events (expected one JSON event a line)`)
  return events
}

export function readEventsFile(file: string): SegmentEvent[] {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as { code?: string }).code
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${(err as Error).message})`
    )
  }
  return parseEvents(text, file)
}

/** "Ticket Purchase Completed · jane@example.org": the event and who it is about, for reports. */
export function describeEvent(event: SegmentEvent): { name: string; who: string } {
  const e = event as SegmentEvent & { traits?: Record<string, unknown> }
  const name = e.type === 'track' ? String(e.event) : e.type
  const email = [e.properties?.email, e.traits?.email, e.context?.traits?.email].find((v) => typeof v === 'string')
  const who = (email as string | undefined) ?? e.userId ?? e.anonymousId ?? ''
  return { name, who: String(who) }
}
