import type { Database } from 'better-sqlite3'
import type { Admission, QuotaWindow } from '../../domain/limits.js'
import type { NewMessage } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import { guard } from './open.js'

// `countsAgainstLimits` (domain/limits.ts) in SQL; an exempt message never counts (`exempt = 0` beside it).
const COUNTED = "(status = 'answered' OR (status = 'pending' AND created_at >= @pendingSince))"

export interface SqliteQuota extends Pick<Store, 'countToday'> {
  /**
   * Inside the admission's transaction: the refusal when either limit is reached (recorded for the
   * report), else `undefined`.
   */
  refusal: (userId: number, message: NewMessage, window: QuotaWindow) => (Admission & { admitted: false }) | undefined
}

/** The daily and burst limits, counted from the user's messages and what deleted conversations spent. */
export function createSqliteQuota (db: Database): SqliteQuota {
  // Messages of deleted conversations count on from `spent_quota` (sqlite-conversations.ts).
  const countSince = db.prepare<{ userId: number, since: number, pendingSince: number }, { n: number }>(
    `SELECT (SELECT count(*) FROM messages
       WHERE user_id = @userId AND role = 'user' AND exempt = 0 AND created_at >= @since AND ${COUNTED})
     + (SELECT count(*) FROM spent_quota WHERE user_id = @userId AND created_at >= @since) AS n`)
  // Only the burst window is read: a full window has its burstLimit-th newest inside it.
  const nthNewest = db.prepare<{ userId: number, since: number, offset: number, pendingSince: number }, { created_at: number }>(
    `SELECT created_at FROM messages
     WHERE user_id = @userId AND role = 'user' AND exempt = 0 AND created_at >= @since AND ${COUNTED}
     UNION ALL SELECT created_at FROM spent_quota WHERE user_id = @userId AND created_at >= @since
     ORDER BY created_at DESC LIMIT 1 OFFSET @offset`)
  const insertRefusal = db.prepare<[number, string, string, number]>(
    'INSERT INTO refusals (user_id, limit_name, endpoint, created_at) VALUES (?, ?, ?, ?)')
  const today = (userId: number, window: QuotaWindow): number =>
    countSince.get({ userId, since: window.dayStart, pendingSince: window.pendingSince })?.n ?? 0

  return {
    refusal (userId, message, window) {
      const daily = today(userId, window) >= window.dailyLimit
      const oldest = nthNewest.get({ userId, since: window.burstStart, offset: window.burstLimit - 1, pendingSince: window.pendingSince })?.created_at
      if (!daily && oldest === undefined) return undefined
      const limit = daily ? 'daily' : 'burst'
      insertRefusal.run(userId, limit, message.endpoint, message.createdAt)
      return limit === 'burst' ? { admitted: false, limit, burstOldest: oldest } : { admitted: false, limit }
    },
    countToday: async (userId, window) => guard(() => today(Number(userId), window))
  }
}
