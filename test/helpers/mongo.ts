import { createHash, randomBytes } from 'node:crypto'

/**
 * MongoDB for tests: `TEST_MONGODB_URI` names a server (a replica set or Atlas cluster works too).
 * Every test runs in one database, the one the URI names (`…/simplechat_test?…`), else
 * `TEST_MONGODB_DB`, else `simplechat_test`, and keeps to collections of its own prefix, dropped
 * afterwards: a user with `readWrite` on that database is all the tests need. Without the URI the
 * MongoDB tests are skipped, and say so.
 */
export const TEST_MONGODB_URI: string | undefined = process.env.TEST_MONGODB_URI === '' ? undefined : process.env.TEST_MONGODB_URI

export const MONGO_SKIP_REASON = 'skipped: TEST_MONGODB_URI is not set (point it at a MongoDB server to run these)'

/** The database tests use: the URI's own, else TEST_MONGODB_DB, else `simplechat_test`. */
export function testDatabase (uri = TEST_MONGODB_URI ?? ''): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/i.exec(uri)?.[1] ?? ''
  const named = decodeURIComponent(path)
  if (named !== '') return named
  return process.env.TEST_MONGODB_DB === undefined || process.env.TEST_MONGODB_DB === '' ? 'simplechat_test' : process.env.TEST_MONGODB_DB
}

const PREFIX_START = 't_'

/** A fresh collection prefix; with `seed`, the same one for the same seed (a data dir reused across a restart). */
export function testCollectionPrefix (seed?: string): string {
  const id = seed === undefined ? randomBytes(6).toString('hex') : createHash('sha256').update(seed).digest('hex').slice(0, 12)
  return `${PREFIX_START}${id}_`
}

/** Drops a test's collections (the driver is loaded only when a MongoDB is in use). */
export async function dropTestCollections (uri: string, dbName: string, prefix: string): Promise<void> {
  if (!prefix.startsWith(PREFIX_START) || prefix.length < PREFIX_START.length + 6) throw new Error(`refusing to drop "${prefix}*": not a test prefix`)
  const { MongoClient } = await import('mongodb')
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15_000 })
  try {
    const db = client.db(dbName)
    const collections = await db.listCollections({}, { nameOnly: true, authorizedCollections: true }).toArray()
    for (const { name } of collections) {
      if (name.startsWith(prefix)) await db.collection(name).drop()
    }
  } finally {
    await client.close()
  }
}
