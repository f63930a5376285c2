import Sqlite from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import type { Admission, QuotaWindow } from '../../domain/limits.js'
import type { NewMessage, Reply } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import { AppError } from '../../errors.js'
import type { ContextCache } from './context-cache.js'
import type { SqliteConversations } from './sqlite-conversations.js'
import type { SqliteQuota } from './sqlite-quota.js'
import type { Write } from './writes.js'

export type SqliteMessages = Pick<Store, 'admitMessage' | 'completeMessage' | 'failMessage'>

interface Parts { write: Write, conversations: SqliteConversations, quota: SqliteQuota, contexts: ContextCache }

/** A message's life: admitted (pending), then answered with its reply, or failed. */
export function createSqliteMessages (db: Database, { write, conversations, quota, contexts }: Parts): SqliteMessages {
  const insertMessage = db.prepare<[number, number, string, string, string, string, number, string | null, number]>(
    'INSERT INTO messages (user_id, conversation_id, role, endpoint, status, text, created_at, mood, exempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const answerPending = db.prepare<[string | null, number], { user_id: number, conversation_id: number, endpoint: string, text: string }>(
    "UPDATE messages SET status = 'answered', middle_out = ? WHERE id = ? AND role = 'user' AND status = 'pending' RETURNING user_id, conversation_id, endpoint, text")
  const messageExists = db.prepare<[number], number>('SELECT 1 FROM messages WHERE id = ?').pluck()
  const setStatus = db.prepare<[string, number]>('UPDATE messages SET status = ? WHERE id = ?')

  const admit = db.transaction((message: NewMessage, window: QuotaWindow): Admission => {
    const userId = Number(message.userId)
    // The conversation named is checked first: a bad id is a 404, not a refusal on record.
    const named = message.conversationId === undefined ? undefined : conversations.forMessage(userId, message.conversationId, message.createdAt)
    const refused = message.exempt === true ? undefined : quota.refusal(userId, message, window)
    if (refused !== undefined) return refused
    const conversationId = named ?? conversations.forMessage(userId, undefined, message.createdAt)
    const exempt = message.exempt === true ? 1 : 0
    const { lastInsertRowid } = insertMessage.run(userId, conversationId, 'user', message.endpoint, 'pending', message.text, message.createdAt, message.mood ?? null, exempt)
    conversations.touch(conversationId, message.createdAt, message.title)
    return { admitted: true, messageId: String(lastInsertRowid), conversationId: String(conversationId) }
  })

  // Returns what becomes of the conversation's cached context, to run once the write has committed.
  const complete = db.transaction((messageId: number, reply: Reply): (() => void) | undefined => {
    const pending = answerPending.get(reply.middleOut === undefined ? null : JSON.stringify(reply.middleOut), messageId)
    if (pending === undefined) {
      if (messageExists.get(messageId) === undefined) return undefined // deleted with its conversation
      throw new Error(`message ${messageId} is not pending`)
    }
    const conversationId = pending.conversation_id
    const { lastInsertRowid } = insertMessage.run(pending.user_id, conversationId, 'ai', pending.endpoint, reply.status, reply.text, reply.createdAt, null, 0)
    return contexts.replied(conversationId, messageId, pending.text, Number(lastInsertRowid), reply.text)
  })

  return {
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
      const afterCommit = await write(() => complete(Number(messageId), reply), reply.text.length)
      // After the commit, never inside the transaction: a write rolled back must not reach the cache.
      afterCommit?.()
    },

    async failMessage (messageId) {
      await write(() => setStatus.run('failed', Number(messageId)))
    }
  }
}
