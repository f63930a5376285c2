import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp } from '../helpers/app.js'
import { startUpstream } from '../helpers/upstream.js'

let dataDir: string
afterEach(async () => { await rm(dataDir, { recursive: true, force: true }) })

describe('restart', () => {
  it('keeps users, tokens, history and counts across a restart on the same data dir', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'simple-chat-restart-'))
    const upstream = await startUpstream()
    const first = await startTestApp({ dataDir, upstream })
    const token = await first.signUp('eric')
    await first.chat(token, 'remember me')
    await first.close()

    const second = await startTestApp({ dataDir, upstream })
    const auth = { authorization: `Bearer ${token}` }
    const history = await second.inject({ method: 'GET', url: '/user/history/10', headers: auth })
    expect(history.statusCode).toBe(200)
    expect(history.json().map((r: { text: string }) => r.text)).toEqual(['remember me', 'Echo: remember me'])
    expect((await second.inject({ method: 'GET', url: '/user/status', headers: auth })).json()).toEqual({ username: 'eric', chat_cnt: 1 })
    const login = await second.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'correct horse battery' } })
    expect(login.statusCode).toBe(200)
    await second.close()
    await upstream.close()
  })
})
