import { MongoClient, MongoParseError, ObjectId, type Collection, type Db, type Document } from 'mongodb'
import { ConfigError } from '../../config.js'
import type { ChatRecord, Store } from '../store.js'
import { clientOptions, describeUri, guard, isDuplicateKey, redact, SERVER_SELECTION_TIMEOUT_MS } from './connection.js'
import { newestRecords, parseId, toUser, type MessageDoc, type QuotaDoc, type RefusalDoc, type UserDoc } from './documents.js'
import { createMongoReport } from './mongo-report.js'
import {
  admissionOf,
  admissionUpdate,
  answerUpdate,
  byIdFilter,
  completionUpdate,
  countToday,
  FAIL_UPDATE,
  historyQueries,
  INDEXES,
  newMessageDoc,
  NEXT_SEQ_UPDATE,
  newRefusalDoc,
  newUserDoc,
  pendingMessageFilter,
  releaseSlotUpdate,
  userByNameFilter
} from './queries.js'

export interface MongoStoreOptions {
  uri: string
  dbName: string
  /** Start-up and per-operation wait for a usable server (default 5 s). */
  serverSelectionTimeoutMS?: number
}

/**
 * Connects (a short server-selection timeout plus a `ping`, so an unreachable database stops
 * start-up with a clear message), creates the collections' indexes idempotently, and returns the
 * store. Errors name the host, never the password.
 */
export async function createMongoStore (options: MongoStoreOptions): Promise<Store> {
  const where = describeUri(options.uri)
  const timeoutMs = options.serverSelectionTimeoutMS ?? SERVER_SELECTION_TIMEOUT_MS
  let client: MongoClient
  try {
    client = new MongoClient(options.uri, clientOptions(options.uri, timeoutMs))
  } catch (err) {
    const reason = err instanceof MongoParseError ? redact(err.message, options.uri) : 'it could not be parsed'
    throw new ConfigError(`invalid configuration: MONGODB_URI (${where}): ${reason}`)
  }

  try {
    await client.connect()
    await client.db(options.dbName).command({ ping: 1 })
  } catch (err) {
    await client.close().catch(() => {})
    throw new ConfigError(
      `cannot reach MongoDB at ${where} within ${timeoutMs / 1000} s: ${reasonOf(err, options.uri)}. ` +
      'Check MONGODB_URI, that the server is running, and, on Atlas, that this machine\'s IP address is in the project\'s Network Access list.')
  }

  const db = client.db(options.dbName)
  try {
    await ensureIndexes(db)
  } catch (err) {
    await client.close().catch(() => {})
    throw new ConfigError(`MongoDB at ${where} (database "${options.dbName}"): could not create the indexes: ${reasonOf(err, options.uri)}`)
  }
  return createMongoStoreOn(db, async () => { await client.close() })
}

/** Creates every collection's indexes; creating an index that exists with the same definition is a no-op. */
export async function ensureIndexes (db: Db): Promise<void> {
  for (const [name, indexes] of Object.entries(INDEXES)) {
    if (indexes.length > 0) await db.collection(name).createIndexes(indexes)
  }
}

/** The store on an open database (start-up, indexes and closing are the caller's). */
export function createMongoStoreOn (db: Db, close: () => Promise<void>): Store {
  const users: Collection<UserDoc> = db.collection('users')
  const messages: Collection<MessageDoc> = db.collection('messages')
  const quotas: Collection<QuotaDoc> = db.collection('quotas')
  const refusals: Collection<RefusalDoc> = db.collection('refusals')
  const report = createMongoReport(messages, refusals)

  /** The quota document after an atomic pipeline update, created on first use. */
  const updateQuota = async (userId: ObjectId, pipeline: Document[]): Promise<QuotaDoc | null> => {
    // Two first admissions of one user may both try to insert the document; the loser retries
    // and then finds it (MongoDB ≥ 4.2 usually retries this itself).
    for (let attempt = 1; ; attempt++) {
      try {
        return await quotas.findOneAndUpdate({ _id: userId }, pipeline, { upsert: true, returnDocument: 'after' })
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err
      }
    }
  }

  /** The user's newest `lastN` records, oldest first; `answeredOnly` for `context`. */
  const newest = async (userId: string, lastN: number, answeredOnly: boolean): Promise<ChatRecord[]> => {
    const id = parseId(userId)
    if (id === null || !(lastN >= 1)) return []
    const limit = Math.floor(lastN)
    const batches = await guard(() => Promise.all(historyQueries(id, limit, { answeredOnly }).map(({ filter, sort, limit }) =>
      messages.find(filter).sort(sort).limit(limit).toArray())))
    return newestRecords(batches.flat(), limit)
  }

  return {
    kind: 'mongodb',

    async createUser (username, passwordHash, createdAt) {
      const doc = newUserDoc(new ObjectId(), username, passwordHash, createdAt)
      try {
        await guard(() => users.insertOne(doc))
      } catch (err) {
        if (isDuplicateKey(err)) return null
        throw err
      }
      return toUser(doc)
    },

    async findUser (username) {
      const doc = await guard(() => users.findOne(userByNameFilter(username)))
      return doc === null ? null : toUser(doc)
    },

    /**
     * One atomic update of the user's quota document decides and reserves the slot; the message is
     * then inserted under the slot's id. If that insert fails, the slot is handed back; if the
     * process dies in between, the slot is a pending one that never completes, and stops counting
     * at `pendingSince`, like a pending message abandoned by a crash.
     */
    async admitMessage (message, window) {
      const userId = requireId(message.userId, 'user')
      const slotId = new ObjectId()
      if (message.exempt === true) {
        const quota = await guard(() => updateQuota(userId, NEXT_SEQ_UPDATE))
        await guard(() => messages.insertOne(newMessageDoc(slotId, userId, quota?.seq ?? 0, message)))
        return { admitted: true, messageId: slotId.toHexString() }
      }
      const quota = await guard(() => updateQuota(userId, admissionUpdate(slotId, message.createdAt, window)))
      const outcome = admissionOf(quota, slotId)
      if (!outcome.admitted) {
        await guard(() => refusals.insertOne(newRefusalDoc(userId, outcome.limit, message)))
        return outcome
      }
      try {
        await guard(() => messages.insertOne(newMessageDoc(slotId, userId, outcome.seq, message)))
      } catch (err) {
        // The insert may have landed before the error: remove it, then release the slot. If the
        // database is gone for these too, both expire together at `pendingSince`.
        await messages.deleteOne(byIdFilter(slotId)).catch(() => {})
        await quotas.updateOne({ _id: userId }, releaseSlotUpdate(slotId)).catch(() => {})
        throw err
      }
      return { admitted: true, messageId: slotId.toHexString() }
    },

    /**
     * The slot becomes answered first, then the message gets its reply (one atomic update of the
     * message document: status and ai record together). Dying in between leaves the message
     * pending without a reply while its slot counts: the safe side for the limits.
     */
    async completeMessage (messageId, reply) {
      const id = requireId(messageId, 'message')
      const pending = await guard(() => messages.findOne(pendingMessageFilter(id), { projection: { userId: 1, createdAt: 1, exempt: 1 } }))
      if (pending === null) throw new Error(`message ${messageId} is not pending`)
      const update = pending.exempt === true ? NEXT_SEQ_UPDATE : completionUpdate(id, pending.createdAt)
      const quota = await guard(() => updateQuota(pending.userId, update))
      const seq = quota?.seq ?? 0
      const result = await guard(() => messages.updateOne(pendingMessageFilter(id), answerUpdate(new ObjectId(), seq, reply)))
      if (result.matchedCount === 0) {
        // Failed meanwhile (the service never does both; a caller might): the slot must not count.
        const now = await guard(() => messages.findOne(byIdFilter(id), { projection: { status: 1 } }))
        if (now?.status === 'failed') await guard(() => quotas.updateOne({ _id: pending.userId }, releaseSlotUpdate(id)))
        throw new Error(`message ${messageId} is not pending`)
      }
    },

    /**
     * The message is marked failed first, then its slot is released. Dying in between leaves the
     * slot pending: it counts until `pendingSince` (the safe side), then no more.
     */
    async failMessage (messageId) {
      const id = parseId(messageId)
      if (id === null) return
      const failed = await guard(() => messages.findOneAndUpdate(byIdFilter(id), FAIL_UPDATE, { projection: { userId: 1 } }))
      if (failed === null) return
      await guard(() => quotas.updateOne({ _id: failed.userId }, releaseSlotUpdate(id)))
    },

    async history (userId, lastN) {
      return await newest(userId, lastN, false)
    },

    async context (userId, lastN) {
      return (await newest(userId, lastN, true)).map(({ type, text }) => ({ type, text }))
    },

    async countToday (userId, window) {
      const id = parseId(userId)
      if (id === null) return 0
      const quota = await guard(() => quotas.findOne({ _id: id }, { projection: { slots: 1 } }))
      return countToday(quota?.slots, window)
    },

    async report (userId, range, readText) {
      const id = parseId(userId)
      return await guard(() => report(id, range, readText))
    },

    close
  }
}

function requireId (id: string, what: string): ObjectId {
  const parsed = parseId(id)
  if (parsed === null) throw new Error(`not a ${what} id: ${JSON.stringify(id)}`)
  return parsed
}

function reasonOf (err: unknown, uri: string): string {
  const message = err instanceof Error ? err.message : String(err)
  return redact(message, uri).replace(/\s+/g, ' ').trim()
}
