import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp } from '../helpers/app.js'
import { startUpstream } from '../helpers/upstream.js'

// Whatever a test opened is closed after it, newest first, also when an assertion failed midway.
const cleanup: Array<() => Promise<unknown>> = []
afterEach(async () => { for (const fn of cleanup.splice(0).reverse()) await fn() })

describe('restart', () => {
  it('keeps users, tokens, history and counts across a restart on the same data dir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'simple-chat-restart-'))
    cleanup.push(async () => { await rm(dataDir, { recursive: true, force: true }) })
    const upstream = await startUpstream()
    cleanup.push(async () => { await upstream.close() })
    const first = await startTestApp({ dataDir, upstream })
    let firstOpen = true
    cleanup.push(async () => { if (firstOpen) await first.close() })
    const token = await first.signUp('eric')
    await first.chat(token, 'remember me')
    await first.close()
    firstOpen = false

    const second = await startTestApp({ dataDir, upstream })
    cleanup.push(async () => { await second.close() })
    const auth = { authorization: `Bearer ${token}` }
    const history = await second.inject({ method: 'GET', url: '/user/history/10', headers: auth })
    expect(history.statusCode).toBe(200)
    expect(history.json().map((r: { text: string }) => r.text)).toEqual(['remember me', 'Echo: remember me'])
    expect((await second.inject({ method: 'GET', url: '/user/status', headers: auth })).json()).toMatchObject({ username: 'eric', chat_cnt: 1 })
    const login = await second.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'correct horse battery' } })
    expect(login.statusCode).toBe(200)
  })
})
