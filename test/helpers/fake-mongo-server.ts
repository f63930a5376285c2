import { EventEmitter, once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { BSON, Long, ObjectId } from 'mongodb'
import { CommandError, MAX_BSON_SIZE, runCommand, type Indexes } from './fake-mongo-commands.js'
import { createSessions } from './fake-mongo-sessions.js'
import type { Doc } from './mongo-eval.js'

/**
 * A stand-in MongoDB server for tests, on 127.0.0.1: it speaks the wire protocol (OP_QUERY for
 * the handshake, OP_MSG after) to the real `mongodb` driver and answers the commands the backend
 * sends from memory (fake-mongo-commands.ts, evaluated by mongo-eval.ts). One command runs to
 * completion before the next starts, so each is atomic.
 *
 * It is a standalone by default; with `replicaSet` it is a one-member replica set "rs0" with what
 * that brings (fake-mongo-sessions.ts): transactions, retryable writes run once, and elections:
 * `stepDown()` leaves it without a primary (writes answer NotWritablePrimary, open transactions
 * are aborted) until `elect()`. Faults: `silence()` stops all answers with sockets open (a
 * partition), `dropNextReply()` applies the next write and closes the connection instead of
 * answering (a reply lost in a failover), `failNext()` refuses one chosen command. It has no users: any authentication fails; with
 * `authorizedDatabases`, commands on other databases answer Unauthorized.
 *
 * It is not MongoDB. It exists because none can be installed here: it lets the real driver, the
 * real BSON and the backend's real command documents run end to end. Every command is kept in
 * `commands` for inspection, and announced as a `command` event (handshakes and checks as `hello`).
 */

const OP_REPLY = 1
const OP_QUERY = 2004
const OP_MSG = 2013

export interface FakeMongoOptions {
  replicaSet?: boolean
  /** Databases the connection may use; others answer Unauthorized (13). Default: all. */
  authorizedDatabases?: string[]
}

export interface FakeMongoServer extends EventEmitter {
  /** `mongodb://127.0.0.1:<port>/?directConnection=true`, or `?replicaSet=rs0`. */
  uri: string
  port: number
  /** Every command received (handshakes and monitoring excluded), in order. */
  commands: Doc[]
  /** Committed collections by `db.collection`. */
  data: Map<string, Doc[]>
  /** Index definitions by `db.collection`, then name (`_id_` implied). */
  indexes: Indexes
  /** Replica set: no primary until `elect()`; open transactions are aborted. */
  stepDown (): void
  elect (): void
  /** Stops answering anything, connections left open, until `speak()`. */
  silence (): void
  speak (): void
  /** The next write (or commit), or command `match` accepts, is applied, then its connection closes before the reply. */
  dropNextReply (match?: (command: Doc) => boolean): void
  /** The next `times` commands `match` accepts are not run: they answer InternalError (a failure between two writes). */
  failNext (match: (command: Doc) => boolean, times?: number): void
  /** The next command `match` accepts is run and answered only once `until` settles (another request goes first). */
  holdNext (match: (command: Doc) => boolean, until: Promise<unknown>): void
  /** Stops listening and drops every connection (the data stays). */
  stop (): Promise<void>
  /** Listens again on the same port. */
  start (): Promise<void>
  close (): Promise<void>
}

const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'create', 'createIndexes', 'dropIndexes', 'drop', 'dropDatabase', 'commitTransaction'])
const HANDSHAKE = new Set(['hello', 'isMaster', 'ismaster'])
const QUIET = new Set(['ping', 'endSessions', 'killCursors'])
const AUTH = new Set(['saslStart', 'saslContinue', 'authenticate'])
/** What `answer` returns to close the connection instead of replying. */
const DROP = Symbol('drop')

export async function startFakeMongoServer (options: FakeMongoOptions = {}): Promise<FakeMongoServer> {
  const data = new Map<string, Doc[]>()
  const indexes: Indexes = new Map()
  const sessions = createSessions(data)
  const commands: Doc[] = []
  const sockets = new Set<Socket>()
  const events = new EventEmitter()
  let connectionId = 0
  let server: Server = createServer((socket) => serve(socket))
  let port = 0
  let primary = true
  let term = 1
  let silent = false
  let dropping: ((command: Doc) => boolean) | null = null
  let holding: { match: (command: Doc) => boolean, until: Promise<unknown> } | null = null
  let failing: { match: (command: Doc) => boolean, times: number } | null = null

  const address = (): string => `127.0.0.1:${port}`

  function hello (): Doc {
    const base = {
      helloOk: true,
      maxBsonObjectSize: MAX_BSON_SIZE,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: ++connectionId,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
      ok: 1
    }
    if (options.replicaSet !== true) return { ...base, isWritablePrimary: true, ismaster: true }
    return {
      ...base,
      isWritablePrimary: primary,
      ismaster: primary,
      secondary: !primary,
      setName: 'rs0',
      setVersion: 1,
      hosts: [address()],
      me: address(),
      ...(primary ? { primary: address(), electionId: ObjectId.createFromHexString(`7fffffff${term.toString(16).padStart(16, '0')}`) } : {})
    }
  }

  /** What a member that is not (or no longer) primary answers. */
  function notPrimary (command: Doc, name: string): CommandError {
    if (name === 'commitTransaction' || name === 'abortTransaction') return new CommandError(10107, 'NotWritablePrimary', 'not primary', ['RetryableWriteError'])
    if (command.autocommit === false) return new CommandError(10107, 'NotWritablePrimary', 'not primary', ['TransientTransactionError'])
    if (WRITES.has(name)) return new CommandError(10107, 'NotWritablePrimary', 'not primary', command.txnNumber === undefined ? [] : ['RetryableWriteError'])
    return new CommandError(13435, 'NotPrimaryNoSecondaryOk', 'not primary and secondaryOk=false')
  }

  function run (command: Doc): Doc {
    const name = Object.keys(command)[0] ?? ''
    const db = typeof command.$db === 'string' ? command.$db : 'admin'
    const ns = `${db}.${String(command[name])}`
    if (HANDSHAKE.has(name)) return hello()
    if (name === 'endSessions') sessions.end(command.endSessions as Doc[])
    if (QUIET.has(name)) return { ok: 1 }
    if (AUTH.has(name)) throw new CommandError(18, 'AuthenticationFailed', 'Authentication failed.')
    const admin = db === 'admin' && (name === 'commitTransaction' || name === 'abortTransaction')
    if (options.authorizedDatabases !== undefined && !admin && !options.authorizedDatabases.includes(db)) {
      throw new CommandError(13, 'Unauthorized', `not authorized on ${db} to execute command { ${name}: ${JSON.stringify(command[name])} }`)
    }
    commands.push(command)
    if (!primary) throw notPrimary(command, name)
    if (failing !== null && failing.match(command)) {
      if (--failing.times === 0) failing = null
      throw new CommandError(1, 'InternalError', 'fake MongoDB: failed on purpose')
    }
    switch (name) {
      case 'dropDatabase':
        for (const key of [...data.keys()]) if (key.startsWith(`${db}.`)) data.delete(key)
        for (const key of [...indexes.keys()]) if (key.startsWith(`${db}.`)) indexes.delete(key)
        return { ok: 1 }
      case 'drop':
        data.delete(ns)
        indexes.delete(ns)
        return { ok: 1 }
      case 'create':
        if (data.has(ns)) throw new CommandError(48, 'NamespaceExists', `Collection ${ns} already exists.`)
        data.set(ns, [])
        return { ok: 1 }
      case 'listIndexes':
        if (!data.has(ns)) throw new CommandError(26, 'NamespaceNotFound', `ns does not exist: ${ns}`)
        break
      case 'listCollections': {
        const names = [...data.keys()].filter((key) => key.startsWith(`${db}.`)).map((key) => key.slice(db.length + 1))
        return { cursor: { firstBatch: names.map((n) => ({ name: n, type: 'collection' })), id: Long.ZERO, ns: `${db}.$cmd.listCollections` }, ok: 1 }
      }
    }
    return sessions.run(command, name, (space) => {
      const reply = runCommand(space, indexes, command, name, ns)
      if (reply === null) throw new CommandError(59, 'CommandNotFound', `no such command: '${name}' (not in the fake)`)
      return reply
    })
  }

  function answer (command: Doc): Doc | typeof DROP | null {
    if (silent) return null
    const name = Object.keys(command)[0] ?? ''
    if (HANDSHAKE.has(name)) events.emit('hello')
    else events.emit('command', command)
    let reply: Doc
    try {
      reply = run(command)
    } catch (err) {
      reply = err instanceof CommandError ? err.reply() : { ok: 0, code: 2, codeName: 'BadValue', errmsg: `fake MongoDB: ${(err as Error).message}` }
    }
    if (dropping?.(command) === true) {
      dropping = null
      return DROP
    }
    return reply
  }

  function serve (socket: Socket): void {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      while (buffer.length >= 16 && buffer.length >= buffer.readInt32LE(0)) {
        const length = buffer.readInt32LE(0)
        const message = buffer.subarray(0, length)
        buffer = buffer.subarray(length)
        const requestId = message.readInt32LE(4)
        const opCode = message.readInt32LE(12)
        if (opCode === OP_QUERY) {
          let at = 20
          while (message[at] !== 0) at++
          const fullName = message.subarray(20, at).toString('utf8')
          at += 1 + 8
          let query = BSON.deserialize(message.subarray(at)) as Doc
          if (query.$query !== undefined) query = query.$query as Doc
          const reply = answer({ ...query, $db: fullName.split('.')[0] })
          if (reply === DROP) { socket.destroy(); return }
          if (reply !== null) socket.write(frame(OP_REPLY, requestId, Buffer.concat([int32(0), Buffer.alloc(8), int32(0), int32(1), Buffer.from(BSON.serialize(reply))])))
        } else if (opCode === OP_MSG) {
          const flags = message.readUInt32LE(16)
          const end = (flags & 1) === 1 ? length - 4 : length
          let at = 20
          let command: Doc = {}
          const sequences: Record<string, Doc[]> = {}
          while (at < end) {
            const kind = message[at]
            at += 1
            const size = message.readInt32LE(at)
            if (kind === 0) {
              command = BSON.deserialize(message.subarray(at, at + size)) as Doc
            } else {
              let nameEnd = at + 4
              while (message[nameEnd] !== 0) nameEnd++
              const id = message.subarray(at + 4, nameEnd).toString('utf8')
              const docs: Doc[] = []
              let p = nameEnd + 1
              while (p < at + size) {
                const docSize = message.readInt32LE(p)
                docs.push(BSON.deserialize(message.subarray(p, p + docSize)) as Doc)
                p += docSize
              }
              sequences[id] = docs
            }
            at += size
          }
          const respond = (full: Doc): void => {
            const reply = answer(full)
            if (reply === DROP) { socket.destroy(); return }
            if (reply !== null && (flags & 2) === 0) socket.write(frame(OP_MSG, requestId, Buffer.concat([int32(0), Buffer.from([0]), Buffer.from(BSON.serialize(reply))])))
          }
          const full = { ...command, ...sequences }
          const held = holding?.match(full) === true ? holding.until : null
          if (held === null) {
            respond(full)
            if (socket.destroyed) return
          } else {
            holding = null
            const go = (): void => { if (!socket.destroyed) respond(full) }
            held.then(go, go)
          }
        } else {
          socket.destroy()
          return
        }
      }
    })
  }

  const listen = async (): Promise<void> => {
    server.listen(port, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  }
  await listen()

  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    await closed
  }

  return Object.assign(events, {
    get uri () { return `mongodb://${address()}/?${options.replicaSet === true ? 'replicaSet=rs0' : 'directConnection=true'}` },
    get port () { return port },
    commands,
    data,
    indexes,
    stepDown () {
      primary = false
      sessions.abortAll()
    },
    elect () {
      term++
      primary = true
    },
    silence () { silent = true },
    speak () { silent = false },
    dropNextReply (match = (command: Doc) => WRITES.has(Object.keys(command)[0] ?? '')) { dropping = match },
    failNext (match: (command: Doc) => boolean, times = 1) { failing = { match, times } },
    holdNext (match: (command: Doc) => boolean, until: Promise<unknown>) { holding = { match, until } },
    stop,
    async start () {
      server = createServer((socket) => serve(socket))
      await listen()
    },
    async close () {
      if (server.listening) await stop()
    }
  })
}

function int32 (n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32LE(n)
  return b
}

let nextResponseId = 1
function frame (opCode: number, responseTo: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16)
  header.writeInt32LE(16 + body.length, 0)
  header.writeInt32LE(nextResponseId++, 4)
  header.writeInt32LE(responseTo, 8)
  header.writeInt32LE(opCode, 12)
  return Buffer.concat([header, body])
}
