import { ObjectId, type Collection, type Db } from 'mongodb'
import type { Store } from '../../domain/store.js'
import { newTokenVersion } from '../../domain/users.js'
import { isDuplicateKey, type Call } from './connection.js'
import { parseId, toUser, type UserDoc } from './documents.js'
import type { CollectionName } from './indexes.js'
import { byIdFilter, newUserDoc, userByNameFilter } from './queries.js'
import type { Atomic } from './transactions.js'

/**
 * Every collection that holds documents of a user, by the field that names the user: an
 * account's deletion empties each. A new collection of per-user data is one line here (and the
 * contract suite checks it goes). `attempts` name the account by its username key instead.
 */
const USER_DATA: ReadonlyArray<{ collection: CollectionName, field: string }> = [
  { collection: 'messages', field: 'userId' },
  { collection: 'refusals', field: 'userId' },
  { collection: 'quotas', field: '_id' },
  { collection: 'apiKeys', field: 'userId' },
  { collection: 'conversations', field: 'userId' }
]

export type MongoUsers = Pick<Store, 'createUser' | 'findUser' | 'findUserById' | 'changePassword' | 'deleteUser'>

export function createMongoUsers (db: Db, prefix: string, atomic: Atomic, call: Call): MongoUsers {
  const users: Collection<UserDoc> = db.collection(prefix + 'users')
  return {
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

    async findUser (username) {
      const doc = await call(() => users.findOne(userByNameFilter(username)))
      return doc === null ? null : toUser(doc)
    },

    async findUserById (userId) {
      const id = parseId(userId)
      if (id === null) return null
      const doc = await call(() => users.findOne(byIdFilter(id)))
      return doc === null ? null : toUser(doc)
    },

    async changePassword (userId, passwordHash) {
      const id = parseId(userId)
      if (id === null) return null
      const doc = await call(() => users.findOneAndUpdate(byIdFilter(id), { $set: { passwordHash, tokenVersion: newTokenVersion() } }, { returnDocument: 'after' }))
      return doc === null ? null : toUser(doc)
    },

    /**
     * One transaction where the deployment has them. On a standalone server the user's data goes
     * first and the account last, so a crash in between leaves an account that can log in and
     * delete itself again, never data without an account.
     */
    async deleteUser (userId) {
      const id = parseId(userId)
      if (id === null) return false
      return await call(async () => await atomic.run(async (session) => {
        const user = await users.findOne(byIdFilter(id), { projection: { usernameKey: 1 }, session })
        if (user === null) return false
        for (const { collection, field } of USER_DATA) await db.collection(prefix + collection).deleteMany({ [field]: { $eq: id } }, { session })
        await db.collection(prefix + 'attempts').deleteMany({ owner: { $eq: user.usernameKey } }, { session })
        const { deletedCount } = await users.deleteOne(byIdFilter(id), { session })
        return deletedCount === 1
      }))
    }
  }
}
