import type { Database } from 'better-sqlite3'
import { guard } from './open.js'
import { createWriteBatch } from './write-batch.js'

/** How every part of the store writes: `work` runs synchronously inside a write transaction. */
export type Write = <T>(work: () => T, chars?: number) => Promise<T>

export interface Writes {
  write: Write
  /** Commits what is queued now (before closing the database). */
  drain: () => void
}

/**
 * Group commit (`write-batch.ts`) unless turned off; off, each write is a `BEGIN IMMEDIATE`
 * transaction of its own, which also makes admission atomic against other processes.
 */
export function createWrites (db: Database, groupCommit: boolean): Writes {
  if (groupCommit) return createWriteBatch(db, guard)
  const single = db.transaction((work: () => unknown) => work())
  return { write: async <T>(work: () => T): Promise<T> => guard(() => single.immediate(work) as T), drain: () => {} }
}
