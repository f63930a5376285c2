import { join } from 'node:path'
import { loadConfig, wantsStacks } from './config.js'
import { backupSqlite } from './storage/sqlite/backup.js'

/**
 * `npm run backup -- <file>`: a consistent copy of the live SQLite database, taken while the server
 * runs (README "Backups"). MongoDB has its own tools (mongodump, Atlas snapshots).
 */
async function main (): Promise<void> {
  const destination = process.argv[2]
  if (destination === undefined || destination.startsWith('-')) throw new UsageError('usage: npm run backup -- <file>')
  const config = loadConfig()
  if (config.MONGODB_URI !== undefined) throw new UsageError('MONGODB_URI is set: back MongoDB up with mongodump or Atlas snapshots (README "Backups")')
  const source = join(config.DATA_DIR, 'simple-chat.db')
  const { bytes, pages } = await backupSqlite(source, destination)
  console.log(`simple-chat: backed up ${source} to ${destination} (${pages} pages, ${(bytes / 1024 / 1024).toFixed(1)} MB, integrity ok)`)
}

class UsageError extends Error {}

main().catch((err: unknown) => {
  if (wantsStacks()) console.error(err)
  // Every message names its file or setting (fs errors carry their path).
  console.error(`simple-chat: backup failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
