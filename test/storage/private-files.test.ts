import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { signUp } from '../helpers/http-client.js'
import { startServerProcess } from '../helpers/server-process.js'
import { startUpstream } from '../helpers/upstream.js'

const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8)

describe('private files', { timeout: 300_000 }, () => {
  it('creates DATA_DIR 0700 and the database, WAL, SHM and secret 0600 under umask 022, and tightens an older install', async () => {
    const root = await mkdtemp(join(tmpdir(), 'simple-chat-modes-'))
    onTestFinished(() => rm(root, { recursive: true, force: true }))
    const upstream = await startUpstream()
    onTestFinished(() => upstream.close())
    // The server process inherits the umask: 022 makes files 0644 and folders 0755 by default.
    const previous = process.umask(0o022)
    onTestFinished(() => { process.umask(previous) })
    const dataDir = join(root, 'not', 'there', 'yet')
    const env = { DATA_DIR: dataDir, LLM_BASE_URL: upstream.url, LLM_API_KEY: 'sk-test' }
    const files = ['simple-chat.db', 'simple-chat.db-wal', 'simple-chat.db-shm', 'jwt-secret'].map((name) => join(dataDir, name))

    const first = await startServerProcess(env, root)
    onTestFinished(() => first.stop())
    await signUp(first.url, 'eric') // a write, so the WAL has content
    expect(await mode(dataDir)).toBe('700')
    for (const file of files) expect(await mode(file), file).toBe('600')
    await first.stop()

    // An install from before: readable by everyone. The next start makes it private again.
    await chmod(dataDir, 0o755)
    for (const file of files) await chmod(file, 0o644).catch(() => {})
    const second = await startServerProcess(env, root)
    onTestFinished(() => second.stop())
    await signUp(second.url, 'alice')
    expect(await mode(dataDir)).toBe('700')
    for (const file of files) expect(await mode(file), file).toBe('600')
  })
})
