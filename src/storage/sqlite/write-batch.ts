import type { Database } from 'better-sqlite3'

type Outcome = { ok: true, value: unknown } | { ok: false, error: unknown }
interface Job { work: () => unknown, chars: number, resolve: (value: unknown) => void, reject: (error: unknown) => void }

/**
 * Group commit: the writes asked for in one turn of the event loop run in one `BEGIN IMMEDIATE`
 * transaction, each in a savepoint of its own, so one that throws undoes only itself. Measured
 * here, an insert in a transaction of its own costs about 15× one inside a batch (each commit
 * writes its pages to the WAL, and now and then checkpoints); under load that was most of what
 * storage cost. A caller hears back only after the commit: nothing reported saved can be lost.
 *
 * `work` must be synchronous and may call other transaction functions (they nest as savepoints).
 * `mapError` turns SQLite's errors into the app's (a busy database is a 503).
 *
 * A batch holds at most about `MAX_BATCH_CHARS` of text (`chars`, what a write stores): seven
 * messages at the 200,000-character limit in one transaction held the event loop for tens of
 * milliseconds (issue 12); the rest of the queue is committed in the next turn.
 */
export interface WriteBatch {
  write: <T>(work: () => T, chars?: number) => Promise<T>
  /** Commits what is queued now, not at the end of the turn (before closing the database). */
  drain: () => void
}

const MAX_BATCH_CHARS = 400_000

export function createWriteBatch (db: Database, mapError: (fn: () => unknown) => unknown): WriteBatch {
  let queue: Job[] = []

  const inSavepoint = db.transaction((work: () => unknown) => work())
  const runAll = db.transaction((jobs: Job[]): Outcome[] => jobs.map((job) => {
    try {
      return { ok: true, value: mapError(() => inSavepoint(job.work)) }
    } catch (error) {
      return { ok: false, error }
    }
  }))

  function flush (): void {
    if (queue.length === 0) return
    let taken = 0
    let chars = 0
    while (taken < queue.length && (taken === 0 || chars + (queue[taken] as Job).chars <= MAX_BATCH_CHARS)) chars += (queue[taken++] as Job).chars
    const jobs = queue.slice(0, taken)
    queue = queue.slice(taken)
    if (queue.length > 0) setImmediate(flush)
    let outcomes: Outcome[]
    try {
      outcomes = mapError(() => runAll.immediate(jobs)) as Outcome[]
    } catch (error) {
      for (const job of jobs) job.reject(error)
      return
    }
    outcomes.forEach((outcome, i) => {
      const job = jobs[i] as Job
      if (outcome.ok) job.resolve(outcome.value)
      else job.reject(outcome.error)
    })
  }

  return {
    write: async <T>(work: () => T, chars = 0): Promise<T> => await new Promise<T>((resolve, reject) => {
      queue.push({ work, chars, resolve: resolve as (value: unknown) => void, reject })
      if (queue.length === 1) setImmediate(flush)
    }),
    drain: () => { while (queue.length > 0) flush() }
  }
}
