import { randomUUID } from 'node:crypto'
import type { Collection, Db, Document } from 'mongodb'
import type { AttemptScope } from '../../domain/limits.js'
import type { Store } from '../../domain/store.js'
import { isDuplicateKey, type Call } from './connection.js'
import { lit } from './queries.js'

/**
 * `attempts`: one document per scope (`_id` is the scope's key) holding its live attempts. Each
 * reservation is one atomic pipeline update of that document, so the count and the append are one
 * step for every process. `expiresAt` (the latest expiry) lets a TTL index remove idle scopes.
 */
export interface AttemptDoc {
  _id: string
  owner?: string
  attempts: Array<{ id: string, exp: number }>
  expiresAt: Date
}

export type MongoAttempts = Pick<Store, 'reserveAttempt' | 'releaseAttempt'>

/** Drops the expired attempts, then appends attempt `id` if the scope has room. */
function reserveUpdate (scope: AttemptScope, id: string, now: number): Document[] {
  const live = { $filter: { input: { $ifNull: ['$attempts', []] }, as: 'a', cond: { $gt: ['$$a.exp', lit(now)] } } }
  const added = { $in: [lit(id), '$attempts.id'] }
  return [
    { $set: { attempts: live } },
    {
      $set: {
        attempts: {
          $cond: [{ $lt: [{ $size: '$attempts' }, lit(scope.limit)] }, { $concatArrays: ['$attempts', [lit({ id, exp: now + scope.windowMs })]] }, '$attempts']
        }
      }
    },
    { $set: { expiresAt: { $cond: [added, lit(new Date(now + scope.windowMs)), '$expiresAt'] }, ...(scope.owner === undefined ? {} : { owner: lit(scope.owner) }) } }
  ]
}

/** When a full scope has room again: its `limit`-th latest live expiry. */
function retryAtOf (doc: AttemptDoc | null, scope: AttemptScope, now: number): number {
  const expiries = (doc?.attempts ?? []).map((a) => a.exp).filter((exp) => exp > now).sort((a, b) => b - a)
  return expiries[scope.limit - 1] ?? 0
}

/**
 * Scopes are reserved one after another; when one is full, those already taken are handed back
 * and the rest are only read (for `retryAt`). Another attempt may briefly see a slot that is about
 * to be handed back: it is refused when it could have passed, never the other way round.
 */
export function createMongoAttempts (db: Db, prefix: string, call: Call): MongoAttempts {
  const attempts: Collection<AttemptDoc> = db.collection(prefix + 'attempts')
  const reserveOne = async (scope: AttemptScope, id: string, now: number): Promise<AttemptDoc | null> => {
    // Two first attempts under one key may both try to insert its document; the loser retries.
    for (let attempt = 1; ; attempt++) {
      try {
        return await attempts.findOneAndUpdate({ _id: { $eq: scope.key } }, reserveUpdate(scope, id, now), { upsert: true, returnDocument: 'after' })
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err
      }
    }
  }

  const takeBack = async (id: string, keys: readonly string[]): Promise<void> => {
    if (keys.length > 0) await attempts.updateMany({ _id: { $in: [...keys] } }, { $pull: { attempts: { id } } })
  }

  return {
    async reserveAttempt (scopes, now) {
      const id = randomUUID()
      const taken: string[] = []
      return await call(async () => {
        for (const [i, scope] of scopes.entries()) {
          const doc = await reserveOne(scope, id, now)
          if (doc?.attempts.some((a) => a.id === id) === true) {
            taken.push(scope.key)
            continue
          }
          await takeBack(id, taken)
          let retryAt = retryAtOf(doc, scope, now)
          for (const other of scopes.slice(i + 1)) {
            retryAt = Math.max(retryAt, retryAtOf(await attempts.findOne({ _id: { $eq: other.key } }), other, now))
          }
          return { reserved: false, retryAt }
        }
        return { reserved: true, id }
      })
    },

    async releaseAttempt (id, keys, clear) {
      await call(async () => {
        await takeBack(id, keys)
        if (clear.length > 0) await attempts.deleteMany({ _id: { $in: [...clear] } })
      })
    }
  }
}
