import type { Database, Statement } from 'better-sqlite3'
import type { LimitName } from '../../domain/limits.js'
import { assembleReport, DAY_MS, HOUR_MS, type ReportData, type ReportRange, type ReportTextReader } from '../../domain/report.js'
import type { Store } from '../../domain/store.js'
import { guard } from './open.js'

interface Params { userId: number, since: number, until: number, [offset: string]: number }
interface TotalsRow { sent: number, failed: number, advanced: number, first: number | null, last: number | null, average: number | null }

// Every query reads one user's records in the window through an index: `messages_user_sent` for
// their messages, `messages_user_replies` for replies, `refusals_user_created` for refusals.
const IN_WINDOW = 'user_id = @userId AND created_at >= @since AND created_at < @until'
const SENT_IN_WINDOW = `${IN_WINDOW} AND role = 'user'`

/**
 * The SQLite side of `Store.report`: one read transaction (a consistent snapshot that does not block
 * writers in WAL mode) of aggregate queries. The window's texts stream through `iterate()`, newest
 * first, to the reader (the report's topics need ICU's word segmentation, which SQLite lacks).
 */
export function createSqliteReport (db: Database): Pick<Store, 'report'> {
  const totals = db.prepare<Params, TotalsRow>(
    `SELECT count(*) AS sent, total(status = 'failed') AS failed, total(endpoint = 'advanced') AS advanced,
       min(created_at) AS first, max(created_at) AS last, avg(length(text)) AS average
     FROM messages WHERE ${SENT_IN_WINDOW}`)
  const replies = db.prepare<Params, { n: number }>(
    `SELECT count(*) AS n FROM messages WHERE ${IN_WINDOW} AND role = 'ai'`)
  // The middle row, or the mean of the two middle rows, by length.
  const median = db.prepare<Params, { median: number | null }>(
    `SELECT avg(n) AS median FROM (
       SELECT n, row_number() OVER (ORDER BY n) AS r, count(*) OVER () AS c
       FROM (SELECT length(text) AS n FROM messages WHERE ${SENT_IN_WINDOW}))
     WHERE r BETWEEN (c + 1) / 2 AND (c + 2) / 2`)
  const moods = db.prepare<Params, { mood: string, messages: number }>(
    `SELECT mood, count(*) AS messages FROM messages
     WHERE ${SENT_IN_WINDOW} AND mood IS NOT NULL GROUP BY mood ORDER BY mood`)
  const refusals = db.prepare<Params, { limit: LimitName, n: number }>(
    `SELECT limit_name AS "limit", count(*) AS n FROM refusals WHERE ${IN_WINDOW} GROUP BY limit_name`)
  const texts = db.prepare<Params & { chars: number }, string>(
    `SELECT substr(text, 1, @chars) FROM messages WHERE ${SENT_IN_WINDOW} ORDER BY created_at DESC, id DESC`).pluck()

  // The local-time expression depends on how many offsets the window has (one, or a few around
  // daylight-saving changes), so these are prepared per count and kept.
  const local = new Map<number, { perDay: Statement<Params, { day: number, messages: number }>, perHour: Statement<Params, { hour: number, messages: number }> }>()
  const localStatements = (offsets: number) => {
    let statements = local.get(offsets)
    if (statements === undefined) {
      const localTime = `SELECT ${localTimeSql(offsets)} AS t FROM messages WHERE ${SENT_IN_WINDOW}`
      // SQLite's % keeps the dividend's sign; adding a day first makes it a floor for times before 1970 too.
      const timeOfDay = `((t % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}`
      statements = {
        perDay: db.prepare(`SELECT (t - ${timeOfDay}) / ${DAY_MS} AS day, count(*) AS messages FROM (${localTime}) GROUP BY day ORDER BY day`),
        perHour: db.prepare(`SELECT ${timeOfDay} / ${HOUR_MS} AS hour, count(*) AS messages FROM (${localTime}) GROUP BY hour ORDER BY hour`)
      }
      local.set(offsets, statements)
    }
    return statements
  }

  const report = db.transaction((userId: number, range: ReportRange, readText: ReportTextReader): ReportData => {
    const params = paramsOf(userId, range)
    for (const text of texts.iterate({ ...params, chars: range.textChars })) {
      if (!readText(text)) break
    }
    const { perDay, perHour } = localStatements(range.offsets.length)
    return assembleReport({
      totals: { ...totals.get(params) as TotalsRow, median: median.get(params)?.median ?? null },
      replies: replies.get(params)?.n ?? 0,
      perDay: perDay.all(params),
      perHour: perHour.all(params),
      moods: moods.all(params),
      refusals: refusals.all(params)
    })
  })
  return { report: async (userId, range, readText) => guard(() => report(Number(userId), range, readText)) }
}

/** The window, and each offset change as `from<i>` and `offset<i>` for `localTimeSql`. */
function paramsOf (userId: number, range: ReportRange): Params {
  const params: Params = { userId, since: range.since, until: range.until }
  range.offsets.forEach(({ from, offsetMs }, i) => {
    params[`from${i}`] = from
    params[`offset${i}`] = offsetMs
  })
  return params
}

/** `created_at` in local time: plus the offset of the last change at or before it (bound as integers). */
function localTimeSql (offsets: number): string {
  if (offsets <= 1) return 'created_at + CAST(@offset0 AS INTEGER)'
  const changes: string[] = []
  for (let i = offsets - 1; i >= 1; i--) changes.push(`WHEN created_at >= @from${i} THEN @offset${i}`)
  return `created_at + CAST(CASE ${changes.join(' ')} ELSE @offset0 END AS INTEGER)`
}
