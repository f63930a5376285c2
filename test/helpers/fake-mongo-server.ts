import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { BSON, Long, ObjectId } from 'mongodb'
import { applyUpdate, equals, matches, project, runPipeline, sortDocs, upsertSeed, type Doc } from './mongo-eval.js'

/**
 * A stand-in MongoDB server for tests, on 127.0.0.1: it speaks the wire protocol (OP_QUERY for
 * the handshake, OP_MSG after) to the real `mongodb` driver and answers the commands the backend
 * sends (insert, find, findAndModify, update, delete, aggregate, createIndexes) from memory with
 * `mongo-eval.ts`. One command runs to completion before the next starts, so each is atomic.
 *
 * It is not MongoDB. It exists because none can be installed here: it lets the real driver, the
 * real BSON and the backend's real command documents run end to end, and a test stop and restart
 * "the database" under a running store. Every command is kept in `commands` for inspection.
 */

const OP_REPLY = 1
const OP_QUERY = 2004
const OP_MSG = 2013

export interface FakeMongoServer {
  /** `mongodb://127.0.0.1:<port>/?directConnection=true` */
  uri: string
  port: number
  /** Every command received (handshakes and monitoring excluded), in order. */
  commands: Doc[]
  /** Collections by `db.collection`. */
  data: Map<string, Doc[]>
  /** Stops listening and drops every connection (the data stays). */
  stop (): Promise<void>
  /** Listens again on the same port. */
  start (): Promise<void>
  close (): Promise<void>
}

interface UniqueIndex { ns: string, name: string, keys: string[] }

export async function startFakeMongoServer (): Promise<FakeMongoServer> {
  const data = new Map<string, Doc[]>()
  const unique: UniqueIndex[] = []
  const commands: Doc[] = []
  const sockets = new Set<Socket>()
  let connectionId = 0
  let server: Server = createServer((socket) => serve(socket))
  let port = 0

  const collection = (ns: string): Doc[] => {
    let docs = data.get(ns)
    if (docs === undefined) {
      docs = []
      data.set(ns, docs)
    }
    return docs
  }

  /** The unique index a document would break in `docs` (other than `self`), if any. */
  const conflict = (ns: string, docs: Doc[], doc: Doc, self?: Doc): string | null => {
    for (const index of [{ ns, name: '_id_', keys: ['_id'] }, ...unique.filter((u) => u.ns === ns)]) {
      const key = (d: Doc) => index.keys.map((k) => d[k])
      const mine = key(doc)
      if (docs.some((other) => other !== self && key(other).every((v, i) => equals(v ?? null, mine[i] ?? null)))) {
        return `E11000 duplicate key error collection: ${ns} index: ${index.name}`
      }
    }
    return null
  }

  const cursor = (ns: string, batch: Doc[]): Doc => ({ cursor: { firstBatch: batch, id: Long.ZERO, ns }, ok: 1 })

  function run (command: Doc): Doc {
    const name = Object.keys(command)[0] ?? ''
    const db = typeof command.$db === 'string' ? command.$db : 'admin'
    const ns = `${db}.${String(command[name])}`
    switch (name) {
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return hello()
      case 'ping':
      case 'endSessions':
      case 'killCursors':
        return { ok: 1 }
    }
    commands.push(command)
    switch (name) {
      case 'dropDatabase':
        for (const key of [...data.keys()]) if (key.startsWith(`${db}.`)) data.delete(key)
        return { ok: 1 }
      case 'createIndexes': {
        for (const index of command.indexes as Array<{ key: Doc, name: string, unique?: boolean }>) {
          if (index.unique === true && !unique.some((u) => u.ns === ns && u.name === index.name)) {
            unique.push({ ns, name: index.name, keys: Object.keys(index.key) })
          }
        }
        collection(ns)
        return { ok: 1, numIndexesBefore: 1, numIndexesAfter: 1 }
      }
      case 'insert': {
        const docs = collection(ns)
        let n = 0
        const writeErrors: Doc[] = []
        for (const [index, doc] of (command.documents as Doc[]).entries()) {
          const stored = doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc
          const clash = conflict(ns, docs, stored)
          if (clash !== null) {
            writeErrors.push({ index, code: 11000, errmsg: clash })
            if (command.ordered !== false) break
            continue
          }
          docs.push(stored)
          n++
        }
        return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 }
      }
      case 'find': {
        let docs = collection(ns).filter((d) => matches(d, (command.filter ?? {}) as Doc))
        if (command.sort !== undefined) docs = sortDocs(docs, command.sort as Doc)
        if (typeof command.skip === 'number') docs = docs.slice(command.skip)
        if (typeof command.limit === 'number' && command.limit !== 0) docs = docs.slice(0, Math.abs(command.limit))
        if (command.projection !== undefined) docs = docs.map((d) => project(d, command.projection as Doc))
        return cursor(ns, docs)
      }
      case 'aggregate':
        return cursor(ns, runPipeline(collection(ns), command.pipeline as Doc[]))
      case 'findAndModify': {
        const docs = collection(ns)
        let candidates = docs.filter((d) => matches(d, (command.query ?? {}) as Doc))
        if (command.sort !== undefined) candidates = sortDocs(candidates, command.sort as Doc)
        const found = candidates[0]
        const shape = (d: Doc | null): Doc | null => d === null || command.fields === undefined ? d : project(d, command.fields as Doc)
        if (command.remove === true) {
          if (found !== undefined) docs.splice(docs.indexOf(found), 1)
          return { lastErrorObject: { n: found === undefined ? 0 : 1 }, value: shape(found ?? null), ok: 1 }
        }
        const update = command.update as Doc | Doc[]
        if (found === undefined) {
          if (command.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 }
          const created = applyUpdate(upsertSeed((command.query ?? {}) as Doc), update)
          if (created._id === undefined) created._id = new ObjectId()
          const clash = conflict(ns, docs, created)
          if (clash !== null) return { ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: clash }
          docs.push(created)
          return { lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id }, value: shape(command.new === true ? created : null), ok: 1 }
        }
        const updated = applyUpdate(found, update)
        const clash = conflict(ns, docs, updated, found)
        if (clash !== null) return { ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: clash }
        docs[docs.indexOf(found)] = updated
        return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(command.new === true ? updated : found), ok: 1 }
      }
      case 'update': {
        const docs = collection(ns)
        let n = 0
        let nModified = 0
        const upserted: Doc[] = []
        for (const [index, statement] of (command.updates as Array<{ q: Doc, u: Doc | Doc[], upsert?: boolean, multi?: boolean }>).entries()) {
          const targets = docs.filter((d) => matches(d, statement.q))
          for (const target of statement.multi === true ? targets : targets.slice(0, 1)) {
            const updated = applyUpdate(target, statement.u)
            docs[docs.indexOf(target)] = updated
            n++
            if (!equals(updated, target)) nModified++
          }
          if (targets.length === 0 && statement.upsert === true) {
            const created = applyUpdate(upsertSeed(statement.q), statement.u)
            if (created._id === undefined) created._id = new ObjectId()
            docs.push(created)
            upserted.push({ index, _id: created._id })
            n++
          }
        }
        return { n, nModified, ...(upserted.length > 0 ? { upserted } : {}), ok: 1 }
      }
      case 'delete': {
        const docs = collection(ns)
        let n = 0
        for (const statement of command.deletes as Array<{ q: Doc, limit: number }>) {
          const targets = docs.filter((d) => matches(d, statement.q))
          for (const target of statement.limit === 1 ? targets.slice(0, 1) : targets) {
            docs.splice(docs.indexOf(target), 1)
            n++
          }
        }
        return { n, ok: 1 }
      }
      default:
        return { ok: 0, code: 59, codeName: 'CommandNotFound', errmsg: `no such command: '${name}' (not in the fake)` }
    }
  }

  function hello (): Doc {
    return {
      helloOk: true,
      isWritablePrimary: true,
      ismaster: true,
      maxBsonObjectSize: 16 * 1024 * 1024,
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
  }

  function answer (command: Doc): Doc {
    try {
      return run(command)
    } catch (err) {
      return { ok: 0, code: 2, codeName: 'BadValue', errmsg: `fake MongoDB: ${(err as Error).message}` }
    }
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
          socket.write(frame(OP_REPLY, requestId, Buffer.concat([int32(0), Buffer.alloc(8), int32(0), int32(1), Buffer.from(BSON.serialize(reply))])))
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
          const reply = answer({ ...command, ...sequences })
          if ((flags & 2) === 0) socket.write(frame(OP_MSG, requestId, Buffer.concat([int32(0), Buffer.from([0]), Buffer.from(BSON.serialize(reply))])))
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

  return {
    get uri () { return `mongodb://127.0.0.1:${port}/?directConnection=true` },
    get port () { return port },
    commands,
    data,
    stop,
    async start () {
      server = createServer((socket) => serve(socket))
      await listen()
    },
    async close () {
      if (server.listening) await stop()
    }
  }
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
