// The draw calendar the generated supporters buy into. It depends only on the seed, so every supporter
// buying into a draw sees the same id, date and (at that moment) name.
import { hash32 } from '../prng'
import type { Draw } from '../orders'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const WEEK = 7 * DAY

/** Draw #1234 is on Saturday 13 June 2026 at 19:30 UTC (as in the samples); one draw every Saturday. */
const REFERENCE_NO = 1234
const REFERENCE_AT = Date.UTC(2026, 5, 13, 19, 30)
const ROLLOVERS = ['£5,000', '£10,000', '£25,000']
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]

export class DrawCalendar {
  constructor(private readonly seed: number) {}

  /** The next weekly draw after `at` (sales close when the draw starts). */
  weeklyDrawAfter(at: number): Draw {
    const no = REFERENCE_NO + Math.floor((at - REFERENCE_AT) / WEEK) + 1
    const drawAt = REFERENCE_AT + (no - REFERENCE_NO) * WEEK
    const roll = hash32(`${this.seed}:draw:${no}`)
    // About one draw in three rolls over; it is renamed three days before it takes place.
    const renamed = roll % 3 === 0 && at >= drawAt - 3 * DAY
    const rollover = renamed ? ` – Rollover ${ROLLOVERS[(roll >>> 2) % ROLLOVERS.length]}` : ''
    return {
      draw_id: `DRW-${no}`,
      draw_name: `Weekly Jumbo Draw #${no}${rollover}`,
      draw_date: new Date(drawAt).toISOString(),
      event_type: 'Lottery Draw',
      draw_no: no
    }
  }

  /** This month's raffle (drawn at 18:00 UTC on the last day), or next month's once it has been drawn. */
  raffleAfter(at: number): Draw {
    const d = new Date(at)
    let year = d.getUTCFullYear()
    let month = d.getUTCMonth()
    if (at >= raffleDrawAt(year, month)) [year, month] = month === 11 ? [year + 1, 0] : [year, month + 1]
    return {
      draw_id: `RAF-${year}-${String(month + 1).padStart(2, '0')}`,
      draw_name: `St Luke's ${MONTHS[month]} Raffle ${year}`,
      draw_date: new Date(raffleDrawAt(year, month)).toISOString(),
      event_type: 'Raffle'
    }
  }
}

const raffleDrawAt = (year: number, month: number) => Date.UTC(year, month + 1, 0, 18, 0)

export const TIME = { HOUR, DAY, WEEK, MINUTE: 60_000, SECOND: 1000 }
