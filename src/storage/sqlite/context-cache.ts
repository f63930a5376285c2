import type { Database } from 'better-sqlite3'
import { LRUCache } from 'lru-cache'
import type { ContextRecord } from '../../domain/messages.js'
import { guard } from './open.js'

/**
 * What the provider sees of each conversation's past, kept per process so a chat need not read it
 * again: under load that read was about 15% of the gateway's CPU (20 rows with their text), while
 * the check below is one index seek, about 20× cheaper.
 *
 * An entry is valid for `version`, the id of the conversation's newest reply when it was read:
 * records only ever join a context with a new reply row (a message is answered in the transaction
 * that inserts its reply; nothing is deleted), so while the newest reply is unchanged the context
 * is too. A message admitted and still pending does not change it, so the chat service can read the
 * context after admission and still find it here. That holds across processes sharing the file:
 * another process's reply changes the newest reply id, and the entry is read again.
 *
 * Bounded by the text it holds (about 2 bytes a character), least recently used first out.
 */
export interface ContextCache {
  /** The conversation's context from the cache while current, else from `load`, kept for next time. */
  read: (conversationId: number, lastN: number, load: () => Promise<ContextRecord[]>) => Promise<readonly ContextRecord[]>
  /**
   * Inside the transaction that stored message `messageId`'s reply `replyId`: what becomes of the
   * conversation's entry, to be run once the write has committed (a write rolled back must not
   * reach the cache).
   */
  replied: (conversationId: number, messageId: number, message: string, replyId: number, reply: string) => (() => void) | undefined
  /** The conversation is gone: its entry's room is freed. */
  forget: (conversationId: number) => void
}

interface ContextEntry {
  readonly version: number
  readonly lastN: number
  readonly records: readonly ContextRecord[]
}

const MAX_CHARACTERS = 16 * 1024 * 1024

/** Without the cache (`SqliteTuning.contextCache: false`): every read goes to the database. */
export const NO_CONTEXT_CACHE: ContextCache = { read: async (_id, _lastN, load) => await load(), replied: () => undefined, forget: () => {} }

export function createContextCache (db: Database, maxCharacters = MAX_CHARACTERS): ContextCache {
  const entries = new LRUCache<number, ContextEntry>({
    maxSize: maxCharacters,
    sizeCalculation: (entry) => entry.records.reduce((size, record) => size + record.text.length + 16, 16)
  })
  // Backwards through (conversation_id, id), stopping at the first reply: usually the second row.
  const newestReplyId = db.prepare<[number], number>("SELECT id FROM messages WHERE conversation_id = ? AND role = 'ai' ORDER BY id DESC LIMIT 1").pluck()
  const countNewer = db.prepare<[number, number], number>('SELECT count(*) FROM messages WHERE conversation_id = ? AND id > ?').pluck()

  return {
    async read (id, lastN, load) {
      // The version first: rows read after it are at least as new, so an entry can be stale only
      // towards the future, and the next check reads it again.
      const version = guard(() => newestReplyId.get(id)) ?? 0
      const cached = entries.get(id)
      if (cached !== undefined && cached.version === version && cached.lastN === lastN) return cached.records
      const records = await load()
      entries.set(id, { version, lastN, records })
      return records
    },
    replied (id, messageId, message, replyId, reply) {
      const cached = entries.peek(id)
      if (cached === undefined) return undefined
      const next = extendContext(cached, countNewer.get(id, cached.version) ?? 0, messageId, message, replyId, reply)
      return next === undefined ? () => { entries.delete(id) } : () => { entries.set(id, next) }
    },
    forget: (id) => { entries.delete(id) }
  }
}

/**
 * The entry after this process answered message `messageId` with reply `replyId`, given that the
 * conversation has exactly these two rows newer than `entry.version` (counted inside the write
 * transaction); otherwise undefined: the entry must be read again.
 */
function extendContext (entry: ContextEntry, newerRows: number, messageId: number, message: string, replyId: number, reply: string): ContextEntry | undefined {
  if (newerRows !== 2 || messageId <= entry.version) return undefined
  const records = [...entry.records, { type: 'user' as const, text: message }, { type: 'ai' as const, text: reply }]
  return { version: replyId, lastN: entry.lastN, records: records.slice(Math.max(0, records.length - entry.lastN)) }
}
