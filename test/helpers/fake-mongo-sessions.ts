import { BSON, type Binary } from 'mongodb'
import { equals, type Doc } from './mongo-eval.js'
import { CommandError, type Space } from './fake-mongo-commands.js'

/**
 * Sessions of the stand-in server, as a replica set has them (the manual's "Transactions" and
 * "Retryable Writes" chapters):
 * - A transaction reads a snapshot taken when it starts and sees its own writes. Writing a document
 *   that another transaction wrote, or that changed after its snapshot, fails with WriteConflict
 *   (TransientTransactionError); a write outside transactions dooms the transactions holding that
 *   document. Commit applies every written document at once; any error aborts the transaction;
 *   a commit repeated after it succeeded succeeds again.
 * - A retryable write (`txnNumber` without `autocommit`) runs once: repeated with the same session
 *   and number, it answers what the first run answered.
 */

interface Transaction {
  txnNumber: string
  start: number
  snapshot: Map<string, Doc[]>
  written: Map<string, { ns: string, id: unknown }>
  doomed: boolean
}

export interface Sessions {
  /** The committed data. */
  main: Space
  /** Runs a command in its session: in its transaction, as a retryable write, or plainly. */
  run (command: Doc, name: string, execute: (space: Space) => Doc): Doc
  /** A step-down: every open transaction is aborted. */
  abortAll (): void
  /** `endSessions`: their open transactions are aborted. */
  end (lsids: Doc[]): void
}

const TRANSIENT = ['TransientTransactionError']

export function createSessions (data: Map<string, Doc[]>): Sessions {
  let clock = 0
  const lastWrite = new Map<string, number>()
  const holders = new Map<string, Transaction>()
  const open = new Map<string, Transaction>()
  const committed = new Set<string>()
  const retryable = new Map<string, Doc>()

  const docKey = (ns: string, doc: Doc): string => `${ns}|${BSON.EJSON.stringify({ id: doc._id }, { relaxed: false })}`
  const listIn = (map: Map<string, Doc[]>, ns: string): Doc[] => {
    let docs = map.get(ns)
    if (docs === undefined) {
      docs = []
      map.set(ns, docs)
    }
    return docs
  }

  const release = (session: string): void => {
    const txn = open.get(session)
    if (txn === undefined) return
    open.delete(session)
    for (const key of txn.written.keys()) if (holders.get(key) === txn) holders.delete(key)
  }

  const main: Space = {
    docs: (ns) => listIn(data, ns),
    touched (ns, doc) {
      const key = docKey(ns, doc)
      lastWrite.set(key, ++clock)
      const holder = holders.get(key)
      if (holder !== undefined) holder.doomed = true
    }
  }

  const spaceOf = (txn: Transaction): Space => ({
    docs: (ns) => listIn(txn.snapshot, ns),
    touched (ns, doc) {
      const key = docKey(ns, doc)
      const holder = holders.get(key)
      if ((lastWrite.get(key) ?? 0) > txn.start || (holder !== undefined && holder !== txn)) {
        throw new CommandError(112, 'WriteConflict', 'Write conflict during plan execution and yielding is disabled.', TRANSIENT)
      }
      holders.set(key, txn)
      txn.written.set(key, { ns, id: doc._id })
    }
  })

  const commit = (txn: Transaction): void => {
    for (const [key, { ns, id }] of txn.written) {
      const doc = listIn(txn.snapshot, ns).find((d) => equals(d._id, id))
      const docs = listIn(data, ns)
      const at = docs.findIndex((d) => equals(d._id, id))
      if (doc === undefined) {
        if (at >= 0) docs.splice(at, 1)
      } else if (at >= 0) {
        docs[at] = doc
      } else {
        docs.push(doc)
      }
      lastWrite.set(key, ++clock)
    }
  }

  return {
    main,
    run (command, name, execute) {
      const lsid = command.lsid as { id: Binary } | undefined
      if (lsid === undefined || command.txnNumber === undefined) return execute(main)
      const session = Buffer.from(lsid.id.buffer).toString('hex')
      const txnNumber = String(command.txnNumber)
      const key = `${session}:${txnNumber}`

      if (command.autocommit !== false) {
        const earlier = retryable.get(key)
        if (earlier !== undefined) return earlier
        const reply = execute(main)
        retryable.set(key, reply)
        return reply
      }

      if (name === 'commitTransaction' && committed.has(key)) return { ok: 1 }
      if (command.startTransaction === true) {
        release(session)
        open.set(session, { txnNumber, start: clock, snapshot: new Map([...data].map(([ns, docs]) => [ns, [...docs]])), written: new Map(), doomed: false })
      }
      const txn = open.get(session)
      if (txn === undefined || txn.txnNumber !== txnNumber) {
        throw new CommandError(251, 'NoSuchTransaction', `Transaction ${txnNumber} has been aborted.`, TRANSIENT)
      }
      if (name === 'abortTransaction') {
        release(session)
        return { ok: 1 }
      }
      if (txn.doomed) {
        release(session)
        throw new CommandError(112, 'WriteConflict', 'Write conflict: a write outside the transaction changed a document it wrote.', TRANSIENT)
      }
      if (name === 'commitTransaction') {
        commit(txn)
        release(session)
        committed.add(key)
        return { ok: 1 }
      }
      try {
        const reply = execute(spaceOf(txn))
        if (Array.isArray(reply.writeErrors)) release(session)
        return reply
      } catch (err) {
        release(session)
        throw err
      }
    },
    abortAll () {
      for (const session of [...open.keys()]) release(session)
    },
    end (lsids) {
      for (const lsid of lsids) release(Buffer.from((lsid.id as Binary).buffer).toString('hex'))
    }
  }
}
