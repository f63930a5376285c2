import { randomUUID } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { AttemptReservation, AttemptScope } from '../../domain/limits.js'
import type { Store } from '../../domain/store.js'
import type { Write } from './writes.js'

export type SqliteAttempts = Pick<Store, 'reserveAttempt' | 'releaseAttempt'>

/**
 * The SQLite side of `Store.reserveAttempt`: a row per attempt and scope, living until
 * `expires_at`. Run inside the store's write transaction (`BEGIN IMMEDIATE`), so the count and
 * the insert are one step for every process sharing the file.
 */
export function createSqliteAttempts (db: Database, write: Write): SqliteAttempts {
  const sweep = db.prepare<[number]>('DELETE FROM attempts WHERE expires_at <= ?')
  // A full scope has its `limit`-th latest expiry after now; when that passes, it has room again.
  const nthLatest = db.prepare<{ scope: string, now: number, offset: number }, number>(
    `SELECT expires_at FROM attempts WHERE scope = @scope AND expires_at > @now
     ORDER BY expires_at DESC LIMIT 1 OFFSET @offset`).pluck()
  const insert = db.prepare<[string, string, string | null, number]>(
    'INSERT INTO attempts (scope, attempt, owner, expires_at) VALUES (?, ?, ?, ?)')
  const takeBack = db.prepare<[string, string]>('DELETE FROM attempts WHERE scope = ? AND attempt = ?')
  const forget = db.prepare<[string]>('DELETE FROM attempts WHERE scope = ?')

  const reserve = (scopes: readonly AttemptScope[], now: number): AttemptReservation => {
    sweep.run(now)
    let retryAt = 0
    for (const scope of scopes) {
      const full = nthLatest.get({ scope: scope.key, now, offset: scope.limit - 1 })
      if (full !== undefined) retryAt = Math.max(retryAt, full)
    }
    if (retryAt > 0) return { reserved: false, retryAt }
    const id = randomUUID()
    for (const scope of scopes) insert.run(scope.key, id, scope.owner ?? null, now + scope.windowMs)
    return { reserved: true, id }
  }

  return {
    reserveAttempt: async (scopes, now) => await write(() => reserve(scopes, now)),
    async releaseAttempt (id, keys, clear) {
      await write(() => {
        for (const key of keys) takeBack.run(key, id)
        for (const key of clear) forget.run(key)
      })
    }
  }
}
