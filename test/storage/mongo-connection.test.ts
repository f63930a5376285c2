import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MongoClient, MongoNetworkError, MongoServerError } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { AppError } from '../../src/errors.js'
import { createStore } from '../../src/storage/create-store.js'
import { CallDeadlineError, clientOptions, DEFAULT_TIMEOUTS, describeUri, guard, isUnavailable, PINNED_DB_OPTIONS, redact } from '../../src/storage/mongo/connection.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import type { Store } from '../../src/domain/store.js'
import { startFakeMongoServer } from '../helpers/fake-mongo-server.js'

// Options, errors, choosing the backend, losing the database and getting it back, with the real
// driver and the stand-in server of the contract run (start-up failures: mongo-startup.test.ts).

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('MongoDB connection strings in messages', () => {
  it('names the hosts, never the credentials or options', () => {
    expect(describeUri('mongodb+srv://app:s3cret@cluster0.ab1cd.mongodb.net/simplechat?retryWrites=true&w=majority'))
      .toBe('mongodb+srv://cluster0.ab1cd.mongodb.net')
    expect(describeUri('mongodb://u:p%40ss@db1:27017,db2:27017/?replicaSet=rs0')).toBe('mongodb://db1:27017,db2:27017')
    expect(describeUri('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017')
    expect(describeUri('mongodb://a:b@c@host/')).toBe('mongodb://host')
  })

  it('redacts the password, raw or decoded, from a message', () => {
    const uri = 'mongodb://app:p%40ss-w0rd@db1/'
    expect(redact('auth failed for app:p%40ss-w0rd and p@ss-w0rd', uri)).toBe('auth failed for *** and ***')
    expect(redact('nothing secret', 'mongodb://db1/')).toBe('nothing secret')
  })

  it('waits out an election by default, lets the URI tune timeouts, and always retries', () => {
    expect(clientOptions('mongodb://db1/', DEFAULT_TIMEOUTS)).toEqual({
      appName: 'simple-chat', serverSelectionTimeoutMS: 15_000, connectTimeoutMS: 5000, socketTimeoutMS: 20_000, retryReads: true, retryWrites: true
    })
    const given = clientOptions('mongodb://db1/?serverSelectionTimeoutMS=20000&appname=mine&retryWrites=false&retryReads=false', DEFAULT_TIMEOUTS)
    expect(given).not.toHaveProperty('serverSelectionTimeoutMS')
    expect(given).not.toHaveProperty('appName')
    expect(given).toMatchObject({ socketTimeoutMS: 20_000, retryReads: true, retryWrites: true })
  })

  it('pins primary reads, journaled majority writes and retries, whatever the URI says', async () => {
    const uri = 'mongodb://db1/?readPreference=secondary&w=1&journal=false&readConcernLevel=available&retryWrites=false&retryReads=false'
    const client = new MongoClient(uri, clientOptions(uri, DEFAULT_TIMEOUTS))
    cleanups.push(() => client.close())
    expect(client.options).toMatchObject({ retryWrites: true, retryReads: true })
    const collection = client.db('x', PINNED_DB_OPTIONS).collection('quotas')
    expect(collection.readPreference?.mode).toBe('primary')
    expect(collection.writeConcern).toMatchObject({ w: 'majority', journal: true })
    expect(collection.readConcern?.level).toBe('local')
    expect(client.db('x').collection('quotas').readPreference?.mode).toBe('secondary') // what the URI alone gives
  })
})

describe('MongoDB errors', () => {
  it('tells an unreachable database from a bug', () => {
    expect(isUnavailable(new MongoNetworkError('connection reset'))).toBe(true)
    expect(isUnavailable(new MongoServerError({ message: 'not primary', code: 10107 }))).toBe(true)
    expect(isUnavailable(new MongoServerError({ message: 'shutting down', code: 91 }))).toBe(true)
    expect(isUnavailable(new MongoServerError({ message: 'x', errorLabels: ['RetryableWriteError'] }))).toBe(true)
    expect(isUnavailable(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(false)
    expect(isUnavailable(new MongoServerError({ message: 'bad pipeline', code: 40324 }))).toBe(false)
    expect(isUnavailable(new TypeError('bug'))).toBe(false)
  })

  it('turns an unreachable database into a 503 with Retry-After, and leaves the rest alone', async () => {
    const unavailable = await guard(10_000, () => Promise.reject(new MongoNetworkError('gone'))).catch((e: unknown) => e)
    expect(unavailable).toBeInstanceOf(AppError)
    expect(unavailable).toMatchObject({ code: 'storage_unavailable', status: 503, headers: { 'retry-after': '5' }, extra: { retry_after: 5 } })
    const bug = new TypeError('bug')
    expect(await guard(10_000, () => Promise.reject(bug)).catch((e: unknown) => e)).toBe(bug)
  })

  it('answers 503 at the call deadline when the database never answers', async () => {
    const err = await guard(50, () => new Promise(() => {})).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'storage_unavailable', status: 503 })
    expect((err as AppError).cause).toBeInstanceOf(CallDeadlineError)
  })
})

describe('MongoDB start-up', () => {
  it('is chosen by MONGODB_URI, and SQLite stays the default', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const dir = await mkdtemp(join(tmpdir(), 'simple-chat-create-store-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))

    const mongo = await createStore(loadConfig({ DATA_DIR: dir, MONGODB_URI: fake.uri, MONGODB_DB: 'simplechat_test_pick' }, dir))
    cleanups.push(() => mongo.close())
    expect(mongo.kind).toBe('mongodb')
    // Start-up created the indexes, in the database MONGODB_DB names.
    expect(fake.commands.filter((c) => c.createIndexes !== undefined).map((c) => [c.$db, c.createIndexes]))
      .toEqual(['users', 'messages', 'conversations', 'refusals', 'attempts', 'apiKeys'].map((name) => ['simplechat_test_pick', name]))

    const sqlite = await createStore(loadConfig({ DATA_DIR: dir }, dir))
    cleanups.push(() => sqlite.close())
    expect(sqlite.kind).toBe('sqlite')
  })
})

describe('MongoDB lost and back', () => {
  it('answers 503 while the database is gone and recovers by itself when it returns', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const store: Store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat_test_outage', timeouts: { serverSelectionTimeoutMS: 1000 } })
    cleanups.push(() => store.close())
    const eric = await store.createUser('eric', 'h', 1)
    expect(eric).not.toBeNull()

    await fake.stop()
    const window = { now: 10, dayStart: 0, dailyLimit: 20, burstStart: 0, burstLimit: 3, pendingSince: 0 }
    for (const attempt of [
      () => store.findUser('eric'),
      () => store.admitMessage({ userId: eric?.id ?? '', text: 'hi', endpoint: 'message', createdAt: 10 }, window),
      () => store.history(eric?.id ?? '', 10),
      () => store.ping()
    ]) {
      const err = await attempt().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({ code: 'storage_unavailable', status: 503 })
    }

    // Back on the same address: the same store works again, without a restart.
    await fake.start()
    let found: unknown = null
    const deadline = Date.now() + 15_000
    while (found === null && Date.now() < deadline) {
      found = await store.findUser('ERIC').catch((err: unknown) => {
        if (!(err instanceof AppError)) throw err
        return null
      })
    }
    expect(found).toEqual(eric)
    expect((await store.admitMessage({ userId: eric?.id ?? '', text: 'hi', endpoint: 'message', createdAt: 10 }, window)).admitted).toBe(true)
  })
})
