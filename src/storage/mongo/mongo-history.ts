import type { Collection, Db } from 'mongodb'
import type { ChatRecord } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import type { Call } from './connection.js'
import { newestRecords, parseId, type MessageDoc } from './documents.js'
import type { MongoConversations } from './mongo-conversations.js'
import { historyQueries, type HistoryOwner } from './queries.js'

export type MongoHistory = Pick<Store, 'history' | 'promptHistory' | 'conversationHistory'>

/** The reads of past records: a user's history, a conversation's, and what the provider sees. */
export function createMongoHistory (db: Db, prefix: string, call: Call, conversations: MongoConversations): MongoHistory {
  const messages: Collection<MessageDoc> = db.collection(prefix + 'messages')

  /** The newest `lastN` records of a user or a conversation, oldest first; `answeredOnly` for `promptHistory`. */
  const newest = async (owner: HistoryOwner, lastN: number, answeredOnly: boolean): Promise<ChatRecord[]> => {
    if (!(lastN >= 1)) return []
    const limit = Math.floor(lastN)
    // With `answeredOnly`, documents hold only texts and positions: read as records, only `type`
    // and `text` are used.
    const batches = await call(() => Promise.all(historyQueries(owner, limit, { answeredOnly }).map(({ filter, sort, limit, projection }) =>
      messages.find(filter, projection === undefined ? {} : { projection }).sort(sort).limit(limit).toArray())))
    return newestRecords(batches.flat(), limit)
  }
  /** The user's conversation of this id, else `null`. */
  const owned = async (userId: string, conversationId: string) => {
    const user = parseId(userId)
    return user === null ? null : await call(() => conversations.owned(user, conversationId))
  }

  return {
    async history (userId, lastN) {
      const id = parseId(userId)
      return id === null ? [] : await newest({ userId: id }, lastN, false)
    },

    async promptHistory (userId, conversationId, lastN) {
      const id = await owned(userId, conversationId)
      if (id === null) return []
      return (await newest({ conversationId: id }, lastN, true)).map(({ type, text }) => ({ type, text }))
    },

    async conversationHistory (userId, conversationId, lastN) {
      const id = await owned(userId, conversationId)
      return id === null ? null : await newest({ conversationId: id }, lastN, false)
    }
  }
}
