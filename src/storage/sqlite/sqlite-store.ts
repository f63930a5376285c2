import type { Store } from '../../domain/store.js'
import { storageUnavailable } from '../../errors.js'
import { startCheckpointer } from './checkpointer.js'
import { createContextCache, NO_CONTEXT_CACHE } from './context-cache.js'
import { openDatabase } from './open.js'
import { createSqliteApiKeys } from './sqlite-api-keys.js'
import { createSqliteAttempts } from './sqlite-attempts.js'
import { createSqliteConversationMethods, createSqliteConversations } from './sqlite-conversations.js'
import { createSqliteHistory } from './sqlite-history.js'
import { createSqliteMessages } from './sqlite-messages.js'
import { createSqliteQuota } from './sqlite-quota.js'
import { createSqliteReport } from './sqlite-report.js'
import { createSqliteUsers } from './sqlite-users.js'
import { createWrites } from './writes.js'

/** The backend's speed-ups, each on unless turned off: `bench/sqlite-machinery.ts` turns each off to measure what it is worth. */
export interface SqliteTuning {
  /** Keep each conversation's prompt history per process (`context-cache.ts`). */
  contextCache?: boolean
  /** Checkpoint from a thread of its own (`checkpointer.ts`); off, SQLite checkpoints in the committing request. */
  checkpointer?: boolean
  /** One transaction per event-loop turn (`write-batch.ts`); off, one per write. */
  groupCommit?: boolean
}

/**
 * The embedded backend: one SQLite file in WAL mode. better-sqlite3 is synchronous, so every
 * statement runs to completion before the event loop moves on. Writes are group-committed
 * (`write-batch.ts`): each event-loop turn's in one `BEGIN IMMEDIATE` transaction, which also makes
 * admission atomic against other processes sharing the file.
 *
 * The write-ahead log is copied back into the file by a thread of its own (`checkpointer.ts`).
 *
 * `synchronous = NORMAL` is durable against a killed process (the WAL is in the OS's hands once a
 * commit returns) but not against power loss; that trade is SQLite's recommendation for WAL.
 *
 * The store is composed of one part per concern, each in the file named for it.
 */
export function createSqliteStore (file: string, tuning: SqliteTuning = {}): Store {
  const db = openDatabase(file, tuning.checkpointer !== false)
  const checkpointer = tuning.checkpointer === false ? undefined : startCheckpointer(file)
  const { write, drain } = createWrites(db, tuning.groupCommit !== false)
  const contexts = tuning.contextCache === false ? NO_CONTEXT_CACHE : createContextCache(db)
  const conversations = createSqliteConversations(db)
  const quota = createSqliteQuota(db)
  const selectOne = db.prepare('SELECT 1')

  return {
    kind: 'sqlite',

    async ping () {
      // Whatever stops SQLite answering (a closed or vanished file, a full or failing disk) is "not ready".
      try {
        selectOne.get()
      } catch (err) {
        throw storageUnavailable(err)
      }
    },

    ...createSqliteUsers(db, write),
    ...createSqliteApiKeys(db, write),
    ...createSqliteMessages(db, { write, conversations, quota, contexts }),
    ...createSqliteHistory(db, { conversations, contexts }),
    ...createSqliteConversationMethods(conversations, write, contexts),
    countToday: quota.countToday,
    ...createSqliteReport(db),
    ...createSqliteAttempts(db, write),

    async close () {
      drain()
      await checkpointer?.stop()
      db.close()
    }
  }
}
