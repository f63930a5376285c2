import { dirname } from 'node:path'
import Sqlite from 'better-sqlite3'
import { storageUnavailable } from '../../errors.js'
import { DatabaseStartupError } from '../database-startup-error.js'
import { makePrivateDir, makePrivateFile } from '../private-files.js'
import { BACKSTOP_PAGES } from './checkpointer.js'
import { migrate } from './migrations.js'

/**
 * Opens the file in WAL mode and brings its schema up to date. A file SQLite cannot use stops
 * start-up with a line that names it (better-sqlite3 says only "unable to open database file").
 */
export function openDatabase (file: string, checkpointThread: boolean): Sqlite.Database {
  makePrivateDir(dirname(file))
  // SQLite gives the WAL and shared-memory files the database file's mode: 0600 for all three.
  makePrivateFile(file)
  for (const companion of [`${file}-wal`, `${file}-shm`]) makePrivateFile(companion, { mustExist: false })
  let db: Sqlite.Database | undefined
  try {
    db = new Sqlite(file, { timeout: 5000 })
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    if (checkpointThread) db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
    migrate(db)
    return db
  } catch (err) {
    db?.close()
    if (!(err instanceof Sqlite.SqliteError)) throw err
    // Extended codes (SQLITE_IOERR_WRITE, SQLITE_CANTOPEN_ISDIR) share their primary code's hint.
    const hint = OPEN_HINTS[err.code.split('_').slice(0, 2).join('_')] ?? 'LOG_LEVEL=debug shows the stack'
    throw new DatabaseStartupError(`cannot use the SQLite database ${file}: ${err.message} (${err.code}); ${hint}`)
  }
}

// SQLite keeps a -wal and a -shm file beside the database: its folder must be writable too.
const WRITABLE = 'DATA_DIR must be a folder this user can write, holding a file it can write'
const OPEN_HINTS: Record<string, string> = {
  SQLITE_CANTOPEN: WRITABLE,
  SQLITE_READONLY: WRITABLE,
  SQLITE_PERM: WRITABLE,
  SQLITE_IOERR: `${WRITABLE}, on a disk that works`,
  SQLITE_FULL: 'the disk is full; free some space',
  SQLITE_NOTADB: 'it is not a SQLite database: point DATA_DIR elsewhere, or move the file away',
  SQLITE_CORRUPT: 'the file is damaged: restore it from a backup (README, "Backups")',
  SQLITE_BUSY: 'another program holds it locked; stop it'
}

/** A database locked past the busy timeout is a 503, not a 500. */
export function guard<T> (fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof Sqlite.SqliteError && /^SQLITE_(BUSY|LOCKED|IOERR|FULL)/.test(err.code)) {
      throw storageUnavailable(err)
    }
    throw err
  }
}
