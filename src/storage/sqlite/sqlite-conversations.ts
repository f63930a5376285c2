import type { Database } from 'better-sqlite3'
import { titleKey } from '../../domain/conversation-title.js'
import { AppError } from '../../errors.js'
import { MAX_EMPTY_CONVERSATIONS, type Conversation, type ConversationQuery } from '../../domain/conversations.js'
import { DAY_MS } from '../../domain/report.js'
import type { Store } from '../../domain/store.js'
import type { ContextCache } from './context-cache.js'
import { guard } from './open.js'
import { rowId } from './sqlite-users.js'
import type { Write } from './writes.js'

interface ConversationRow { id: number, title: string, created_at: number, updated_at: number, message_count: number }

const COLUMNS = 'c.id, c.title, c.created_at, c.updated_at, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count'

/**
 * How long the limits' share of a deleted conversation is kept: today and the burst window are
 * both within it, whatever DAY_TIMEZONE (a local day starts at most 26 hours before now).
 */
const SPENT_KEEP_MS = 2 * DAY_MS

/**
 * The `conversations` table. Statements run synchronously, in the caller's transaction (the
 * store's group commit for writes); an id that is not a row id names no conversation.
 */
export interface SqliteConversations {
  create (userId: string, title: string, createdAt: number): Conversation | null
  list (userId: string, query: ConversationQuery): Conversation[]
  find (userId: string, conversationId: string): Conversation | null
  rename (userId: string, conversationId: string, title: string): Conversation | null
  /** Returns the row id of the conversation removed, or `null`. */
  remove (userId: string, conversationId: string, now: number): number | null
  /**
   * The conversation a message is admitted to: the one named (throws `conversation_not_found`,
   * or `invalid_token` when the user is gone), else the most recently used, else a new one.
   */
  forMessage (userId: number, conversationId: string | undefined, createdAt: number): number
  /** Whether the conversation is the user's: the check before the one named is admitted to. */
  owns (userId: number, conversationId: string): number | null
  /** A message was admitted: the conversation is used now, and named by it if it has no title. */
  touch (conversationId: number, at: number, title: string | undefined): void
}

export type SqliteConversationMethods = Pick<Store, 'createConversation' | 'listConversations' | 'findConversation' | 'renameConversation' | 'deleteConversation'>

/** The Store's conversation methods: writes in the store's group commit, reads guarded. */
export function createSqliteConversationMethods (conversations: SqliteConversations, write: Write, contexts: ContextCache): SqliteConversationMethods {
  return {
    createConversation: async (userId, title, createdAt) => await write(() => conversations.create(userId, title, createdAt)),
    listConversations: async (userId, query) => guard(() => conversations.list(userId, query)),
    findConversation: async (userId, conversationId) => guard(() => conversations.find(userId, conversationId)),
    renameConversation: async (userId, conversationId, title) => await write(() => conversations.rename(userId, conversationId, title)),
    async deleteConversation (userId, conversationId, now) {
      const removed = await write(() => conversations.remove(userId, conversationId, now))
      // After the commit: a conversation id is never used again, but the entry's room is freed.
      if (removed !== null) contexts.forget(removed)
      return removed !== null
    }
  }
}

type Statements = ReturnType<typeof prepare>

function prepare (db: Database) {
  return {
    insert: db.prepare<[number, string, string, number, number, number]>(
      'INSERT INTO conversations (user_id, title, title_key, created_at, updated_at) SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)'),
    countEmpty: db.prepare<[number], number>(
      'SELECT count(*) FROM conversations c WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)').pluck(),
    selectOne: db.prepare<[number, number], ConversationRow>(`SELECT ${COLUMNS} FROM conversations c WHERE c.id = ? AND c.user_id = ?`),
    selectList: db.prepare<{ userId: number, search: string | null, limit: number }, ConversationRow>(
      `SELECT ${COLUMNS} FROM conversations c
       WHERE c.user_id = @userId AND (@search IS NULL OR instr(c.title_key, @search) > 0)
       ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit`),
    selectOwned: db.prepare<[number, number], number>('SELECT id FROM conversations WHERE id = ? AND user_id = ?').pluck(),
    selectLatest: db.prepare<[number], number>('SELECT id FROM conversations WHERE user_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1').pluck(),
    userExists: db.prepare<[number], number>('SELECT 1 FROM users WHERE id = ?').pluck(),
    setTitle: db.prepare<[string, string, number, number]>('UPDATE conversations SET title = ?, title_key = ? WHERE id = ? AND user_id = ?'),
    setUsed: db.prepare<{ id: number, at: number, title: string | null, key: string | null }>(
      `UPDATE conversations SET updated_at = max(updated_at, @at),
         title = CASE WHEN title = '' AND @title IS NOT NULL THEN @title ELSE title END,
         title_key = CASE WHEN title = '' AND @title IS NOT NULL THEN @key ELSE title_key END
       WHERE id = @id`),
    // Its messages that count against the limits now or may still: answered or pending, recent.
    keepSpent: db.prepare<[number, number]>(
      `INSERT INTO spent_quota (user_id, created_at) SELECT user_id, created_at FROM messages
       WHERE conversation_id = ? AND role = 'user' AND exempt = 0 AND status IN ('answered', 'pending') AND created_at >= ?`),
    deleteRecords: db.prepare<[number]>('DELETE FROM messages WHERE conversation_id = ?'),
    deleteOne: db.prepare<[number]>('DELETE FROM conversations WHERE id = ?'),
    forgetSpent: db.prepare<[number, number]>('DELETE FROM spent_quota WHERE user_id = ? AND created_at < ?')
  }
}

export function createSqliteConversations (db: Database): SqliteConversations {
  const s = prepare(db)
  const create = (user: number, title: string, createdAt: number): number | null => {
    const { changes, lastInsertRowid } = s.insert.run(user, title, titleKey(title), createdAt, createdAt, user)
    return changes === 1 ? Number(lastInsertRowid) : null
  }
  const find = (user: number, id: number): Conversation | null => toConversation(s.selectOne.get(id, user))
  const owns = (user: number, conversationId: string): number | null => {
    const id = rowId(conversationId)
    return id === null ? null : s.selectOwned.get(id, user) ?? null
  }

  return {
    create (userId, title, createdAt) {
      const user = rowId(userId)
      if (user === null) return null
      if (s.countEmpty.get(user) as number >= MAX_EMPTY_CONVERSATIONS) throw new AppError('too_many_conversations')
      const id = create(user, title, createdAt)
      return id === null ? null : find(user, id)
    },
    list (userId, { search, limit }) {
      const user = rowId(userId)
      if (user === null) return []
      return s.selectList.all({ userId: user, search: search === undefined ? null : titleKey(search), limit }).map((row) => toConversation(row) as Conversation)
    },
    find (userId, conversationId) {
      const ids = rowIds(userId, conversationId)
      return ids === null ? null : find(ids.user, ids.id)
    },
    rename (userId, conversationId, title) {
      const ids = rowIds(userId, conversationId)
      if (ids === null || s.setTitle.run(title, titleKey(title), ids.id, ids.user).changes === 0) return null
      return find(ids.user, ids.id)
    },
    remove: (userId, conversationId, now) => remove(s, rowIds(userId, conversationId), now),
    forMessage (user, conversationId, createdAt) {
      if (conversationId !== undefined) {
        const id = owns(user, conversationId)
        if (id !== null) return id
        throw new AppError(s.userExists.get(user) === undefined ? 'invalid_token' : 'conversation_not_found')
      }
      const id = s.selectLatest.get(user) ?? create(user, '', createdAt)
      if (id === null) throw new AppError('invalid_token')
      return id
    },
    owns,
    touch (id, at, title) {
      const named = title === undefined || title === '' ? null : title
      s.setUsed.run({ id, at, title: named, key: named === null ? null : titleKey(named) })
    }
  }
}

/** The conversation and its records; what its messages used of the limits is kept in `spent_quota`. */
function remove (s: Statements, ids: { user: number, id: number } | null, now: number): number | null {
  if (ids === null || s.selectOwned.get(ids.id, ids.user) === undefined) return null
  s.keepSpent.run(ids.id, now - SPENT_KEEP_MS)
  s.deleteRecords.run(ids.id)
  s.deleteOne.run(ids.id)
  s.forgetSpent.run(ids.user, now - SPENT_KEEP_MS)
  return ids.id
}

function rowIds (userId: string, conversationId: string): { user: number, id: number } | null {
  const user = rowId(userId)
  const id = rowId(conversationId)
  return user === null || id === null ? null : { user, id }
}

function toConversation (row: ConversationRow | undefined): Conversation | null {
  if (row === undefined) return null
  return { id: String(row.id), title: row.title, createdAt: row.created_at, updatedAt: row.updated_at, messageCount: row.message_count }
}
