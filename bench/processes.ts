/** The benchmark's processes (helper servers and the gateway) and its users, shared by every load. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { TSX } from '../test/helpers/server-process.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Every process started, so that the run can kill what is left at the end. */
export const children: ChildProcess[] = []

export interface StartOptions {
  env?: Record<string, string>
  cwd?: string
  /** Node options before the script, e.g. `--import` of a monitor. */
  node?: string[]
  /** Every line the process prints on stdout. */
  onLine?: (line: string) => void
}

/**
 * Starts `node --import tsx <script> args` (`script` relative to the checkout, or absolute) and resolves with the URL it prints. The gateway runs in
 * its data directory, so a developer's `.env` in the checkout cannot change what is measured.
 */
export function start (script: string, args: string[], options: StartOptions = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', TSX, ...(options.node ?? []), resolve(ROOT, script), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      options.onLine?.(line)
      const url = /^ready (\S+)/.exec(line)?.[1] ?? /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
      if (url !== undefined) resolve(url)
    })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
}

export async function stop (child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

export async function post (url: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body)
  })
  return await res.json() as Record<string, unknown>
}

export async function users (url: string, n: number, prefix: string): Promise<string[]> {
  const tokens: string[] = []
  for (let i = 0; i < n; i++) {
    const username = `${prefix}${i}`
    await post(url, '/user/', { username, password: 'correct horse battery' })
    tokens.push((await post(url, '/token', { username, password: 'correct horse battery' })).access_token as string)
  }
  return tokens
}

// The bench signs up hundreds of users from one address.
const LIMITS = { DAILY_MESSAGE_LIMIT: '100000000', BURST_MESSAGE_LIMIT: '100000000', REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000' }

/**
 * The gateway (`src/server.ts`) on a fresh data dir, limits raised, provider at `upstream`.
 * LOG_LEVEL=info so the listening line is printed; request lines go to the pipe, as in production.
 */
export async function startGateway (upstream: string, env: Record<string, string> = {}, options: Omit<StartOptions, 'env' | 'cwd'> & { script?: string, args?: string[] } = {}): Promise<{ url: string, dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'simple-chat-bench-'))
  const url = await start(options.script ?? 'src/server.ts', options.args ?? [], {
    ...options,
    env: { ...LIMITS, LOG_LEVEL: 'info', DATA_DIR: dataDir, LLM_BASE_URL: upstream, LLM_API_KEY: 'k', PORT: '0', ...env },
    cwd: dataDir
  })
  return { url, dataDir }
}

/** The process's user + system CPU time in milliseconds (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10
}
