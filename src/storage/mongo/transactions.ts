import { setTimeout as sleep } from 'node:timers/promises'
import { MongoError, MongoErrorLabel, ReadConcern, ReadPreference, WriteConcern, type ClientSession, type Db, type MongoClient, type TransactionOptions } from 'mongodb'

/**
 * Writes to several documents that must land together (admission, completion, failure). On a
 * deployment with transactions (a replica set or a sharded cluster: every Atlas cluster) they run
 * in one; on a standalone server, which has none, they run in the order the store chose for them,
 * whose crash states a repair on read resolves (`mongo-messages.ts`, `mongo-quota.ts`).
 */
export interface Atomic {
  readonly transactions: boolean
  /**
   * Runs `work` (passing its session to every operation) as one transaction, or plainly with no
   * session. A transient failure (an election, a write conflict with another request) reruns the
   * whole of it, as does an error `retryAlso` accepts (without a transaction too, so it must match
   * only errors of the first write, which leave nothing to undo); a commit whose outcome is unknown
   * is committed again (idempotent). Retries stop at `deadlineMs` from the start.
   */
  run: <T>(work: (session: ClientSession | undefined) => Promise<T>, retryAlso?: (err: unknown) => boolean) => Promise<T>
}

/** Snapshot reads, and the same primary and journaled-majority writes as everything else. */
const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: new ReadConcern('snapshot'),
  writeConcern: new WriteConcern('majority', undefined, true),
  readPreference: ReadPreference.primary
}

/** Whether the deployment runs transactions: replica-set members name their set, mongos says so. */
export async function supportsTransactions (db: Db): Promise<boolean> {
  const hello = await db.admin().command({ hello: 1 })
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid'
}

const hasLabel = (err: unknown, label: string): boolean => err instanceof MongoError && err.hasErrorLabel(label)

/**
 * The driver's `withTransaction` does the same retries (with the same backoff) but for up to 120 s,
 * with no way to bound them in this driver version (its `timeoutMS` is deprecated and ignored); a
 * request must answer long before, so the loop is written here, as the manual's "core API"
 * example does it.
 */
export function createAtomic (client: MongoClient, transactions: boolean, deadlineMs: number): Atomic {
  return {
    transactions,
    async run (work, retryAlso) {
      if (!transactions) {
        for (let attempt = 1; ; attempt++) {
          try {
            return await work(undefined)
          } catch (err) {
            if (attempt >= 3 || retryAlso?.(err) !== true) throw err
          }
        }
      }
      const until = Date.now() + deadlineMs
      const session = client.startSession()
      try {
        for (let attempt = 0; ; attempt++) {
          session.startTransaction(TRANSACTION_OPTIONS)
          try {
            const result = await work(session)
            await commit(session, until)
            return result
          } catch (err) {
            if (session.inTransaction()) await session.abortTransaction().catch(() => {})
            const again = hasLabel(err, MongoErrorLabel.TransientTransactionError) || retryAlso?.(err) === true
            // Requests of one user conflict on its quota document: they back off (jittered) as the
            // driver's withTransaction does, instead of retrying in lockstep.
            const backoffMs = Math.random() * Math.min(5 * 1.5 ** attempt, 500)
            if (!again || Date.now() + backoffMs >= until) throw err
            await sleep(backoffMs)
          }
        }
      } finally {
        await session.endSession()
      }
    }
  }
}

async function commit (session: ClientSession, until: number): Promise<void> {
  for (;;) {
    try {
      await session.commitTransaction()
      return
    } catch (err) {
      if (!hasLabel(err, MongoErrorLabel.UnknownTransactionCommitResult) || Date.now() >= until) throw err
    }
  }
}
