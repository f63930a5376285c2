import { TZDate, tzOffset } from '@date-fns/tz'
import { addDays, startOfDay } from 'date-fns'
import { DAY_MS, type UtcOffset } from '../domain/report.js'

const MINUTE_MS = 60_000

/** A local calendar day: its date and its number (days since 1970-01-01 of that date). */
export interface LocalDay { date: string, day: number }

/** The days a report covers, in the report's time zone. */
export interface ReportWindow {
  days: number
  timeZone: string
  /** Local midnight `days - 1` days before today, and the end of today: [since, until). */
  since: number
  until: number
  /** Every local day of the window, oldest first. */
  dates: LocalDay[]
  /** The zone's UTC offsets over the window, for the store to bucket by local day and hour. */
  offsets: UtcOffset[]
}

/** The last `days` local days up to and including the one containing `now`. */
export function reportWindow (now: number, days: number, timeZone: string): ReportWindow {
  const today = startOfDay(new TZDate(now, timeZone))
  const first = addDays(today, -(days - 1))
  const since = first.getTime()
  const until = addDays(today, 1).getTime()
  const firstDay = Date.UTC(first.getFullYear(), first.getMonth(), first.getDate()) / DAY_MS
  const dates = Array.from({ length: days }, (_, i) => ({ day: firstDay + i, date: dateOfDay(firstDay + i) }))
  return { days, timeZone, since, until, dates, offsets: utcOffsets(timeZone, since, until) }
}

/** `YYYY-MM-DD` of a day number. */
export function dateOfDay (day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/**
 * The offsets of `timeZone` over [since, until): the one at `since`, then each change, found by
 * sampling once a day and bisecting to the millisecond where the offset differs. Exact as long as
 * a zone changes its offset at most once in 24 hours, which every IANA zone does.
 */
export function utcOffsets (timeZone: string, since: number, until: number): UtcOffset[] {
  const offsetAt = (t: number): number => Math.round(tzOffset(timeZone, new Date(t)) * MINUTE_MS)
  let current = offsetAt(since)
  const offsets: UtcOffset[] = [{ from: since, offsetMs: current }]
  for (let previous = since; previous < until - 1;) {
    const next = Math.min(previous + DAY_MS, until - 1)
    const offset = offsetAt(next)
    if (offset !== current) {
      // offsetAt(low) is the old offset, offsetAt(high) the new one.
      let low = previous
      let high = next
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2)
        if (offsetAt(middle) === current) low = middle
        else high = middle
      }
      offsets.push({ from: high, offsetMs: offset })
      current = offset
    }
    previous = next
  }
  return offsets
}
