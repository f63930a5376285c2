import Sqlite from 'better-sqlite3'
import { AppError, storageUnavailable } from '../../errors.js'
import { nextTurn } from '../../process/next-turn.js'
import type { Admission, QuotaWindow } from '../../domain/limits.js'
import type { ChatRecord, ContextRecord, MiddleOutReport, NewMessage, Reply } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import { startCheckpointer } from './checkpointer.js'
import { createContextCache, extendContext, type ContextEntry } from './context-cache.js'
import { guard, openDatabase } from './open.js'
import { createSqliteApiKeys } from './sqlite-api-keys.js'
import { createSqliteConversations } from './sqlite-conversations.js'
import { createSqliteAttempts } from './sqlite-attempts.js'
import { createSqliteUsers, rowId } from './sqlite-users.js'
import { createSqliteReport } from './sqlite-report.js'
import { createWriteBatch } from './write-batch.js'

/** About two messages at the 200,000-character limit: what one turn of the event loop reads of a context. */
const CONTEXT_TURN_BYTES = 800_000

interface MessageRow {
  id: number
  conversation_id: number
  role: 'user' | 'ai'
  endpoint: ChatRecord['endpoint']
  status: string
  text: string
  created_at: number
  mood: string | null
  middle_out: string | null
}
const RECORD_COLUMNS = 'id, conversation_id, role, endpoint, status, text, created_at, mood, middle_out'

// `countsAgainstLimits` (domain/limits.ts) in SQL; an exempt message never counts (`exempt = 0` beside it).
const COUNTED = "(status = 'answered' OR (status = 'pending' AND created_at >= @pendingSince))"

/** The backend's speed-ups, each on unless turned off: `bench/sqlite-machinery.ts` turns each off to measure what it is worth. */
export interface SqliteTuning {
  /** Keep each user's prompt history per process (`context-cache.ts`). */
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
 */
export function createSqliteStore (file: string, tuning: SqliteTuning = {}): Store {
  const db = openDatabase(file, tuning.checkpointer !== false)
  const checkpointer = tuning.checkpointer === false ? { stop: async () => {} } : startCheckpointer(file)
  const selectOne = db.prepare('SELECT 1')

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
  const insertMessage = db.prepare<[number, number, string, string, string, string, number, string | null, number]>(
    'INSERT INTO messages (user_id, conversation_id, role, endpoint, status, text, created_at, mood, exempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const insertRefusal = db.prepare<[number, string, string, number]>(
    'INSERT INTO refusals (user_id, limit_name, endpoint, created_at) VALUES (?, ?, ?, ?)')
  const answerPending = db.prepare<[string | null, number], { user_id: number, conversation_id: number, endpoint: string, text: string }>(
    "UPDATE messages SET status = 'answered', middle_out = ? WHERE id = ? AND role = 'user' AND status = 'pending' RETURNING user_id, conversation_id, endpoint, text")
  const messageExists = db.prepare<[number], number>('SELECT 1 FROM messages WHERE id = ?').pluck()
  const setStatus = db.prepare<[string, number]>('UPDATE messages SET status = ? WHERE id = ?')
  const selectHistory = db.prepare<[number, number], MessageRow>(
    `SELECT ${RECORD_COLUMNS} FROM messages WHERE user_id = ? ORDER BY id DESC LIMIT ?`)
  const selectConversationHistory = db.prepare<[number, number], MessageRow>(
    `SELECT ${RECORD_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`)
  // The context's rows and their sizes (octet_length reads no text), then each text by id.
  const selectContext = db.prepare<[number, number], { id: number, role: 'user' | 'ai', bytes: number }>(
    `SELECT id, role, octet_length(text) AS bytes FROM messages
     WHERE conversation_id = ? AND (role = 'ai' OR status = 'answered') ORDER BY id DESC LIMIT ?`)
  const selectText = db.prepare<[number], string>('SELECT text FROM messages WHERE id = ?').pluck()
  // Backwards through (conversation_id, id), stopping at the first reply: usually the second row.
  const newestReplyId = db.prepare<[number], number>("SELECT id FROM messages WHERE conversation_id = ? AND role = 'ai' ORDER BY id DESC LIMIT 1").pluck()
  const countNewer = db.prepare<[number, number], number>('SELECT count(*) FROM messages WHERE conversation_id = ? AND id > ?').pluck()
  const conversations = createSqliteConversations(db)
  // By conversation id.
  const contexts = createContextCache()

  const admit = db.transaction((message: NewMessage, window: QuotaWindow): Admission => {
    const userId = Number(message.userId)
    // The conversation named is checked first: a bad id is a 404, not a refusal on record.
    const named = message.conversationId === undefined ? undefined : conversations.forMessage(userId, message.conversationId, message.createdAt)
    if (message.exempt !== true) {
      const { pendingSince } = window
      const today = countSince.get({ userId, since: window.dayStart, pendingSince })?.n ?? 0
      const oldest = nthNewest.get({ userId, since: window.burstStart, offset: window.burstLimit - 1, pendingSince })?.created_at
      if (today >= window.dailyLimit || oldest !== undefined) {
        const limit = today >= window.dailyLimit ? 'daily' : 'burst'
        insertRefusal.run(userId, limit, message.endpoint, message.createdAt)
        return limit === 'burst' ? { admitted: false, limit, burstOldest: oldest } : { admitted: false, limit }
      }
    }
    const conversationId = named ?? conversations.forMessage(userId, undefined, message.createdAt)
    const exempt = message.exempt === true ? 1 : 0
    const { lastInsertRowid } = insertMessage.run(userId, conversationId, 'user', message.endpoint, 'pending', message.text, message.createdAt, message.mood ?? null, exempt)
    conversations.touch(conversationId, message.createdAt, message.title)
    return { admitted: true, messageId: String(lastInsertRowid), conversationId: String(conversationId) }
  })

  // Returns what becomes of the conversation's cached context, to be applied once the write has committed.
  const complete = db.transaction((messageId: number, reply: Reply): { conversationId: number, next: ContextEntry | undefined } | undefined => {
    const pending = answerPending.get(reply.middleOut === undefined ? null : JSON.stringify(reply.middleOut), messageId)
    if (pending === undefined) {
      if (messageExists.get(messageId) === undefined) return undefined // deleted with its conversation
      throw new Error(`message ${messageId} is not pending`)
    }
    const conversationId = pending.conversation_id
    const { lastInsertRowid } = insertMessage.run(pending.user_id, conversationId, 'ai', pending.endpoint, reply.status, reply.text, reply.createdAt, null, 0)
    const cached = contexts.peek(conversationId)
    if (cached === undefined) return undefined
    const newer = countNewer.get(conversationId, cached.version) ?? 0
    return { conversationId, next: extendContext(cached, newer, messageId, pending.text, Number(lastInsertRowid), reply.text) }
  })

  const report = createSqliteReport(db)
  const attempts = createSqliteAttempts(db)
  const users = createSqliteUsers(db)
  const single = db.transaction((work: () => unknown) => work())
  const { write, drain } = tuning.groupCommit === false
    ? { write: async <T>(work: () => T): Promise<T> => guard(() => single.immediate(work) as T), drain: () => {} }
    : createWriteBatch(db, guard)

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

    async createUser (username, passwordHash, createdAt) {
      return await write(() => users.create(username, passwordHash, createdAt))
    },

    async findUser (username) {
      return guard(() => users.byName(username))
    },

    async findUserById (id) {
      return guard(() => users.byId(id))
    },

    async changePassword (userId, passwordHash) {
      return await write(() => users.changePassword(userId, passwordHash))
    },

    async deleteUser (userId) {
      // The user's conversations can no longer be named: their cached contexts are never read again.
      return await write(() => users.remove(userId))
    },

    ...createSqliteApiKeys(db, write, guard),

    async admitMessage (message, window) {
      try {
        return await write(() => admit(message, window), message.text.length)
      } catch (err) {
        // The account was deleted while this request, authenticated just before, was on its way.
        if (err instanceof Sqlite.SqliteError && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new AppError('invalid_token', { cause: err })
        throw err
      }
    },

    async completeMessage (messageId, reply) {
      const change = await write(() => complete(Number(messageId), reply), reply.text.length)
      // After the commit, never inside the transaction: a write rolled back must not reach the cache.
      if (change === undefined) return
      if (change.next === undefined) contexts.delete(change.conversationId)
      else contexts.set(change.conversationId, change.next)
    },

    async failMessage (messageId) {
      await write(() => setStatus.run('failed', Number(messageId)))
    },

    async history (userId, lastN) {
      const rows = guard(() => selectHistory.all(Number(userId), lastN))
      return rows.reverse().map(toRecord)
    },

    async promptHistory (userId, conversationId, lastN) {
      const user = rowId(userId)
      // The version first: rows read after it are at least as new, so an entry can be stale only
      // towards the future, and the next check reads it again.
      const read = guard(() => {
        const id = user === null ? null : conversations.owns(user, conversationId)
        if (id === null) return null
        if (tuning.contextCache === false) return { id, version: 0, cached: undefined, rows: selectContext.all(id, lastN).reverse() }
        const version = newestReplyId.get(id) ?? 0
        const cached = contexts.get(id)
        const hit = cached !== undefined && cached.version === version && cached.lastN === lastN
        return { id, version, cached: hit ? cached.records : undefined, rows: hit ? [] : selectContext.all(id, lastN).reverse() }
      })
      if (read === null) return []
      const { id, version, cached, rows } = read
      if (cached !== undefined) return cached
      // Texts are read about CONTEXT_TURN_BYTES at a time, each batch in a turn of the event loop of
      // its own: 20 records at the limit (8 MB of UTF-8) in one read held the loop ~35 ms (issue 12).
      const records: ContextRecord[] = []
      let bytes = 0
      for (const row of rows) {
        if (bytes > 0 && bytes + row.bytes > CONTEXT_TURN_BYTES) {
          bytes = 0
          await nextTurn()
        }
        bytes += row.bytes
        const text = guard(() => selectText.get(row.id))
        // A row gone meanwhile (its conversation or account deleted) is left out.
        if (text !== undefined) records.push({ type: row.role, text })
      }
      if (tuning.contextCache !== false) contexts.set(id, { version, lastN, records })
      return records
    },

    async createConversation (userId, title, createdAt) {
      return await write(() => conversations.create(userId, title, createdAt))
    },

    async listConversations (userId, query) {
      return guard(() => conversations.list(userId, query))
    },

    async findConversation (userId, conversationId) {
      return guard(() => conversations.find(userId, conversationId))
    },

    async renameConversation (userId, conversationId, title) {
      return await write(() => conversations.rename(userId, conversationId, title))
    },

    async deleteConversation (userId, conversationId, now) {
      const removed = await write(() => conversations.remove(userId, conversationId, now))
      // After the commit: a conversation id is never used again, but the entry's room is freed.
      if (removed !== null) contexts.delete(removed)
      return removed !== null
    },

    async conversationHistory (userId, conversationId, lastN) {
      return guard(() => {
        const found = conversations.find(userId, conversationId)
        return found === null ? null : selectConversationHistory.all(Number(found.id), lastN).reverse().map(toRecord)
      })
    },

    async countToday (userId, window) {
      return guard(() => countSince.get({ userId: Number(userId), since: window.dayStart, pendingSince: window.pendingSince })?.n ?? 0)
    },

    async report (userId, range, readText) {
      return guard(() => report(Number(userId), range, readText))
    },

    async reserveAttempt (scopes, now) {
      return await write(() => attempts.reserve(scopes, now))
    },

    async releaseAttempt (id, keys, clear) {
      await write(() => attempts.release(id, keys, clear))
    },

    async close () {
      drain()
      await checkpointer.stop()
      db.close()
    }
  }
}

function toRecord (row: MessageRow): ChatRecord {
  const base = { id: String(row.id), conversationId: String(row.conversation_id), text: row.text, createdAt: row.created_at, endpoint: row.endpoint }
  if (row.role === 'ai') return { ...base, type: 'ai', status: row.status as 'complete' | 'incomplete' }
  return {
    ...base,
    type: 'user',
    status: row.status as 'pending' | 'answered' | 'failed',
    ...(row.mood === null ? {} : { mood: row.mood }),
    ...(row.middle_out === null ? {} : { middleOut: JSON.parse(row.middle_out) as MiddleOutReport })
  }
}
