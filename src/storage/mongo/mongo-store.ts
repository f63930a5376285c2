import { ObjectId, type Collection, type Db } from 'mongodb'
import type { QuotaWindow } from '../../domain/limits.js'
import type { ChatRecord } from '../../domain/messages.js'
import type { Store } from '../../domain/store.js'
import { AppError } from '../../errors.js'
import { DEFAULT_TIMEOUTS, guard, isDuplicateKey, type MongoTimeouts } from './connection.js'
import { newestRecords, parseId, toUser, type MessageDoc, type QuotaDoc, type RefusalDoc, type UserDoc } from './documents.js'
import { createMissingCollections, INDEXES, reconcileIndexes, RETIRED, type CollectionName } from './indexes.js'
import { createMongoAttempts, type AttemptDoc } from './mongo-attempts.js'
import { createMongoReport } from './mongo-report.js'
import { createMongoApiKeys } from './mongo-api-keys.js'
import { adoptOrphans, createMongoConversations } from './mongo-conversations.js'
import { createMongoUsers } from './mongo-users.js'
import {
  admissionOf,
  admissionUpdate,
  answeredSlotUpdate,
  answerUpdate,
  byIdFilter,
  countToday,
  FAIL_UPDATE,
  historyQueries,
  type HistoryOwner,
  newMessageDoc,
  newRefusalDoc,
  newUserDoc,
  NEXT_SEQ_UPDATE,
  pendingMessageFilter,
  releaseSlotUpdate,
  repairSlotsUpdate,
  staleSlots,
  userByNameFilter
} from './queries.js'
import { checkDocumentSizes, fitReply, type SizeLimits } from './sizing.js'
import { openDatabase } from './startup.js'
import { createAtomic, supportsTransactions, type Atomic } from './transactions.js'

export interface MongoStoreOptions {
  uri: string
  dbName: string
  /** Put before every collection name: several apps (or test runs) can share one database. */
  collectionPrefix?: string
  /** Tests shorten these; the defaults ride out a replica-set election. */
  timeouts?: Partial<MongoTimeouts>
  /** The settings that size documents, refused at start if MongoDB could not store them. */
  limits?: SizeLimits
}

/**
 * Connects and prepares the database within one start-up bound (`startup.ts`: a clear message
 * for each way it can fail), reconciles the indexes (`indexes.ts`), finds out whether the
 * deployment runs transactions, and returns the store.
 */
export async function createMongoStore (options: MongoStoreOptions): Promise<Store> {
  if (options.limits !== undefined) checkDocumentSizes(options.limits)
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  const prefix = options.collectionPrefix ?? ''
  let transactions = false
  const { client, db } = await openDatabase(options.uri, options.dbName, timeouts, async (db) => {
    await prepareCollections(db, prefix)
    transactions = await supportsTransactions(db)
  })
  return createMongoStoreOn(db, {
    atomic: createAtomic(client, transactions, timeouts.callDeadlineMS),
    prefix,
    callDeadlineMS: timeouts.callDeadlineMS,
    close: async () => { await client.close() }
  })
}

/** Every collection, created, and its indexes, reconciled with their definitions. */
async function prepareCollections (db: Db, prefix: string): Promise<void> {
  const names = Object.keys(INDEXES) as CollectionName[]
  await createMissingCollections(db, names.map((name) => prefix + name))
  for (const name of names) {
    await reconcileIndexes(db, prefix + name, INDEXES[name], RETIRED[name])
  }
  await adoptOrphans(db, prefix)
}

export interface StoreContext {
  atomic: Atomic
  prefix: string
  callDeadlineMS: number
  close: () => Promise<void>
}

/** The store on an open, prepared database. */
function createMongoStoreOn (db: Db, { atomic, prefix, callDeadlineMS, close }: StoreContext): Store {
  /** One Store call: its operations share one deadline; an unreachable database is a 503. */
  const call = async <T>(operation: () => Promise<T>): Promise<T> => await guard(callDeadlineMS, operation)
  const users: Collection<UserDoc> = db.collection(prefix + 'users')
  const messages: Collection<MessageDoc> = db.collection(prefix + 'messages')
  const quotas: Collection<QuotaDoc> = db.collection(prefix + 'quotas')
  const refusals: Collection<RefusalDoc> = db.collection(prefix + 'refusals')
  const report = createMongoReport(messages, refusals)
  const attempts = createMongoAttempts(db.collection<AttemptDoc>(prefix + 'attempts'), call)

  /**
   * Without transactions, a crash between two writes can leave a pending slot whose message was
   * answered, failed or never stored. Once such a slot is old enough to have stopped counting,
   * its message decides: answered counts, failed or missing goes, pending stays (abandoned, it
   * counts under a window whose `pendingSince` is older). Run before the slots are counted.
   */
  const repairSlots = async (userId: ObjectId, window: QuotaWindow): Promise<void> => {
    if (atomic.transactions) return
    const quota = await quotas.findOne({ _id: userId }, { projection: { slots: 1 } })
    const stale = staleSlots(quota?.slots, window).map((slot) => slot.id)
    if (stale.length === 0) return
    const found = await messages.find({ _id: { $in: stale } }, { projection: { status: 1 } }).toArray()
    const answered = found.filter((doc) => doc.status === 'answered').map((doc) => doc._id)
    const pending = found.filter((doc) => doc.status === 'pending').map((doc) => doc._id)
    const dropped = stale.filter((id) => ![...answered, ...pending].some((other) => other.equals(id)))
    if (answered.length + dropped.length > 0) await quotas.updateOne({ _id: userId }, repairSlotsUpdate(answered, dropped))
  }

  /** A message insert failed without a transaction: it may have landed before the error, so it goes, then its slot. */
  const handBack = async (userId: ObjectId, slotId: ObjectId): Promise<void> => {
    await messages.deleteOne(byIdFilter(slotId)).catch(() => {})
    await quotas.updateOne({ _id: userId }, releaseSlotUpdate(slotId)).catch(() => {})
  }

  /** The newest `lastN` records of a user or a conversation, oldest first; `answeredOnly` for `context`. */
  const newest = async (owner: HistoryOwner, lastN: number, answeredOnly: boolean): Promise<ChatRecord[]> => {
    if (!(lastN >= 1)) return []
    const limit = Math.floor(lastN)
    // With `answeredOnly`, documents hold only texts and positions: read as records, only `type`
    // and `text` are used.
    const batches = await call(() => Promise.all(historyQueries(owner, limit, { answeredOnly }).map(({ filter, sort, limit, projection }) =>
      messages.find(filter, projection === undefined ? {} : { projection }).sort(sort).limit(limit).toArray())))
    return newestRecords(batches.flat(), limit)
  }
  const conversations = createMongoConversations(db, prefix, atomic, call, newest)

  return {
    kind: 'mongodb',

    async createUser (username, passwordHash, createdAt) {
      const doc = newUserDoc(new ObjectId(), username, passwordHash, createdAt)
      try {
        await call(() => users.insertOne(doc))
      } catch (err) {
        if (isDuplicateKey(err)) return null
        throw err
      }
      return toUser(doc)
    },

    ...createMongoUsers(db, prefix, atomic, call),
    ...createMongoApiKeys(db, prefix, atomic, call),
    createConversation: conversations.createConversation,
    listConversations: conversations.listConversations,
    findConversation: conversations.findConversation,
    renameConversation: conversations.renameConversation,
    deleteConversation: conversations.deleteConversation,
    conversationHistory: conversations.conversationHistory,

    async ping () {
      await call(() => db.command({ ping: 1 }))
    },

    async findUser (username) {
      const doc = await call(() => users.findOne(userByNameFilter(username)))
      return doc === null ? null : toUser(doc)
    },

    /**
     * One atomic update of the user's quota document decides and reserves the slot, and the
     * message is inserted under the slot's id: one transaction. Without transactions the slot
     * comes first; a failed insert hands it back, a crash leaves a slot without a message, which
     * stops counting at `pendingSince` like an abandoned message, and the repair then drops it.
     * An exempt message takes a history position and no slot. The conversation named is read
     * first (a bad id is a 404, no refusal on record); the message then makes it the most recently
     * used, and names it if untitled. Without one named, it goes to the most recently used, or a
     * new one (two first messages at once without transactions may make two). A conversation
     * deleted between its read and the message's insert (possible only without transactions)
     * makes the admission a 404 `conversation_not_found`, its slot handed back.
     */
    async admitMessage (message, window) {
      const userId = requireId(message.userId, 'user')
      return await call(async () => {
        await repairSlots(userId, window)
        // Two first admissions of one user may both insert the quota document; the loser reruns.
        return await atomic.run(async (session) => {
          const named = message.conversationId === undefined ? undefined : await conversations.named(userId, message.conversationId, session)
          const slotId = new ObjectId()
          const store = async (seq: number): Promise<{ admitted: true, messageId: string, conversationId: string }> => {
            const conversationId = named ?? await conversations.latestOrNew(userId, message.createdAt, session)
            await messages.insertOne(newMessageDoc(slotId, userId, conversationId, seq, message), { session })
            if (!await conversations.touch(conversationId, message.createdAt, message.title, session)) {
              // Deleted since it was read (only without transactions): the message goes with it.
              await messages.deleteOne({ _id: slotId }, { session })
              throw new AppError('conversation_not_found')
            }
            return { admitted: true, messageId: slotId.toHexString(), conversationId: conversationId.toHexString() }
          }
          if (message.exempt === true) {
            const next = await quotas.findOneAndUpdate({ _id: userId }, NEXT_SEQ_UPDATE, { upsert: true, returnDocument: 'after', projection: { seq: 1 }, session })
            return await store(next?.seq ?? 0)
          }
          const quota = await quotas.findOneAndUpdate({ _id: userId }, admissionUpdate(slotId, message.createdAt, window), { upsert: true, returnDocument: 'after', session })
          const outcome = admissionOf(quota, slotId)
          if (!outcome.admitted) {
            await refusals.insertOne(newRefusalDoc(userId, outcome.limit, message), { session })
            return outcome
          }
          try {
            return await store(outcome.seq)
          } catch (err) {
            if (session === undefined) await handBack(userId, slotId)
            throw err
          }
        }, isDuplicateKey)
      })
    },

    /**
     * The reply takes the next history position, the message becomes answered with it (one update
     * of the message document: status and ai record together), then the slot becomes answered: one
     * transaction. Without transactions, a crash after the first write leaves the message pending
     * and its slot pending (it stops counting at `pendingSince`, as an abandoned message); after
     * the second, an answered message with a pending slot, which the repair counts. Never a
     * pending message whose slot counts as answered.
     */
    async completeMessage (messageId, reply) {
      const id = requireId(messageId, 'message')
      await call(async () => await atomic.run(async (session) => {
        const pending = await messages.findOne(pendingMessageFilter(id), { projection: { userId: 1, createdAt: 1, exempt: 1 }, session })
        if (pending === null) {
          if (await messages.findOne(byIdFilter(id), { projection: { _id: 1 }, session }) === null) return // deleted with its conversation
          throw new Error(`message ${messageId} is not pending`)
        }
        const quota = await quotas.findOneAndUpdate({ _id: pending.userId }, NEXT_SEQ_UPDATE, { upsert: true, returnDocument: 'after', projection: { seq: 1 }, session })
        const result = await messages.updateOne(pendingMessageFilter(id), answerUpdate(new ObjectId(), quota?.seq ?? 0, fitReply(reply)), { session })
        if (result.matchedCount === 0) throw new Error(`message ${messageId} is not pending`) // failed meanwhile
        if (pending.exempt !== true) await quotas.updateOne({ _id: pending.userId }, answeredSlotUpdate(id, pending.createdAt), { session })
      }))
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
        const failed = await messages.findOneAndUpdate(byIdFilter(id), FAIL_UPDATE, { projection: { userId: 1 }, session })
        if (failed !== null) await quotas.updateOne({ _id: failed.userId }, releaseSlotUpdate(id), { session })
      }))
    },

    async history (userId, lastN) {
      const id = parseId(userId)
      return id === null ? [] : await newest({ userId: id }, lastN, false)
    },

    async promptHistory (userId, conversationId, lastN) {
      const user = parseId(userId)
      const id = user === null ? null : await call(() => conversations.owned(user, conversationId))
      if (id === null) return []
      return (await newest({ conversationId: id }, lastN, true)).map(({ type, text }) => ({ type, text }))
    },

    async countToday (userId, window) {
      const id = parseId(userId)
      if (id === null) return 0
      const quota = await call(async () => {
        await repairSlots(id, window)
        return await quotas.findOne({ _id: id }, { projection: { slots: 1 } })
      })
      return countToday(quota?.slots, window)
    },

    async report (userId, range, readText) {
      const id = parseId(userId)
      return await call(() => report(id, range, readText))
    },

    reserveAttempt: attempts.reserve,
    releaseAttempt: attempts.release,

    close
  }
}

function requireId (id: string, what: string): ObjectId {
  const parsed = parseId(id)
  if (parsed === null) throw new Error(`not a ${what} id: ${JSON.stringify(id)}`)
  return parsed
}
