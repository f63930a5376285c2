import { StartupError } from '../errors.js'

interface SystemError extends Error {
  code?: string
  syscall?: string
  path?: string
  address?: string
  port?: number
  hostname?: string
}

/**
 * What stopped the server from starting, in one line that names the setting, port or file and
 * what to do about it. An error this does not know is a bug: its message, and a pointer to the stack.
 */
export function describeStartupError (err: unknown): string {
  if (err instanceof StartupError) return err.message
  if (!(err instanceof Error)) return `unexpected failure: ${String(err)}`
  const { code, syscall, path, address, port, hostname } = err as SystemError
  if (syscall === 'listen' || syscall === 'bind') {
    const where = `${address ?? 'HOST'}:${port ?? 'PORT'}`
    if (code === 'EADDRINUSE') return `port ${port} on ${address} is already in use (another copy of the server?): stop it, or set PORT to a free port`
    if (code === 'EACCES' || code === 'EPERM') return `not allowed to listen on ${where}: ports below 1024 need privileges; set PORT above 1023 and let a reverse proxy take 80/443`
    if (code === 'EADDRNOTAVAIL') return `HOST ${address} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for all`
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `HOST ${hostname ?? ''} cannot be resolved: set HOST to an address of this machine`
  if (path !== undefined) {
    const problem = FILE_PROBLEMS[code ?? '']
    if (problem !== undefined) return `cannot use ${path} (${code}): ${problem}`
  }
  return `unexpected failure: ${err.message}${code === undefined ? '' : ` (${code})`}; LOG_LEVEL=debug shows the stack`
}

const WRITABLE = 'DATA_DIR must be a folder this user can write'
const FILE_PROBLEMS: Record<string, string> = {
  EACCES: `permission denied; ${WRITABLE}`,
  EPERM: `not permitted; ${WRITABLE}`,
  EROFS: `the file system is read-only; ${WRITABLE}`,
  ENOTDIR: `part of the path is a file, not a folder; ${WRITABLE}`,
  EEXIST: `a file is in the way; ${WRITABLE}`,
  EISDIR: 'a folder is where a file should be; remove it',
  ENOSPC: 'no space left on the device; free some',
  EDQUOT: 'the disk quota is used up; free some'
}
