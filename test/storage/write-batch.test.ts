import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWriteBatch } from '../../src/storage/sqlite/write-batch.js'

let dir: string
let db: Sqlite.Database
let other: Sqlite.Database

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simple-chat-batch-'))
  db = new Sqlite(join(dir, 'db.sqlite'))
  db.pragma('journal_mode = WAL')
  db.exec('CREATE TABLE t (v TEXT NOT NULL)')
  other = new Sqlite(join(dir, 'db.sqlite'))
})
afterEach(async () => {
  db.close()
  other.close()
  await rm(dir, { recursive: true, force: true })
})

const insert = (v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes
const seenByOther = () => other.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()

describe('createWriteBatch (group commit)', () => {
  it('runs one turn\'s writes in one transaction, visible to others only once committed', async () => {
    const { write } = createWriteBatch(db, (fn) => fn())
    const seenDuring: unknown[][] = []
    const results = await Promise.all([
      write(() => insert('a')),
      write(() => { seenDuring.push(seenByOther()); return insert('b') })
    ])
    expect(results).toEqual([1, 1])
    // The second write ran while the first was still uncommitted: the same transaction.
    expect(seenDuring).toEqual([[]])
    expect(seenByOther()).toEqual(['a', 'b'])
  })

  it('commits large writes in batches of at most about 400,000 characters, the rest in the next turn', async () => {
    const { write } = createWriteBatch(db, (fn) => fn())
    const seen: unknown[][] = []
    const big = (v: string) => write(() => { seen.push(seenByOther()); return insert(v) }, 200_000)
    await Promise.all([big('1'), big('2'), big('3'), big('4'), big('5'), write(() => insert('small'))])
    // Two of 200,000 characters fill a batch: 3 starts the second, 5 the third (with the small one).
    expect(seen).toEqual([[], [], ['1', '2'], ['1', '2'], ['1', '2', '3', '4']])
    expect(seenByOther()).toEqual(['1', '2', '3', '4', '5', 'small'])
  })

  it('drain commits everything queued, over several batches', async () => {
    const { write, drain } = createWriteBatch(db, (fn) => fn())
    const all = Promise.all(['a', 'b', 'c'].map(async (v) => await write(() => insert(v), 300_000)))
    drain()
    expect(seenByOther()).toEqual(['a', 'b', 'c'])
    await all
  })

  it('undoes only the write that threw, and rejects only its caller', async () => {
    const { write } = createWriteBatch(db, (fn) => fn())
    const outcomes = await Promise.allSettled([
      write(() => insert('kept 1')),
      write(() => { insert('undone'); throw new Error('no') }),
      write(() => insert('kept 2'))
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(seenByOther()).toEqual(['kept 1', 'kept 2'])
  })

  it('rejects every caller with the mapped error when the transaction cannot begin', async () => {
    other.exec('BEGIN IMMEDIATE')
    db.pragma('busy_timeout = 0')
    const { write } = createWriteBatch(db, (fn) => {
      try { return fn() } catch (err) { throw new Error(`mapped: ${(err as Error).message}`) }
    })
    const outcomes = await Promise.allSettled([write(() => insert('x')), write(() => insert('y'))])
    other.exec('ROLLBACK')
    expect(outcomes.map((o) => o.status === 'rejected' && String(o.reason))).toEqual(['Error: mapped: database is locked', 'Error: mapped: database is locked'])
    expect(seenByOther()).toEqual([])
  })

  it('commits what is queued at once when drained, before the database closes', async () => {
    const { write, drain } = createWriteBatch(db, (fn) => fn())
    const written = write(() => insert('last words'))
    drain()
    db.close()
    expect(await written).toBe(1)
    expect(seenByOther()).toEqual(['last words'])
    db = new Sqlite(join(dir, 'db.sqlite'))
  })
})
