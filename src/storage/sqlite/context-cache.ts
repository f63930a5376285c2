import { LRUCache } from 'lru-cache'
import type { ContextRecord } from '../../domain/messages.js'

/**
 * What the provider sees of each user's past, kept per process so a chat need not read it again:
 * under load that read was about 15% of the gateway's CPU (20 rows with their text), while the
 * check below is one index seek, about 20× cheaper.
 *
 * An entry is valid for `version`, the id of the user's newest reply when it was read: records only
 * ever join a context with a new reply row (a message is answered in the transaction that inserts
 * its reply; nothing is deleted), so while the user's newest reply is unchanged the context is too.
 * A message admitted and still pending does not change it, so the chat service can read the
 * context after admission and still find it here. That holds across processes sharing the file:
 * another process's reply changes the newest reply id, and the entry is read again.
 *
 * Bounded by the text it holds (about 2 bytes a character), least recently used first out.
 */
export interface ContextEntry {
  readonly version: number
  readonly lastN: number
  readonly records: readonly ContextRecord[]
}

const MAX_CHARACTERS = 16 * 1024 * 1024

export function createContextCache (maxCharacters = MAX_CHARACTERS): LRUCache<number, ContextEntry> {
  return new LRUCache<number, ContextEntry>({
    maxSize: maxCharacters,
    sizeCalculation: (entry) => entry.records.reduce((size, record) => size + record.text.length + 16, 16)
  })
}

/**
 * The entry after this process answered message `messageId` with reply `replyId`, given that the
 * user has exactly these two rows newer than `entry.version` (the caller counts them inside the
 * write transaction); otherwise undefined: the entry must be read again.
 */
export function extendContext (entry: ContextEntry, newerRows: number, messageId: number, message: string, replyId: number, reply: string): ContextEntry | undefined {
  if (newerRows !== 2 || messageId <= entry.version) return undefined
  const records = [...entry.records, { type: 'user' as const, text: message }, { type: 'ai' as const, text: reply }]
  return { version: replyId, lastN: entry.lastN, records: records.slice(Math.max(0, records.length - entry.lastN)) }
}
