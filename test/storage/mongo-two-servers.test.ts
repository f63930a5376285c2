import { describe, expect, it, onTestFinished } from 'vitest'
import { dropTestCollections, MONGO_SKIP_REASON, TEST_MONGODB_URI, testCollectionPrefix, testDatabase } from '../helpers/mongo.js'
import type { ServerProcess } from '../helpers/server-process.js'
import { prepareServers } from '../helpers/servers.js'
import { burst, signUp, tally } from '../helpers/http-client.js'

// The limits across instances: two server processes on one MongoDB database, as on Atlas behind a
// load balancer. The SQLite variant is in test/http/concurrency.test.ts.
const uri = TEST_MONGODB_URI

async function startTwo (env: Record<string, string>): Promise<[ServerProcess, ServerProcess]> {
  if (uri === undefined) throw new Error('TEST_MONGODB_URI is not set')
  const dbName = testDatabase()
  const prefix = testCollectionPrefix()
  // The data dir holds only the generated JWT secret here, shared by both processes.
  const { start } = await prepareServers('mongo-2proc', { MONGODB_URI: uri, MONGODB_DB: dbName, MONGODB_COLLECTION_PREFIX: prefix, ...env })
  onTestFinished(() => dropTestCollections(uri, dbName, prefix))
  // One first, so the indexes exist before the race (creating them concurrently is fine too).
  const a = await start()
  const b = await start()
  return [a, b]
}

if (uri === undefined) console.log(`MongoDB two-server limits: ${MONGO_SKIP_REASON}`)

describe.skipIf(uri === undefined)(`limits across two server processes on one MongoDB${uri === undefined ? ` (${MONGO_SKIP_REASON})` : ''}`, () => {
  it('admits exactly 3 of 50 simultaneous requests of one user, spread over both', async () => {
    const [a, b] = await startTwo({})
    const health = await (await fetch(`${a.url}/healthz`)).json() as { storage: string }
    expect(health.storage).toBe('mongodb')
    const token = await signUp(a.url, 'eric')
    const results = await burst([a.url, b.url], token, 50)
    expect(tally(results)).toEqual({ 200: 3, 401: 47 })
    expect(new Set(results.filter((r) => r.status === 401).map((r) => r.body.error))).toEqual(new Set(['burst_limit_exceeded']))
  })

  it('holds the daily limit exactly across both', async () => {
    const [a, b] = await startTwo({ DAILY_MESSAGE_LIMIT: '7', BURST_MESSAGE_LIMIT: '1000' })
    const token = await signUp(b.url, 'Eric')
    const results = await burst([a.url, b.url], token, 40)
    expect(tally(results)).toEqual({ 200: 7, 401: 33 })
    const status = await fetch(`${a.url}/user/status`, { headers: { authorization: `Bearer ${token}` } })
    expect(await status.json()).toMatchObject({ chat_cnt: 7 })
  })
})
