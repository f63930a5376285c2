import { MongoClient, type IndexDescription } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { INDEXES, planIndexes, reconcileIndexes, versionOf } from '../../src/storage/mongo/indexes.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { startFakeMongoServer, type FakeMongoServer } from '../helpers/fake-mongo-server.js'

// Index definitions that change between releases: named and versioned, reconciled at start-up
// against the stand-in server, which refuses what MongoDB refuses (a name or key pattern already
// used by another definition).

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const v1: IndexDescription = { key: { userId: 1, createdAt: 1 }, name: 'messages_user_created' }
const v2: IndexDescription = { key: { userId: 1, createdAt: 1, seq: 1 }, name: 'messages_user_created_v2' }
const v3: IndexDescription = { key: { userId: 1, createdAt: 1, seq: 1 }, name: 'messages_user_created_v3', unique: true }

async function connect (): Promise<{ fake: FakeMongoServer, client: MongoClient }> {
  const fake = await startFakeMongoServer()
  cleanups.push(() => fake.close())
  const client = new MongoClient(fake.uri, { serverSelectionTimeoutMS: 30_000 })
  cleanups.push(() => client.close())
  return { fake, client }
}

const names = (fake: FakeMongoServer, ns: string) => [...fake.indexes.get(ns)?.keys() ?? []].sort()

describe('index versions', () => {
  it('reads the version from the name; a bare name is version 1', () => {
    expect(versionOf('messages_user_seq')).toEqual({ base: 'messages_user_seq', version: 1 })
    expect(versionOf('messages_user_created_v2')).toEqual({ base: 'messages_user_created', version: 2 })
    expect(versionOf('users_v12')).toEqual({ base: 'users', version: 12 })
  })

  it('creates (or confirms) its versions, drops older versions and retired names, keeps newer versions and unknown indexes', () => {
    expect(planIndexes([v2], [], [])).toEqual({ create: [v2], drop: [] })
    expect(planIndexes([v2], [], ['messages_user_created'])).toEqual({ create: [v2], drop: ['messages_user_created'] })
    expect(planIndexes([v2], [], ['messages_user_created_v2', 'messages_user_created'])).toEqual({ create: [v2], drop: ['messages_user_created'] })
    expect(planIndexes([v1], [], ['messages_user_created_v2'])).toEqual({ create: [], drop: [] })
    expect(planIndexes([v2], ['old_one'], ['old_one', 'operators_own'])).toEqual({ create: [v2], drop: ['old_one'] })
  })

  it('names every index of the current release with its version, once', () => {
    for (const indexes of Object.values(INDEXES)) {
      const bases = indexes.map((index) => versionOf(index.name ?? '').base)
      expect(new Set(bases).size).toBe(bases.length)
    }
  })
})

describe('index reconciliation at start-up', () => {
  it('moves an old release\'s index to the new version, and an old instance started afterwards keeps running', async () => {
    const { fake, client } = await connect()
    const db = client.db('app')
    await db.collection('messages').insertOne({ userId: 1 })
    await reconcileIndexes(db, 'messages', [v1], [])
    expect(names(fake, 'app.messages')).toEqual(['messages_user_created'])

    await reconcileIndexes(db, 'messages', [v2], [])
    expect(names(fake, 'app.messages')).toEqual(['messages_user_created_v2'])
    // An instance of the old release restarts during the rolling deployment: it neither fails
    // nor brings its version back.
    await reconcileIndexes(db, 'messages', [v1], [])
    expect(names(fake, 'app.messages')).toEqual(['messages_user_created_v2'])
    // Restarting the new release changes nothing.
    await reconcileIndexes(db, 'messages', [v2], [])
    expect(names(fake, 'app.messages')).toEqual(['messages_user_created_v2'])
  })

  it('drops the older version first where MongoDB refuses two indexes on one key pattern', async () => {
    const { fake, client } = await connect()
    const db = client.db('app')
    await reconcileIndexes(db, 'messages', [v2], [])
    await reconcileIndexes(db, 'messages', [v3], [])
    expect(names(fake, 'app.messages')).toEqual(['messages_user_created_v3'])
    expect(fake.indexes.get('app.messages')?.get('messages_user_created_v3')).toMatchObject({ unique: true })
  })

  it('stops start-up with a clear message when a definition changed without a new version', async () => {
    const { fake, client } = await connect()
    await client.db('simplechat').collection('messages').createIndex({ userId: 1, seq: 1 }, { name: 'messages_user_seq' })
    const err = await createMongoStore({ uri: fake.uri, dbName: 'simplechat', timeouts: { serverSelectionTimeoutMS: 30_000 } }).catch((e: unknown) => e as Error)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/^MongoDB at mongodb:\/\/127\.0\.0\.1:\d+ \(database "simplechat"\): could not prepare the collections and their indexes: .*same name as the requested index but a different key/)
  })

  it('leaves the indexes of a database prepared by the previous release working: only the changed one moves', async () => {
    const { fake, client } = await connect()
    const db = client.db('simplechat')
    // What the release before versioned names created.
    for (const index of [{ key: { userId: 1, seq: -1 }, name: 'messages_user_seq' }, v1]) {
      await db.collection('messages').createIndex(index.key as Record<string, 1 | -1>, { name: index.name })
    }
    const store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat', timeouts: { serverSelectionTimeoutMS: 30_000 } })
    cleanups.push(() => store.close())
    expect(names(fake, 'simplechat.messages')).toEqual(INDEXES.messages.map((index) => index.name).sort())
  })
})
