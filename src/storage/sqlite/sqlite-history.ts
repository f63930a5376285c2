import type { Database } from 'better-sqlite3'
import type { ChatRecord, ContextRecord, MiddleOutReport } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import { nextTurn } from '../../process/next-turn.js'
import type { ContextCache } from './context-cache.js'
import { guard } from './open.js'
import type { SqliteConversations } from './sqlite-conversations.js'
import { rowId } from './sqlite-users.js'

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

interface ContextRow { id: number, role: 'user' | 'ai', bytes: number }

export type SqliteHistory = Pick<Store, 'history' | 'promptHistory' | 'conversationHistory'>

interface Parts { conversations: SqliteConversations, contexts: ContextCache }

/** The reads of past records: a user's history, a conversation's, and what the provider sees. */
export function createSqliteHistory (db: Database, { conversations, contexts }: Parts): SqliteHistory {
  const selectHistory = db.prepare<[number, number], MessageRow>(
    `SELECT ${RECORD_COLUMNS} FROM messages WHERE user_id = ? ORDER BY id DESC LIMIT ?`)
  const selectConversationHistory = db.prepare<[number, number], MessageRow>(
    `SELECT ${RECORD_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`)
  // The context's rows and their sizes (octet_length reads no text), then each text by id.
  const selectContext = db.prepare<[number, number], ContextRow>(
    `SELECT id, role, octet_length(text) AS bytes FROM messages
     WHERE conversation_id = ? AND (role = 'ai' OR status = 'answered') ORDER BY id DESC LIMIT ?`)
  const selectText = db.prepare<[number], string>('SELECT text FROM messages WHERE id = ?').pluck()

  const readContext = async (conversationId: number, lastN: number): Promise<ContextRecord[]> =>
    await readTexts(guard(() => selectContext.all(conversationId, lastN)).reverse(), (id) => guard(() => selectText.get(id)))

  return {
    async history (userId, lastN) {
      const rows = guard(() => selectHistory.all(Number(userId), lastN))
      return rows.reverse().map(toRecord)
    },

    async promptHistory (userId, conversationId, lastN) {
      const user = rowId(userId)
      const id = user === null ? null : guard(() => conversations.owns(user, conversationId))
      if (id === null) return []
      return await contexts.read(id, lastN, async () => await readContext(id, lastN))
    },

    async conversationHistory (userId, conversationId, lastN) {
      return guard(() => {
        const found = conversations.find(userId, conversationId)
        return found === null ? null : selectConversationHistory.all(Number(found.id), lastN).reverse().map(toRecord)
      })
    }
  }
}

/**
 * Texts are read about CONTEXT_TURN_BYTES at a time, each batch in a turn of the event loop of its
 * own: 20 records at the limit (8 MB of UTF-8) in one read held the loop ~35 ms (issue 12).
 */
async function readTexts (rows: ContextRow[], textOf: (id: number) => string | undefined): Promise<ContextRecord[]> {
  const records: ContextRecord[] = []
  let bytes = 0
  for (const row of rows) {
    if (bytes > 0 && bytes + row.bytes > CONTEXT_TURN_BYTES) {
      bytes = 0
      await nextTurn()
    }
    bytes += row.bytes
    const text = textOf(row.id)
    // A row gone meanwhile (its conversation or account deleted) is left out.
    if (text !== undefined) records.push({ type: row.role, text })
  }
  return records
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
