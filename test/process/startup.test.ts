import { once } from 'node:events'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runServerUntilExit, type ServerExit } from '../helpers/server-process.js'

/**
 * The real entry point, started where it cannot run: it must say why in one line that names what
 * to fix, exit 1, and show no stack unless LOG_LEVEL=debug; with WORKERS=2 the same, once.
 */

let dir: string
let taken: Server
let takenPort: number
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simple-chat-startup-'))
  taken = createServer().listen(0, '127.0.0.1')
  await once(taken, 'listening')
  takenPort = (taken.address() as AddressInfo).port
})
afterAll(async () => {
  taken.close()
  await rm(dir, { recursive: true, force: true })
})

/** A fresh folder for one start, and the server run in it with `env` until it exits. */
async function run (name: string, env: Record<string, string>): Promise<ServerExit> {
  const cwd = join(dir, name)
  await mkdir(cwd)
  return await runServerUntilExit({ DATA_DIR: join(cwd, 'data'), LLM_BASE_URL: 'http://127.0.0.1:9/v1', ...env }, cwd)
}

/** Exit 1 and exactly one line on stderr, without a stack; returns the line. */
function oneLine (exit: ServerExit): string {
  expect(exit.code, exit.stderr).toBe(1)
  const lines = exit.stderr.split('\n').filter((line) => line.trim() !== '')
  expect(lines, exit.stderr).toHaveLength(1)
  expect(exit.stderr).not.toMatch(/^\s+at /m)
  return lines[0] as string
}

// Each case starts the app from source (tsx), several at once: on a loaded machine that took 40 s.
describe.concurrent('a server that cannot start', { timeout: 300_000 }, () => {
  // Each start loads the whole app from source: a few of them, not every combination.
  it('names the port in use', async () => {
    const line = oneLine(await run('port', { PORT: String(takenPort) }))
    expect(line).toBe(`simple-chat: cannot start: port ${takenPort} on 127.0.0.1 is already in use (another copy of the server?): stop it, or set PORT to a free port`)
  })

  for (const workers of ['1', '2']) {
    it(`names the data folder it cannot write (WORKERS=${workers})`, async () => {
      const cwd = join(dir, `blocked-${workers}`)
      await mkdir(cwd)
      // A file where the folder should be: root may write anywhere, but not through a file.
      await writeFile(join(cwd, 'data'), 'not a folder')
      const exit = await runServerUntilExit({ DATA_DIR: join(cwd, 'data', 'inner'), WORKERS: workers }, cwd)
      expect(oneLine(exit)).toBe(`simple-chat: cannot start: cannot use ${join(cwd, 'data', 'inner')} (ENOTDIR): part of the path is a file, not a folder; DATA_DIR must be a folder this user can write`)
    })
  }

  it('names the database file that is not a database', async () => {
    const cwd = join(dir, 'notdb')
    await mkdir(join(cwd, 'data'), { recursive: true })
    await writeFile(join(cwd, 'data', 'simple-chat.db'), 'x'.repeat(4096))
    const exit = await runServerUntilExit({ DATA_DIR: join(cwd, 'data') }, cwd)
    expect(oneLine(exit)).toBe(`simple-chat: cannot start: cannot use the SQLite database ${join(cwd, 'data', 'simple-chat.db')}: file is not a database (SQLITE_NOTADB); it is not a SQLite database: point DATA_DIR elsewhere, or move the file away`)
  })

  it('names the bad setting', async () => {
    expect(oneLine(await run('setting', { PORT: 'eighty' }))).toMatch(/^simple-chat: cannot start: invalid configuration: PORT /)
    expect(oneLine(await run('workers', { WORKERS: '0' }))).toMatch(/^simple-chat: cannot start: invalid configuration: WORKERS /)
  })

  it('names the database it cannot reach, without its password', async () => {
    const exit = await run('mongo', { MONGODB_URI: `mongodb://app:hunter2-secret@127.0.0.1:${takenPort}/?directConnection=true&serverSelectionTimeoutMS=500` })
    const line = oneLine(exit)
    expect(line).toContain(`simple-chat: cannot start: cannot reach MongoDB at mongodb://127.0.0.1:${takenPort}`)
    expect(exit.stderr + exit.stdout).not.toContain('hunter2')
  })

  it('shows the stack at LOG_LEVEL=debug', async () => {
    const exit = await run('debug', { PORT: String(takenPort), LOG_LEVEL: 'debug' })
    expect(exit.code).toBe(1)
    expect(exit.stderr).toMatch(/^\s+at /m)
    expect(exit.stderr).toContain('simple-chat: cannot start: port')
  })
})
