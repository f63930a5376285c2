import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { MongoClient, ObjectId } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { migrate } from '../../src/storage/sqlite/migrations.js'
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Store } from '../../src/domain/store.js'
import { startFakeMongoServer } from '../helpers/fake-mongo-server.js'
import { testCollectionPrefix } from '../helpers/mongo.js'

// Records stored before conversations existed: at start each user's go into one conversation,
// named after their first message, and everything works on from there.
const T0 = Date.UTC(2026, 10, 20, 9)
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => { for (const cleanup of cleanups.splice(0).reverse()) await cleanup() })

const OPEN = { now: T0 + 10_000, dayStart: T0, dailyLimit: 100, burstStart: T0, burstLimit: 100, pendingSince: T0 }

/** What both backends must show after the migration of Eric's two exchanges and Alice's one. */
async function checkAdopted (store: Store, eric: string, alice: string): Promise<void> {
  const [theirs] = await store.listConversations(eric, { limit: 10 })
  expect(await store.listConversations(eric, { limit: 10 })).toEqual([
    { id: expect.any(String), title: 'hi, my name is Eric and I would like to talk about my…', createdAt: T0, updatedAt: T0 + 2000, messageCount: 4 }
  ])
  const id = theirs?.id ?? ''
  expect((await store.history(eric, 10)).map((r) => [r.conversationId, r.type, r.text])).toEqual([
    [id, 'user', 'hi, my name is Eric and I would like to talk about my Python exam tomorrow'],
    [id, 'ai', 'Hi Eric!'],
    [id, 'user', 'second'],
    [id, 'ai', 're second']
  ])
  expect((await store.promptHistory(eric, id, 10)).map((r) => r.text)).toEqual(['hi, my name is Eric and I would like to talk about my Python exam tomorrow', 'Hi Eric!', 'second', 're second'])
  expect((await store.listConversations(alice, { limit: 10 })).map((c) => c.title)).toEqual(['alice here'])
  // A new message without a conversation joins the adopted one.
  const next = await store.admitMessage({ userId: eric, text: 'third', endpoint: 'message', createdAt: T0 + 5000 }, OPEN)
  expect(next).toMatchObject({ admitted: true, conversationId: id })
}

describe('records from before conversations', () => {
  it('SQLite: the migration puts each user\'s records in one conversation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simple-chat-migration-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const file = join(dir, 'simple-chat.db')
    const old = new Sqlite(file)
    migrate(old, 7) // the schema of the release before conversations
    const user = old.prepare("INSERT INTO users (username, username_key, password_hash, created_at, token_version) VALUES (?, lower(?), 'h', 0, 'v') RETURNING id").pluck()
    const eric = user.get('eric', 'eric') as number
    const alice = user.get('alice', 'alice') as number
    const message = old.prepare('INSERT INTO messages (user_id, role, endpoint, status, text, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    message.run(eric, 'user', 'message', 'answered', 'hi, my name is Eric and I would like to talk about my Python exam tomorrow', T0)
    message.run(alice, 'user', 'message', 'answered', '  alice here ', T0 + 500)
    message.run(eric, 'ai', 'message', 'complete', 'Hi Eric!', T0 + 1000)
    message.run(eric, 'user', 'advanced', 'answered', 'second', T0 + 2000)
    message.run(eric, 'ai', 'advanced', 'complete', 're second', T0 + 3000)
    old.close()

    const store = createSqliteStore(file)
    cleanups.push(() => store.close())
    expect(await store.countToday(String(eric), OPEN)).toBe(2)
    await checkAdopted(store, String(eric), String(alice))
  })

  it('MongoDB: every start adopts messages without a conversation, once, even with several instances', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const options = { uri: fake.uri, dbName: 'simplechat_test', collectionPrefix: testCollectionPrefix(), timeouts: { serverSelectionTimeoutMS: 2000 } }
    const first = await createMongoStore(options)
    cleanups.push(() => first.close())
    const eric = (await first.createUser('eric', 'h', 0))?.id ?? ''
    const alice = (await first.createUser('alice', 'h', 0))?.id ?? ''

    // Documents as the release before conversations wrote them.
    const client = new MongoClient(fake.uri)
    cleanups.push(() => client.close())
    const messages = client.db(options.dbName).collection(`${options.collectionPrefix}messages`)
    const doc = (userId: string, seq: number, text: string, createdAt: number, reply?: { seq: number, text: string }) => ({
      _id: new ObjectId(),
      userId: ObjectId.createFromHexString(userId),
      seq,
      endpoint: 'message',
      status: 'answered',
      text,
      createdAt,
      ...(reply === undefined ? {} : { reply: { _id: new ObjectId(), seq: reply.seq, text: reply.text, createdAt: createdAt + 1000, status: 'complete' } })
    })
    await messages.insertMany([
      doc(eric, 1, 'hi, my name is Eric and I would like to talk about my Python exam tomorrow', T0, { seq: 2, text: 'Hi Eric!' }),
      doc(alice, 1, '  alice here ', T0 + 500),
      doc(eric, 3, 'second', T0 + 2000, { seq: 4, text: 're second' })
    ])
    // Before a restart, history already names a conversation for them: the user's own id.
    expect((await first.history(eric, 10)).map((r) => r.conversationId)).toEqual([eric, eric, eric, eric])

    const [second, third] = await Promise.all([createMongoStore(options), createMongoStore(options)])
    cleanups.push(() => second.close(), () => third.close())
    await checkAdopted(second, eric, alice)
    expect((await second.listConversations(eric, { limit: 10 }))[0]?.id).toBe(eric)
    expect(await messages.countDocuments({ conversationId: { $exists: false } })).toBe(0)
  })
})
