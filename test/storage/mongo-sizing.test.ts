import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BSON, MongoClient, MongoServerError, ObjectId } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { DatabaseStartupError } from '../../src/storage/database-startup-error.js'
import { createStore } from '../../src/storage/create-store.js'
import { INDEXES } from '../../src/storage/mongo/indexes.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { checkDocumentSizes, DOCUMENT_BUDGET_BYTES, fitReply, REPLY_BUDGET_BYTES, SLOT_BYTES, SLOT_DAYS } from '../../src/storage/mongo/sizing.js'
import { startFakeMongoServer } from '../helpers/fake-mongo-server.js'
import { applyUpdate } from '../helpers/mongo-eval.js'
import { dropTestCollections, testCollectionPrefix } from '../helpers/mongo.js'

// MongoDB's 16 MiB document limit against the settings that grow documents, the stand-in server
// refusing what MongoDB refuses, and tests keeping to their own collections in one database.

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('document sizes', () => {
  it('counts a slot at no more than SLOT_BYTES, measured in BSON', () => {
    const slots = Array.from({ length: 10_000 }, (_, i) => ({ id: new ObjectId(), at: Date.now() + i, answered: i % 2 === 0 }))
    const perSlot = (BSON.calculateObjectSize({ slots }) - BSON.calculateObjectSize({ slots: [] })) / slots.length
    expect(perSlot).toBeLessThanOrEqual(SLOT_BYTES)
  })

  it('refuses, before connecting, a daily limit or message length MongoDB could not store', async () => {
    const maxDaily = Math.floor(DOCUMENT_BUDGET_BYTES / (SLOT_DAYS * SLOT_BYTES))
    expect(() => checkDocumentSizes({ dailyMessageLimit: maxDaily, maxMessageChars: 200_000 })).not.toThrow()
    expect(() => checkDocumentSizes({ dailyMessageLimit: maxDaily + 1, maxMessageChars: 200_000 })).toThrow(/DAILY_MESSAGE_LIMIT .* at most \d+ with MONGODB_URI/)
    expect(() => checkDocumentSizes({ dailyMessageLimit: 20, maxMessageChars: 5_000_000 })).toThrow(/MAX_MESSAGE_CHARS/)
    const dir = await mkdtemp(join(tmpdir(), 'simple-chat-sizing-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    // Nothing listens at this address: the settings are refused first.
    const config = loadConfig({ DATA_DIR: dir, MONGODB_URI: 'mongodb://127.0.0.1:9/', DAILY_MESSAGE_LIMIT: '1000000' }, dir)
    await expect(createStore(config)).rejects.toThrow(DatabaseStartupError)
    await expect(createStore(config)).rejects.toThrow(/DAILY_MESSAGE_LIMIT 1000000/)
  })

  it('cuts a reply that would not fit on a character boundary, and marks it incomplete', () => {
    const small = { text: 'fine', createdAt: 1, status: 'complete' as const }
    expect(fitReply(small)).toBe(small)
    const cut = fitReply({ text: 'a🎉🎉', createdAt: 1, status: 'complete' }, 7)
    expect(cut).toEqual({ text: 'a🎉', createdAt: 1, status: 'incomplete' })
    expect(REPLY_BUDGET_BYTES + 4 * 1_966_080).toBeLessThanOrEqual(DOCUMENT_BUDGET_BYTES)
  })

  it('stores a reply of megabytes: the message document stays under 16 MiB', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat_test', collectionPrefix: testCollectionPrefix(), timeouts: { serverSelectionTimeoutMS: 2000 } })
    cleanups.push(() => store.close())
    const eric = await store.createUser('eric', 'h', 1)
    const window = { now: 10, dayStart: 0, dailyLimit: 20, burstStart: 0, burstLimit: 3, pendingSince: 0 }
    const admitted = await store.admitMessage({ userId: eric?.id ?? '', text: 'x'.repeat(200_000), endpoint: 'message', createdAt: 10 }, window)
    if (!admitted.admitted) throw new Error('refused')
    await store.completeMessage(admitted.messageId, { text: '语'.repeat(6_000_000), createdAt: 11, status: 'complete' })
    const [, reply] = await store.history(eric?.id ?? '', 2)
    expect(reply?.status).toBe('incomplete')
    expect(Buffer.byteLength(reply?.text ?? '')).toBeLessThanOrEqual(REPLY_BUDGET_BYTES)
  })
})

describe('the stand-in server as strict as MongoDB', () => {
  it('refuses an update that makes a document larger than 16 MiB', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const client = new MongoClient(fake.uri, { serverSelectionTimeoutMS: 2000 })
    cleanups.push(() => client.close())
    const docs = client.db('x').collection('big')
    await docs.insertOne({ _id: new ObjectId(), a: 'a'.repeat(9 * 1024 * 1024) })
    const err = await docs.updateOne({}, { $set: { b: 'b'.repeat(9 * 1024 * 1024) } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MongoServerError)
    expect((err as MongoServerError).code).toBe(17419)
  })
})

describe('the stand-in evaluator as MongoDB reads a pipeline', () => {
  it('merges a $set of a document of fields into the embedded document, as $project of its fields would', () => {
    expect(applyUpdate({ _id: 1, a: { x: 1, y: 2 } }, [{ $set: { a: { y: { $literal: 3 }, z: '$a.x' } } }])).toEqual({ _id: 1, a: { x: 1, y: 3, z: 1 } })
    expect(applyUpdate({ _id: 1 }, [{ $set: { a: { y: { $literal: 3 } } } }])).toEqual({ _id: 1, a: { y: 3 } })
    expect(() => applyUpdate({ _id: 1, a: [{ x: 1 }] }, [{ $set: { a: { y: 1 } } }])).toThrow(/array/)
  })
})

describe('tests on a shared database', () => {
  it('keep to their own collections, and clean up only those, with rights on that database alone', async () => {
    const fake = await startFakeMongoServer({ authorizedDatabases: ['simplechat_test'] })
    cleanups.push(() => fake.close())
    const mine = testCollectionPrefix()
    const theirs = testCollectionPrefix()
    for (const prefix of [mine, theirs]) {
      const store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat_test', collectionPrefix: prefix, timeouts: { serverSelectionTimeoutMS: 2000 } })
      await store.createUser('eric', 'h', 1) // the same name in both: separate collections
      await store.close()
    }
    const collections = () => [...fake.data.keys()].map((ns) => ns.replace('simplechat_test.', '')).sort()
    // Start-up created every collection (a transaction may not create one on every deployment).
    expect(collections()).toEqual(Object.keys(INDEXES).flatMap((c) => [`${mine}${c}`, `${theirs}${c}`]).sort())
    await dropTestCollections(fake.uri, 'simplechat_test', mine)
    expect(collections().every((c) => c.startsWith(theirs))).toBe(true)
    await expect(dropTestCollections(fake.uri, 'simplechat_test', 'users')).rejects.toThrow(/not a test prefix/)
  })
})
