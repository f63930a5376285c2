import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import Sqlite from 'better-sqlite3'

export interface BackupResult {
  bytes: number
  pages: number
}

/**
 * Copies a live SQLite database to `destination` with SQLite's online backup API (better-sqlite3's
 * `backup`): page by page, letting the server's writes go on between steps, and restarting by
 * itself when a write changes a page already copied, so the copy is one consistent moment. It is
 * written beside the destination and renamed into place only once whole and checked.
 */
export async function backupSqlite (source: string, destination: string): Promise<BackupResult> {
  if (existsSync(destination)) throw new Error(`${destination} already exists: choose another file name`)
  const partial = `${destination}.partial`
  let db: Sqlite.Database
  try {
    db = new Sqlite(source, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new Error(`cannot open the database ${source}: ${(err as Error).message} (is DATA_DIR right?)`, { cause: err })
  }
  try {
    const { totalPages } = await db.backup(partial)
    const copy = new Sqlite(partial, { readonly: true })
    try {
      const check = copy.pragma('integrity_check', { simple: true })
      if (check !== 'ok') throw new Error(`the copy failed SQLite's integrity check: ${String(check)}`)
    } finally {
      copy.close()
    }
    renameSync(partial, destination)
    return { bytes: statSync(destination).size, pages: totalPages }
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  } finally {
    db.close()
  }
}
