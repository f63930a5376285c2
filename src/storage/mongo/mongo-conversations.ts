import { ObjectId, type ClientSession, type Collection, type Db } from 'mongodb'
import { titleFrom, titleKey } from '../../domain/conversation-title.js'
import { AppError } from '../../errors.js'
import { MAX_EMPTY_CONVERSATIONS, type Conversation } from '../../domain/conversations.js'
import type { Store } from '../../domain/store.js'
import { isDuplicateKey, type Call } from './connection.js'
import { parseId, toConversation, type ConversationDoc, type MessageDoc, type QuotaDoc } from './documents.js'
import { answeredSlotUpdate, byIdFilter, lit } from './queries.js'
import type { Atomic } from './transactions.js'

export type MongoConversationMethods = Pick<Store, 'createConversation' | 'listConversations' | 'findConversation' | 'renameConversation' | 'deleteConversation'>

/** What admission and the history reads use, inside their own calls (and sessions). */
export interface MongoConversations {
  /** The user's conversation of this id, else `null`. */
  owned (userId: ObjectId, conversationId: string, session?: ClientSession): Promise<ObjectId | null>
  /** The one named, else `conversation_not_found`. */
  named (userId: ObjectId, conversationId: string, session: ClientSession | undefined): Promise<ObjectId>
  /** The user's most recently used conversation, or a new one. */
  latestOrNew (userId: ObjectId, createdAt: number, session: ClientSession | undefined): Promise<ObjectId>
  /** A message was admitted: used now, and named by it if untitled. False when it is gone. */
  touch (conversationId: ObjectId, at: number, title: string | undefined, session: ClientSession | undefined): Promise<boolean>
}

/** ASCII punctuation and spaces escaped: the search is a plain substring, whatever it holds. */
const escapeRegex = (text: string): string => text.replace(/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g, '\\$&')

const mine = (userId: ObjectId, id: ObjectId) => ({ _id: { $eq: id }, userId: { $eq: userId } })

const newDoc = (userId: ObjectId, title: string, createdAt: number): ConversationDoc =>
  ({ _id: new ObjectId(), userId, title, titleKey: titleKey(title), createdAt, updatedAt: createdAt })

function ids (userId: string, conversationId: string): { user: ObjectId, id: ObjectId } | null {
  const user = parseId(userId)
  const id = parseId(conversationId)
  return user === null || id === null ? null : { user, id }
}

export function createMongoConversations (db: Db, prefix: string): MongoConversations {
  const conversations: Collection<ConversationDoc> = db.collection(prefix + 'conversations')
  const owned = async (userId: ObjectId, conversationId: string, session?: ClientSession): Promise<ObjectId | null> => {
    const id = parseId(conversationId)
    if (id === null) return null
    const doc = await conversations.findOne(mine(userId, id), { projection: { _id: 1 }, ...(session === undefined ? {} : { session }) })
    return doc?._id ?? null
  }

  return {
    owned,

    async named (userId, conversationId, session) {
      const id = await owned(userId, conversationId, session)
      if (id === null) throw new AppError('conversation_not_found')
      return id
    },

    async latestOrNew (userId, createdAt, session) {
      const latest = await conversations.find({ userId: { $eq: userId } }, { projection: { _id: 1 }, session }).sort({ updatedAt: -1, _id: -1 }).limit(1).toArray()
      if (latest[0] !== undefined) return latest[0]._id
      const doc = newDoc(userId, '', createdAt)
      await conversations.insertOne(doc, { session })
      return doc._id
    },

    async touch (conversationId, at, title, session) {
      const untitled = { $eq: ['$title', ''] }
      const named = title !== undefined && title !== ''
      const touched = await conversations.updateOne(byIdFilter(conversationId), [{
        $set: {
          updatedAt: { $cond: [{ $gt: [lit(at), '$updatedAt'] }, lit(at), '$updatedAt'] },
          ...(named ? { titleKey: { $cond: [untitled, lit(titleKey(title)), '$titleKey'] }, title: { $cond: [untitled, lit(title), '$title'] } } : {})
        }
      }], { session })
      return touched.matchedCount > 0
    }
  }
}

interface Collections {
  conversations: Collection<ConversationDoc>
  messages: Collection<MessageDoc>
  quotas: Collection<QuotaDoc>
  users: Collection
}

/** The Store's conversation methods. */
export function createMongoConversationMethods (db: Db, prefix: string, atomic: Atomic, call: Call): MongoConversationMethods {
  const c: Collections = {
    conversations: db.collection(prefix + 'conversations'),
    messages: db.collection(prefix + 'messages'),
    quotas: db.collection(prefix + 'quotas'),
    users: db.collection(prefix + 'users')
  }
  const counted = async (docs: ConversationDoc[]) => await withCounts(c.messages, docs)

  return {
    /** The check of empty conversations and the insert are one transaction where there are transactions. */
    async createConversation (userId, title, createdAt) {
      const user = parseId(userId)
      if (user === null) return null
      return await call(async () => await atomic.run(async (session) => await insert(c, user, title, createdAt, session)))
    },

    async listConversations (userId, { search, limit }) {
      const user = parseId(userId)
      if (user === null) return []
      const filter = { userId: { $eq: user }, ...(search === undefined ? {} : { titleKey: { $regex: escapeRegex(titleKey(search)) } }) }
      return await call(async () => await counted(await c.conversations.find(filter).sort({ updatedAt: -1, _id: -1 }).limit(limit).toArray()))
    },

    async findConversation (userId, conversationId) {
      const found = ids(userId, conversationId)
      if (found === null) return null
      return await call(async () => {
        const doc = await c.conversations.findOne(mine(found.user, found.id))
        return doc === null ? null : (await counted([doc]))[0] ?? null
      })
    },

    async renameConversation (userId, conversationId, title) {
      const found = ids(userId, conversationId)
      if (found === null) return null
      return await call(async () => {
        const doc = await c.conversations.findOneAndUpdate(mine(found.user, found.id), { $set: { title, titleKey: titleKey(title) } }, { returnDocument: 'after' })
        return doc === null ? null : (await counted([doc]))[0] ?? null
      })
    },

    async deleteConversation (userId, conversationId) {
      const found = ids(userId, conversationId)
      if (found === null) return false
      return await call(async () => await atomic.run(async (session) => await remove(c, found, session)))
    }
  }
}

async function insert (c: Collections, user: ObjectId, title: string, createdAt: number, session: ClientSession | undefined): Promise<Conversation | null> {
  if (await c.users.findOne(byIdFilter(user), { projection: { _id: 1 }, session }) === null) return null
  const theirs = await c.conversations.find({ userId: { $eq: user } }, { projection: { _id: 1 }, session }).toArray()
  const used = await counts(c.messages, theirs.map((doc) => doc._id))
  if (theirs.length - used.size >= MAX_EMPTY_CONVERSATIONS) throw new AppError('too_many_conversations')
  const doc = newDoc(user, title, createdAt)
  await c.conversations.insertOne(doc, { session })
  return toConversation(doc, 0)
}

/**
 * The conversation, then its messages: one transaction where there are transactions. The quota
 * document keeps its slots, so what the messages used stays used; a message still pending
 * counts as answered (its reply, if it comes, is not stored). Without transactions, a crash
 * in between leaves messages whose conversation is gone: they stay in `/user/history`.
 */
async function remove (c: Collections, found: { user: ObjectId, id: ObjectId }, session: ClientSession | undefined): Promise<boolean> {
  const gone = await c.conversations.findOneAndDelete(mine(found.user, found.id), { session })
  if (gone === null) return false
  const pending = await c.messages.find({ conversationId: { $eq: found.id }, status: 'pending', exempt: { $ne: true } }, { projection: { createdAt: 1 }, session }).toArray()
  for (const message of pending) await c.quotas.updateOne({ _id: found.user }, answeredSlotUpdate(message._id, message.createdAt), { session })
  await c.messages.deleteMany({ conversationId: { $eq: found.id } }, { session })
  return true
}

/** Records per conversation: each message document holds the message and maybe its reply. */
async function counts (messages: Collection<MessageDoc>, ids: ObjectId[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map()
  const rows = await messages.aggregate<{ _id: ObjectId, records: number }>([
    { $match: { conversationId: { $in: ids } } },
    { $group: { _id: '$conversationId', records: { $sum: { $cond: [{ $gte: ['$reply.seq', 0] }, 2, 1] } } } }
  ]).toArray()
  return new Map(rows.map((row) => [row._id.toHexString(), row.records]))
}

async function withCounts (messages: Collection<MessageDoc>, docs: ConversationDoc[]) {
  const found = await counts(messages, docs.map((doc) => doc._id))
  return docs.map((doc) => toConversation(doc, found.get(doc._id.toHexString()) ?? 0))
}

/**
 * The messages from before conversations (and any an instance of an earlier release stored
 * meanwhile) go into one conversation per user, whose id is the user's: run at every start, so
 * several instances doing it at once make the same conversation, and a second run finds nothing.
 */
export async function adoptOrphans (db: Db, prefix: string): Promise<void> {
  const messages: Collection<MessageDoc> = db.collection(prefix + 'messages')
  const conversations: Collection<ConversationDoc> = db.collection(prefix + 'conversations')
  const orphan = { conversationId: { $exists: false } }
  const owners = await messages.aggregate<{ _id: ObjectId, createdAt: number, updatedAt: number }>([
    { $match: orphan },
    { $group: { _id: '$userId', createdAt: { $min: '$createdAt' }, updatedAt: { $max: '$createdAt' } } }
  ]).toArray()
  for (const owner of owners) {
    const [first] = await messages.find({ userId: { $eq: owner._id } }, { projection: { text: 1 } }).sort({ seq: 1 }).limit(1).toArray()
    const title = titleFrom(first?.text ?? '')
    try {
      await conversations.insertOne({ _id: owner._id, userId: owner._id, title, titleKey: titleKey(title), createdAt: owner.createdAt, updatedAt: owner.updatedAt })
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
    }
    await messages.updateMany({ userId: { $eq: owner._id }, ...orphan }, { $set: { conversationId: owner._id } })
  }
}
