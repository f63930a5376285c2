import { TZDate } from '@date-fns/tz'
import { addDays, startOfDay } from 'date-fns'

export interface DayBounds { start: number, end: number }

/**
 * The calendar day containing `now` in `timeZone`, as [start, end) epoch milliseconds
 * (23 or 25 hours long on daylight-saving days). Remembers the last day, since every request asks.
 */
export function createDayBounds (timeZone: string): (now: number) => DayBounds {
  let last: DayBounds = { start: 0, end: 0 }
  return (now) => {
    if (now < last.start || now >= last.end) {
      const start = startOfDay(new TZDate(now, timeZone))
      last = { start: start.getTime(), end: addDays(start, 1).getTime() }
    }
    return last
  }
}
