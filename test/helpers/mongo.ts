import { createHash, randomBytes } from 'node:crypto'

/**
 * MongoDB for tests: `TEST_MONGODB_URI` names a server (a replica set or Atlas cluster works too);
 * each test gets its own database, dropped afterwards. Without it the MongoDB tests are skipped,
 * and say so.
 */
export const TEST_MONGODB_URI: string | undefined = process.env.TEST_MONGODB_URI === '' ? undefined : process.env.TEST_MONGODB_URI

export const MONGO_SKIP_REASON = 'skipped: TEST_MONGODB_URI is not set (point it at a MongoDB server to run these)'

/** A fresh database name; with `seed`, the same name for the same seed (a data dir reused across a restart). */
export function testDatabaseName (seed?: string): string {
  const suffix = seed === undefined ? randomBytes(8).toString('hex') : createHash('sha256').update(seed).digest('hex').slice(0, 16)
  return `simplechat_test_${suffix}`
}

/** Drops a test database (the driver is loaded only when a MongoDB is in use). */
export async function dropTestDatabase (uri: string, name: string): Promise<void> {
  if (!name.startsWith('simplechat_test_')) throw new Error(`refusing to drop ${name}: not a test database`)
  const { MongoClient } = await import('mongodb')
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 })
  try {
    await client.db(name).dropDatabase()
  } finally {
    await client.close()
  }
}
