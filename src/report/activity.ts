import type { LocalDay } from './window.js'

export interface DayActivity { date: string, messages: number }
export interface HourActivity { hour: number, messages: number }
export interface Streak { days: number, start: string | null, end: string | null }

/** Every day of the window with its count, days without messages as 0. */
export function zeroFillDays (dates: readonly LocalDay[], counts: ReadonlyArray<{ day: number, messages: number }>): DayActivity[] {
  const byDay = new Map(counts.map((c) => [c.day, c.messages]))
  return dates.map(({ date, day }) => ({ date, messages: byDay.get(day) ?? 0 }))
}

/** The 24 hours of the day with their counts, hours without messages as 0. */
export function zeroFillHours (counts: readonly HourActivity[]): HourActivity[] {
  const byHour = new Map(counts.map((c) => [c.hour, c.messages]))
  return Array.from({ length: 24 }, (_, hour) => ({ hour, messages: byHour.get(hour) ?? 0 }))
}

/** The entry with the most messages, the earliest on a tie; `null` when none has any. */
export function busiest<T extends { messages: number }> (entries: readonly T[]): T | null {
  let best: T | null = null
  for (const entry of entries) if (entry.messages > (best?.messages ?? 0)) best = entry
  return best
}

/** The longest run of consecutive days with messages, the earliest on a tie. */
export function longestStreak (days: readonly DayActivity[]): Streak {
  let best: Streak = { days: 0, start: null, end: null }
  let runStart = 0
  days.forEach((day, i) => {
    if (day.messages === 0) {
      runStart = i + 1
      return
    }
    const length = i - runStart + 1
    if (length > best.days) best = { days: length, start: (days[runStart] as DayActivity).date, end: day.date }
  })
  return best
}

/** `part / whole` to four decimals; `null` when `whole` is 0. */
export function share (part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000
}
