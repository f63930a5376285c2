import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { MongoNetworkError, MongoServerError } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { AppError } from '../../src/errors.js'
import { createStore } from '../../src/storage/create-store.js'
import { clientOptions, describeUri, guard, isUnavailable, redact } from '../../src/storage/mongo/connection.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import type { Store } from '../../src/storage/store.js'
import { startFakeMongoServer } from '../helpers/fake-mongo-server.js'

// Start-up, losing the database and getting it back, with the real driver. The servers here are a
// closed port, a socket that never answers, and the stand-in server of the contract run.

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function startBlackHole (): Promise<{ port: number, server: Server }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })
  return { port: (server.address() as AddressInfo).port, server }
}

async function failure (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a failure')
}

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

  it('fails fast by default, and lets the URI override', () => {
    expect(clientOptions('mongodb://db1/')).toMatchObject({ appName: 'simple-chat', serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000, socketTimeoutMS: 30_000 })
    const given = clientOptions('mongodb://db1/?serverSelectionTimeoutMS=20000&appname=mine')
    expect(given).not.toHaveProperty('serverSelectionTimeoutMS')
    expect(given).not.toHaveProperty('appName')
    expect(given).toHaveProperty('socketTimeoutMS', 30_000)
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

  it('turns an unreachable database into a 503, and leaves the rest alone', async () => {
    const unavailable = await failure(guard(() => Promise.reject(new MongoNetworkError('gone'))))
    expect(unavailable).toBeInstanceOf(AppError)
    expect(unavailable).toMatchObject({ code: 'storage_unavailable', status: 503 })
    const bug = new TypeError('bug')
    expect(await failure(guard(() => Promise.reject(bug)))).toBe(bug)
  })
})

// Well under the driver's 30 s default: the 500 ms selection timeout given was used, with room for a
// loaded machine.
const SOON_MS = 15_000

describe('MongoDB start-up', () => {
  it('stops at once, with a clear message naming the host and not the password, when nothing listens', async () => {
    const port = await freePort()
    const started = Date.now()
    const err = await failure(createMongoStore({ uri: `mongodb://app:Sup3r-s3cret@127.0.0.1:${port}/?directConnection=true`, dbName: 'x', serverSelectionTimeoutMS: 500 }))
    expect(Date.now() - started).toBeLessThan(SOON_MS)
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain(`cannot reach MongoDB at mongodb://127.0.0.1:${port}`)
    expect(err.message).toContain('Network Access')
    expect(err.message).not.toContain('Sup3r-s3cret')
  })

  it('stops when the server accepts but never answers', async () => {
    const { port } = await startBlackHole()
    const started = Date.now()
    const err = await failure(createMongoStore({ uri: `mongodb://127.0.0.1:${port}/?directConnection=true`, dbName: 'x', serverSelectionTimeoutMS: 500 }))
    expect(Date.now() - started).toBeLessThan(SOON_MS)
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain(`cannot reach MongoDB at mongodb://127.0.0.1:${port}`)
  })

  it('says so when the URI cannot be parsed', async () => {
    const err = await failure(createMongoStore({ uri: 'mongodb://app:pw@', dbName: 'x' }))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toMatch(/^invalid configuration: MONGODB_URI/)
  })

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
      .toEqual([['simplechat_test_pick', 'users'], ['simplechat_test_pick', 'messages'], ['simplechat_test_pick', 'refusals']])

    const sqlite = await createStore(loadConfig({ DATA_DIR: dir }, dir))
    cleanups.push(() => sqlite.close())
    expect(sqlite.kind).toBe('sqlite')
  })
})

describe('MongoDB lost and back', () => {
  it('answers 503 while the database is gone and recovers by itself when it returns', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const store: Store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat_test_outage', serverSelectionTimeoutMS: 1000 })
    cleanups.push(() => store.close())
    const eric = await store.createUser('eric', 'h', 1)
    expect(eric).not.toBeNull()

    await fake.stop()
    const window = { now: 10, dayStart: 0, dailyLimit: 20, burstStart: 0, burstLimit: 3, pendingSince: 0 }
    for (const attempt of [
      () => store.findUser('eric'),
      () => store.admitMessage({ userId: eric?.id ?? '', text: 'hi', endpoint: 'message', createdAt: 10 }, window),
      () => store.history(eric?.id ?? '', 10)
    ]) {
      const err = await failure(attempt())
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
