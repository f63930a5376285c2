import { statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startCheckpointer } from '../../src/storage/sqlite/checkpointer.js'

let dir: string
let file: string
let db: Sqlite.Database

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simple-chat-checkpoint-'))
  file = join(dir, 'db.sqlite')
  db = new Sqlite(file)
  db.pragma('journal_mode = WAL')
  // Only the checkpointer may copy the log back: the writer's own automatic checkpoint is off.
  db.pragma('wal_autocheckpoint = 0')
  db.exec('CREATE TABLE t (v TEXT NOT NULL)')
})
afterEach(async () => {
  db.close()
  await rm(dir, { recursive: true, force: true })
})

const write = (rows: number) => {
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  db.transaction(() => { for (let i = 0; i < rows; i++) insert.run('x'.repeat(200)) })()
}
const fileSize = () => statSync(file).size
const walSize = () => statSync(`${file}-wal`).size

describe('startCheckpointer', () => {
  it('copies the write-ahead log into the database file from its thread, until stopped', async () => {
    write(5000)
    const before = fileSize()
    expect(walSize()).toBeGreaterThan(1_000_000)
    const checkpointer = startCheckpointer(file, 20)
    await expect.poll(fileSize, { timeout: 10_000 }).toBeGreaterThan(before + 1_000_000)
    await checkpointer.stop()

    // Stopped: new writes stay in the log.
    const stopped = fileSize()
    write(5000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(fileSize()).toBe(stopped)
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(10_000)
  })

  it('stops cleanly when its database cannot be opened', async () => {
    const checkpointer = startCheckpointer(join(dir, 'missing', 'db.sqlite'), 20)
    await expect(checkpointer.stop()).resolves.toBeUndefined()
  })
})
