import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'

/**
 * DATA_DIR and what the server keeps in it (the database, its WAL and shared-memory files, the
 * generated JWT secret) are for the server's user alone: the folder 0700, the files 0600, whatever
 * the umask, and also when an earlier version left them readable.
 */
export function makePrivateDir (dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  restrict(dir, 0o700)
}

/** Creates `file` (empty) if missing, and makes it 0600; `mustExist: false` only tightens a file that is there. */
export function makePrivateFile (file: string, { mustExist = true } = {}): void {
  if (mustExist) closeSync(openSync(file, 'a', 0o600))
  restrict(file, 0o600)
}

function restrict (path: string, mode: number): void {
  try {
    chmodSync(path, mode)
  } catch (err) {
    // Missing (an optional file), or not ours to change (a folder the operator owns): leave it.
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'EPERM') throw err
  }
}
