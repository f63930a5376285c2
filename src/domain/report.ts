import type { Endpoint } from './messages.js'
import type { LimitName } from './limits.js'

/** A day and an hour in milliseconds: local days and hours are counted in these (`ReportRange`). */
export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000

/** A UTC offset (milliseconds, east positive) in force from `from` (epoch ms) until the next one. */
export interface UtcOffset { from: number, offsetMs: number }

/**
 * What a behaviour report covers: records created in [since, until), and how to read local time
 * there. A record's local time is `created_at + offsetMs` of the last offset whose `from` is at or
 * before it (the first applies to everything before the second); its local day is that time
 * divided by `DAY_MS`, floored (days since 1970-01-01 of the local date), and its local hour the
 * remainder divided by `HOUR_MS`. Exact across daylight-saving changes.
 */
export interface ReportRange {
  since: number
  until: number
  /** Ascending by `from`; never empty. */
  offsets: UtcOffset[]
  /** Each message text handed to the report's `readText` is first cut to this many characters, in the database. */
  textChars: number
}

/**
 * The figures a behaviour report is built from, aggregated by the backend over the user's own
 * records in the range. "Messages" are the user's messages (answered, failed or pending); refused
 * ones were never stored and are counted in `refusals`.
 */
export interface ReportData {
  messagesSent: number
  failedMessages: number
  /** AI records (complete or incomplete). */
  repliesReceived: number
  /** Creation time of the first and last message, `null` when there are none. */
  firstActivity: number | null
  lastActivity: number | null
  /** Local days with messages, ascending; `day` as in `ReportRange`. */
  perDay: Array<{ day: number, messages: number }>
  /** Local hours (0–23) with messages, ascending. */
  perHour: Array<{ hour: number, messages: number }>
  byEndpoint: Record<Endpoint, number>
  /** In characters (code points); `null` when there are no messages. */
  averageLength: number | null
  medianLength: number | null
  refusals: Record<LimitName, number>
  /** Messages by their stored emotion reading; messages without one are not counted. */
  moods: Array<{ mood: string, messages: number }>
}

/** Reads one message text for the report (its topics); `false` when it wants no more. */
export type ReportTextReader = (text: string) => boolean

/** The message figures as both backends aggregate them, before they become `ReportData`. */
export interface ReportFigures {
  totals: { sent: number, failed: number, advanced: number, first: number | null, last: number | null, average: number | null, median: number | null }
  replies: number
  perDay: ReportData['perDay']
  perHour: ReportData['perHour']
  moods: ReportData['moods']
  refusals: Array<{ limit: LimitName, n: number }>
}

/** The report's data from the aggregated figures: one assembly for every backend. */
export function assembleReport ({ totals, replies, perDay, perHour, moods, refusals }: ReportFigures): ReportData {
  const refused: Record<LimitName, number> = { daily: 0, burst: 0 }
  for (const { limit, n } of refusals) refused[limit] = n
  return {
    messagesSent: totals.sent,
    failedMessages: totals.failed,
    repliesReceived: replies,
    firstActivity: totals.first,
    lastActivity: totals.last,
    perDay,
    perHour,
    byEndpoint: { message: totals.sent - totals.advanced, advanced: totals.advanced },
    averageLength: totals.average,
    medianLength: totals.median,
    refusals: refused,
    moods
  }
}
