import { ObjectId, type ClientSession, type Collection, type Db } from 'mongodb'
import type { Admission, QuotaWindow } from '../../domain/limits.js'
import type { NewMessage, Reply } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import { AppError } from '../../errors.js'
import { isDuplicateKey, type Call } from './connection.js'
import { parseId, type MessageDoc, type QuotaDoc, type RefusalDoc } from './documents.js'
import type { MongoConversations } from './mongo-conversations.js'
import type { MongoQuota } from './mongo-quota.js'
import {
  admissionOf,
  admissionUpdate,
  answeredSlotUpdate,
  answerUpdate,
  byIdFilter,
  FAIL_UPDATE,
  newMessageDoc,
  newRefusalDoc,
  NEXT_SEQ_UPDATE,
  pendingMessageFilter,
  releaseSlotUpdate
} from './queries.js'
import { fitReply } from './sizing.js'
import type { Atomic } from './transactions.js'

export type MongoMessages = Pick<Store, 'admitMessage' | 'completeMessage' | 'failMessage'>

interface Parts { atomic: Atomic, call: Call, conversations: MongoConversations, quota: MongoQuota }

/** What a message's life writes to, and what decides its conversation. */
interface Writes {
  messages: Collection<MessageDoc>
  quotas: Collection<QuotaDoc>
  refusals: Collection<RefusalDoc>
  conversations: MongoConversations
}

type Admitted = Admission & { admitted: true }

/** A message's life: admitted (pending, with a slot on the user's quota document), then answered with its reply, or failed. */
export function createMongoMessages (db: Db, prefix: string, { atomic, call, conversations, quota }: Parts): MongoMessages {
  const w: Writes = {
    messages: db.collection(prefix + 'messages'),
    quotas: db.collection(prefix + 'quotas'),
    refusals: db.collection(prefix + 'refusals'),
    conversations
  }
  return {
    async admitMessage (message, window) {
      const userId = requireId(message.userId, 'user')
      return await call(async () => {
        await quota.repair(userId, window)
        // Two first admissions of one user may both insert the quota document; the loser reruns.
        return await atomic.run(async (session) => await admit(w, userId, message, window, session), isDuplicateKey)
      })
    },

    async completeMessage (messageId, reply) {
      const id = requireId(messageId, 'message')
      await call(async () => { await atomic.run(async (session) => { await complete(w, id, reply, session) }) })
    },

    /**
     * The message is marked failed and its slot released: one transaction. Without transactions,
     * dying in between leaves the slot pending: it counts until `pendingSince` (the safe side),
     * then the repair drops it.
     */
    async failMessage (messageId) {
      const id = parseId(messageId)
      if (id === null) return
      await call(async () => await atomic.run(async (session) => {
        const failed = await w.messages.findOneAndUpdate(byIdFilter(id), FAIL_UPDATE, { projection: { userId: 1 }, session })
        if (failed !== null) await w.quotas.updateOne({ _id: failed.userId }, releaseSlotUpdate(id), { session })
      }))
    }
  }
}

/**
 * One atomic update of the user's quota document decides and reserves the slot, and the message is
 * inserted under the slot's id: one transaction. Without transactions the slot comes first; a
 * failed insert hands it back, a crash leaves a slot without a message, which stops counting at
 * `pendingSince` like an abandoned message, and the repair then drops it. An exempt message takes
 * a history position and no slot. The conversation named is read first (a bad id is a 404, no
 * refusal on record).
 */
async function admit (w: Writes, userId: ObjectId, message: NewMessage, window: QuotaWindow, session: ClientSession | undefined): Promise<Admission> {
  const named = message.conversationId === undefined ? undefined : await w.conversations.named(userId, message.conversationId, session)
  const slotId = new ObjectId()
  if (message.exempt === true) {
    const next = await w.quotas.findOneAndUpdate({ _id: userId }, NEXT_SEQ_UPDATE, { upsert: true, returnDocument: 'after', projection: { seq: 1 }, session })
    return await store(w, slotId, userId, named, next?.seq ?? 0, message, session)
  }
  const quota = await w.quotas.findOneAndUpdate({ _id: userId }, admissionUpdate(slotId, message.createdAt, window), { upsert: true, returnDocument: 'after', session })
  const outcome = admissionOf(quota, slotId)
  if (!outcome.admitted) {
    await w.refusals.insertOne(newRefusalDoc(userId, outcome.limit, message), { session })
    return outcome
  }
  try {
    return await store(w, slotId, userId, named, outcome.seq, message, session)
  } catch (err) {
    if (session === undefined) await handBack(w, userId, slotId)
    throw err
  }
}

/**
 * The message, under its slot's id, in the conversation named, else the most recently used one, or
 * a new one (two first messages at once without transactions may make two); the conversation is
 * then the most recently used, and named by the message if untitled. A conversation deleted
 * between its read and the message's insert (possible only without transactions) makes the
 * admission a 404 `conversation_not_found`, its slot handed back.
 */
async function store (w: Writes, slotId: ObjectId, userId: ObjectId, named: ObjectId | undefined, seq: number, message: NewMessage, session: ClientSession | undefined): Promise<Admitted> {
  const conversationId = named ?? await w.conversations.latestOrNew(userId, message.createdAt, session)
  await w.messages.insertOne(newMessageDoc(slotId, userId, conversationId, seq, message), { session })
  if (!await w.conversations.touch(conversationId, message.createdAt, message.title, session)) {
    // Deleted since it was read (only without transactions): the message goes with it.
    await w.messages.deleteOne({ _id: slotId }, { session })
    throw new AppError('conversation_not_found')
  }
  return { admitted: true, messageId: slotId.toHexString(), conversationId: conversationId.toHexString() }
}

/** A message insert failed without a transaction: it may have landed before the error, so it goes, then its slot. */
async function handBack (w: Writes, userId: ObjectId, slotId: ObjectId): Promise<void> {
  await w.messages.deleteOne(byIdFilter(slotId)).catch(() => {})
  await w.quotas.updateOne({ _id: userId }, releaseSlotUpdate(slotId)).catch(() => {})
}

/**
 * The reply takes the next history position, the message becomes answered with it (one update of
 * the message document: status and ai record together), then the slot becomes answered: one
 * transaction. Without transactions, a crash after the first write leaves the message pending and
 * its slot pending (it stops counting at `pendingSince`, as an abandoned message); after the
 * second, an answered message with a pending slot, which the repair counts. Never a pending
 * message whose slot counts as answered.
 */
async function complete (w: Writes, id: ObjectId, reply: Reply, session: ClientSession | undefined): Promise<void> {
  const pending = await w.messages.findOne(pendingMessageFilter(id), { projection: { userId: 1, createdAt: 1, exempt: 1 }, session })
  if (pending === null) {
    if (await w.messages.findOne(byIdFilter(id), { projection: { _id: 1 }, session }) === null) return // deleted with its conversation
    throw new Error(`message ${id.toHexString()} is not pending`)
  }
  const quota = await w.quotas.findOneAndUpdate({ _id: pending.userId }, NEXT_SEQ_UPDATE, { upsert: true, returnDocument: 'after', projection: { seq: 1 }, session })
  const result = await w.messages.updateOne(pendingMessageFilter(id), answerUpdate(new ObjectId(), quota?.seq ?? 0, fitReply(reply)), { session })
  if (result.matchedCount === 0) throw new Error(`message ${id.toHexString()} is not pending`) // failed meanwhile
  if (pending.exempt !== true) await w.quotas.updateOne({ _id: pending.userId }, answeredSlotUpdate(id, pending.createdAt), { session })
}

function requireId (id: string, what: string): ObjectId {
  const parsed = parseId(id)
  if (parsed === null) throw new Error(`not a ${what} id: ${JSON.stringify(id)}`)
  return parsed
}
