import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { StartupError } from '../errors.js'
import { makePrivateDir, makePrivateFile } from '../storage/private-files.js'

/**
 * JWT_SECRET when set; otherwise a random secret generated on first start and kept in
 * DATA_DIR (mode 0600), so tokens survive restarts and are shared by processes on one data dir.
 */
export function loadJwtSecret (configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured
  const file = join(dataDir, 'jwt-secret')
  makePrivateDir(dataDir)
  // Written whole to a file of its own, then linked into place: the link fails if another process
  // (a sibling worker) got there first, and then we read theirs, never a half-written one.
  const mine = `${file}.${process.pid}`
  writeFileSync(mine, randomBytes(48).toString('base64url'), { mode: 0o600 })
  try {
    linkSync(mine, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    rmSync(mine, { force: true })
  }
  makePrivateFile(file)
  const secret = readFileSync(file, 'utf8').trim()
  if (secret.length < 32) throw new StartupError(`${file} holds no usable secret: delete it to generate a new one, or set JWT_SECRET`)
  return secret
}
