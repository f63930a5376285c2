import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { post, signUp, until } from '../helpers/http-client.js'
import { entryPoint } from '../helpers/server-process.js'
import { prepareServers } from '../helpers/servers.js'

/** `npm run backup -- <file>` as the build runs it. */
async function backup (dataDir: string, file: string): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, [...entryPoint('backup'), file], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const [code] = await once(child, 'close') as [number | null]
  return { code, output }
}

describe('npm run backup', () => {
  it('copies the live database under write load; restored, it has every message acknowledged before it began', { timeout: 300_000 }, async () => {
    const servers = await prepareServers('backup', { DAILY_MESSAGE_LIMIT: '100000', BURST_MESSAGE_LIMIT: '100000' })
    const server = await servers.start()
    const users = ['ann', 'bob', 'cat']
    const tokens = await Promise.all(users.map((u) => signUp(server.url, u)))
    const out = await mkdtemp(join(tmpdir(), 'simple-chat-backup-out-'))
    onTestFinished(() => rm(out, { recursive: true, force: true }))

    // Three writers until told to stop; what got a 200, in order.
    const acknowledged: string[] = []
    const writing = new AbortController()
    const writers = users.map(async (user, i) => {
      for (let n = 0; !writing.signal.aborted; n++) {
        const text = `${user} ${n}`
        if ((await post(server.url, '/llm/message', { message: text }, tokens[i])).status === 200) acknowledged.push(text)
      }
    })
    await until(() => acknowledged.length >= 30, 60_000)

    const file = join(out, 'copy.db')
    const before = acknowledged.length
    const done = await backup(servers.dataDir, file)
    const during = acknowledged.length - before
    await until(() => acknowledged.length >= before + during + 10, 60_000)
    writing.abort()
    await Promise.all(writers)
    expect(done.code, done.output).toBe(0)
    expect(done.output).toMatch(new RegExp(`^simple-chat: backed up .*simple-chat\\.db to ${file} \\(\\d+ pages, [\\d.]+ MB, integrity ok\\)\\n$`))
    // Writes went on while it copied.
    expect(acknowledged.length).toBeGreaterThan(before)

    // The same file again is refused, not overwritten.
    const again = await backup(servers.dataDir, file)
    expect(again.code).toBe(1)
    expect(again.output).toBe(`simple-chat: backup failed: ${file} already exists: choose another file name\n`)

    // Restored: the copy as the database of a new data folder (with the token secret).
    const db = new Sqlite(file, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    const restored = await prepareServers('restored')
    await copyFile(file, join(restored.dataDir, 'simple-chat.db'))
    await copyFile(join(servers.dataDir, 'jwt-secret'), join(restored.dataDir, 'jwt-secret'))
    const back = await restored.start()
    for (const [i, user] of users.entries()) {
      const res = await fetch(`${back.url}/user/history/2`, { headers: { authorization: `Bearer ${tokens[i]}` } })
      expect(res.status, user).toBe(200)
      expect(await res.json(), user).toHaveLength(2)
    }
    const restoredDb = new Sqlite(join(restored.dataDir, 'simple-chat.db'), { readonly: true })
    const kept = new Set(restoredDb.prepare("SELECT text FROM messages WHERE role = 'user'").pluck().all() as string[])
    restoredDb.close()
    for (const text of acknowledged.slice(0, before)) expect(kept.has(text), text).toBe(true)
  })
})
