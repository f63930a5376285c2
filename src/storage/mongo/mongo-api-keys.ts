import { ObjectId, type Collection, type Db } from 'mongodb'
import type { Store } from '../../domain/store.js'
import type { ApiKey } from '../../domain/users.js'
import type { Call } from './connection.js'
import { parseId } from './documents.js'
import { byIdFilter } from './queries.js'
import type { Atomic } from './transactions.js'

/** `apiKeys`: one per key; `keyHash` (hex SHA-256 of the key) is unique. */
interface ApiKeyDoc { _id: ObjectId, userId: ObjectId, name: string, keyHash: string, createdAt: number, conversationId?: ObjectId }

export type MongoApiKeys = Pick<Store, 'createApiKey' | 'listApiKeys' | 'deleteApiKey' | 'findApiKey' | 'linkApiKeyConversation'>

const PROJECTION = { projection: { keyHash: 0 } }

export function createMongoApiKeys (db: Db, prefix: string, atomic: Atomic, call: Call): MongoApiKeys {
  const keys: Collection<ApiKeyDoc> = db.collection(prefix + 'apiKeys')
  const users = db.collection(prefix + 'users')
  return {
    /**
     * Only for a user that exists: in one transaction with the check where the deployment has them.
     * Without, a key stored while its account is deleted can outlive it, but names nobody: every
     * use of a key also reads its user (`auth/api-keys.ts`).
     */
    async createApiKey (userId, name, keyHash, createdAt) {
      const id = parseId(userId)
      if (id === null) return null
      const doc: ApiKeyDoc = { _id: new ObjectId(), userId: id, name, keyHash, createdAt }
      return await call(async () => await atomic.run(async (session) => {
        if (await users.findOne(byIdFilter(id), { projection: { _id: 1 }, session }) === null) return null
        await keys.insertOne(doc, { session })
        return toApiKey(doc)
      }))
    },
    async listApiKeys (userId) {
      const id = parseId(userId)
      if (id === null) return []
      const docs = await call(() => keys.find({ userId: { $eq: id } }, PROJECTION).sort({ createdAt: -1, _id: -1 }).toArray())
      return docs.map(toApiKey)
    },
    async deleteApiKey (userId, keyId) {
      const id = parseId(userId)
      const key = parseId(keyId)
      if (id === null || key === null) return false
      const { deletedCount } = await call(() => keys.deleteOne({ _id: { $eq: key }, userId: { $eq: id } }))
      return deletedCount === 1
    },
    async findApiKey (keyHash) {
      if (typeof keyHash !== 'string') return null
      const doc = await call(() => keys.findOne({ keyHash: { $eq: keyHash } }, PROJECTION))
      return doc === null ? null : toApiKey(doc)
    },
    async linkApiKeyConversation (keyId, conversationId, replacing) {
      const key = parseId(keyId)
      const conversation = parseId(conversationId)
      const stale = replacing === null ? null : parseId(replacing)
      if (key === null || conversation === null || (replacing !== null && stale === null)) return null
      // One document, so one atomic update: set only while it still names `replacing` (or none).
      const current = stale === null ? { conversationId: { $exists: false } } : { conversationId: { $eq: stale } }
      const after = await call(() => keys.findOneAndUpdate({ _id: { $eq: key }, ...current }, { $set: { conversationId: conversation } }, { returnDocument: 'after', projection: { conversationId: 1 } }))
      const doc = after ?? await call(() => keys.findOne({ _id: { $eq: key } }, { projection: { conversationId: 1 } }))
      return doc?.conversationId?.toHexString() ?? null
    }
  }
}

function toApiKey (doc: Pick<ApiKeyDoc, '_id' | 'userId' | 'name' | 'createdAt' | 'conversationId'>): ApiKey {
  const key: ApiKey = { id: doc._id.toHexString(), userId: doc.userId.toHexString(), name: doc.name, createdAt: doc.createdAt }
  return doc.conversationId === undefined ? key : { ...key, conversationId: doc.conversationId.toHexString() }
}
