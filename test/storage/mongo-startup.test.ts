import dns from 'node:dns'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseStartupError } from '../../src/storage/database-startup-error.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { startFakeMongoServer } from '../helpers/fake-mongo-server.js'

// Start-up against what can go wrong before the first request: a name that does not resolve (or a
// DNS server that never answers a `mongodb+srv://` lookup), nothing listening, a server that never
// answers, a wrong password, a user without rights on the database. Each stops start-up, within
// its bound, with its own message, naming the host and never the password.

const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const SHORT = { serverSelectionTimeoutMS: 500, startupTimeoutMS: 1500 }
// Against a stand-in server that is up: what it answers decides, however slow a loaded machine is.
const REACHABLE = { serverSelectionTimeoutMS: 30_000, startupTimeoutMS: 60_000 }

async function failure (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a failure')
}

async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A DNS server on 127.0.0.1 for this process: answers every question NXDOMAIN, or never. */
async function useDnsServer (answers: boolean): Promise<void> {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (query, from) => {
    if (!answers) return
    const reply = Buffer.from(query)
    reply[2] = 0x81 // response, recursion desired
    reply[3] = 0x83 // recursion available, NXDOMAIN
    socket.send(reply, from.port, from.address)
  })
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  const previous = dns.getServers()
  dns.setServers([`127.0.0.1:${socket.address().port}`])
  cleanups.push(() => { dns.setServers(previous); socket.close() })
}

describe('MongoDB start-up failures', () => {
  it('cannot resolve: the SRV name does not exist', async () => {
    await useDnsServer(true)
    const err = await failure(createMongoStore({ uri: 'mongodb+srv://app:Sup3r-s3cret@cluster0.nowhere.example/', dbName: 'x', timeouts: SHORT }))
    expect(err).toBeInstanceOf(DatabaseStartupError)
    expect(err.message).toMatch(/^cannot resolve the MongoDB host name in MONGODB_URI \(mongodb\+srv:\/\/cluster0\.nowhere\.example\)/)
    expect(err.message).toContain('ENOTFOUND')
    expect(err.message).not.toContain('Sup3r-s3cret')
  })

  it('cannot resolve: the DNS server never answers, and start-up is bounded all the same', async () => {
    await useDnsServer(false)
    const err = await failure(createMongoStore({ uri: 'mongodb+srv://cluster0.silent.example/', dbName: 'x', timeouts: SHORT }))
    expect(err.message).toMatch(/^cannot resolve the MongoDB host name/)
    expect(err.message).toContain('start-up did not finish within 1.5 s')
  })

  it('cannot resolve: a host name of a plain URI', async () => {
    const err = await failure(createMongoStore({ uri: 'mongodb://db.nowhere.invalid:27017/?directConnection=true', dbName: 'x', timeouts: SHORT }))
    expect(err.message).toMatch(/^cannot resolve the MongoDB host name in MONGODB_URI \(mongodb:\/\/db\.nowhere\.invalid:27017\)/)
  })

  it('cannot reach: nothing listens', async () => {
    const port = await freePort()
    const err = await failure(createMongoStore({ uri: `mongodb://app:Sup3r-s3cret@127.0.0.1:${port}/?directConnection=true`, dbName: 'x', timeouts: SHORT }))
    expect(err).toBeInstanceOf(DatabaseStartupError)
    expect(err.message).toContain(`cannot reach MongoDB at mongodb://127.0.0.1:${port} within 0.5 s`)
    expect(err.message).toContain('Network Access')
    expect(err.message).not.toContain('Sup3r-s3cret')
  })

  it('cannot reach: the server accepts connections but never answers', async () => {
    const sockets = new Set<Socket>()
    const server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}) })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    })
    const { port } = server.address() as AddressInfo
    const err = await failure(createMongoStore({ uri: `mongodb://127.0.0.1:${port}/?directConnection=true`, dbName: 'x', timeouts: SHORT }))
    expect(err.message).toContain(`cannot reach MongoDB at mongodb://127.0.0.1:${port}`)
  })

  it('authentication failed: the server refuses the user name or password', async () => {
    const fake = await startFakeMongoServer()
    cleanups.push(() => fake.close())
    const uri = fake.uri.replace('mongodb://', 'mongodb://chat-app:Sup3r%40s3cret@')
    const err = await failure(createMongoStore({ uri, dbName: 'x', timeouts: REACHABLE }))
    expect(err.message).toMatch(/^MongoDB at mongodb:\/\/127\.0\.0\.1:\d+ refused the user name or password in MONGODB_URI \(authentication failed\)/)
    expect(err.message).not.toMatch(/Sup3r/)
  })

  it('not authorized: the user has no rights on the database', async () => {
    const fake = await startFakeMongoServer({ authorizedDatabases: ['other'] })
    cleanups.push(() => fake.close())
    const err = await failure(createMongoStore({ uri: fake.uri, dbName: 'simplechat', timeouts: REACHABLE }))
    expect(err.message).toMatch(/^the MongoDB user in MONGODB_URI is not authorized on database "simplechat"/)
    expect(err.message).toContain('readWrite')
  })

  it('starts when the user has rights on its database only', async () => {
    const fake = await startFakeMongoServer({ authorizedDatabases: ['simplechat'], replicaSet: true })
    cleanups.push(() => fake.close())
    const store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat', timeouts: REACHABLE })
    cleanups.push(() => store.close())
    expect(await store.createUser('eric', 'h', 1)).toMatchObject({ username: 'eric' })
  })

  it('says so when the URI cannot be parsed', async () => {
    const err = await failure(createMongoStore({ uri: 'mongodb://app:pw@', dbName: 'x' }))
    expect(err).toBeInstanceOf(DatabaseStartupError)
    expect(err.message).toMatch(/^invalid configuration: MONGODB_URI/)
  })
})
