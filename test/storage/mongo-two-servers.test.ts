import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dropTestDatabase, MONGO_SKIP_REASON, TEST_MONGODB_URI, testDatabaseName } from '../helpers/mongo.js'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js'
import { startUpstream } from '../helpers/upstream.js'
import { post, signUp, tally } from '../helpers/http-client.js'

// The limits across instances: two server processes on one MongoDB database, as on Atlas behind a
// load balancer. The SQLite variant is in test/http/concurrency.test.ts.
const uri = TEST_MONGODB_URI

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startTwo (env: Record<string, string>): Promise<[ServerProcess, ServerProcess]> {
  if (uri === undefined) throw new Error('TEST_MONGODB_URI is not set')
  const upstream = await startUpstream()
  cleanups.push(() => upstream.close())
  // The data dir holds only the generated JWT secret here, shared by both processes.
  const dataDir = await mkdtemp(join(tmpdir(), 'simple-chat-mongo-2proc-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  const dbName = testDatabaseName()
  cleanups.push(() => dropTestDatabase(uri, dbName))
  const full = { DATA_DIR: dataDir, MONGODB_URI: uri, MONGODB_DB: dbName, LLM_BASE_URL: upstream.url, LLM_API_KEY: 'sk-test', ...env }
  // One first, so the indexes exist before the race (creating them concurrently is fine too).
  const a = await startServerProcess(full, dataDir)
  cleanups.push(() => a.stop())
  const b = await startServerProcess(full, dataDir)
  cleanups.push(() => b.stop())
  return [a, b]
}

if (uri === undefined) console.log(`MongoDB two-server limits: ${MONGO_SKIP_REASON}`)

describe.skipIf(uri === undefined)(`limits across two server processes on one MongoDB${uri === undefined ? ` (${MONGO_SKIP_REASON})` : ''}`, () => {
  it('admits exactly 3 of 50 simultaneous requests of one user, spread over both', async () => {
    const [a, b] = await startTwo({})
    const health = await (await fetch(`${a.url}/healthz`)).json() as { storage: string }
    expect(health.storage).toBe('mongodb')
    const token = await signUp(a.url, 'eric')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      post(i % 2 === 0 ? a.url : b.url, '/llm/message', { message: `m${i}` }, token)))
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 3, 401: 47 })
    expect(new Set(results.filter((r) => r.status === 401).map((r) => r.body.error))).toEqual(new Set(['burst_limit_exceeded']))
  })

  it('holds the daily limit exactly across both', async () => {
    const [a, b] = await startTwo({ DAILY_MESSAGE_LIMIT: '7', BURST_MESSAGE_LIMIT: '1000' })
    const token = await signUp(b.url, 'Eric')
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      post(i % 2 === 0 ? a.url : b.url, '/llm/message', { message: `m${i}` }, token)))
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 7, 401: 33 })
    const status = await fetch(`${a.url}/user/status`, { headers: { authorization: `Bearer ${token}` } })
    expect(await status.json()).toMatchObject({ chat_cnt: 7 })
  })
})
