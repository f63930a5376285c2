import { describe, expect, it, onTestFinished } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { prepareServers } from '../helpers/servers.js'
import { burst, signUp, tally } from '../helpers/http-client.js'

describe('atomic admission', () => {
  it('admits exactly 3 of 50 simultaneous requests from a fresh user', async () => {
    const t: TestApp = await startTestApp()
    onTestFinished(() => t.close())
    // A slow upstream keeps all admitted requests in flight together.
    t.upstream.behave(() => ({ kind: 'reply', text: 'ok' }))
    const url = await t.listen()
    const token = await signUp(url, 'eric')
    const results = await burst(url, token, 50)
    expect(tally(results)).toEqual({ 200: 3, 401: 47 })
    expect(new Set(results.filter((r) => r.status === 401).map((r) => r.body.error))).toEqual(new Set(['burst_limit_exceeded']))
    expect(t.upstream.chats).toHaveLength(3)
  })

  it('admits exactly 3 of 50 when two server processes share one database file', async () => {
    const { upstream, start } = await prepareServers('2proc')
    const [a, b] = await Promise.all([start(), start()])

    // A token from one process works on the other: they share the generated secret.
    const token = await signUp(a.url, 'eric')
    const results = await burst([a.url, b.url], token, 50)
    expect(tally(results)).toEqual({ 200: 3, 401: 47 })
    expect(upstream.chats).toHaveLength(3)
  })
  it('admits exactly 3 of 50 with WORKERS=2 (node:cluster on one port)', async () => {
    const { start } = await prepareServers('workers', { WORKERS: '2' })
    const server = await start()
    const token = await signUp(server.url, 'eric')
    const results = await burst(server.url, token, 50)
    expect(tally(results)).toEqual({ 200: 3, 401: 47 })
    // Both workers served: each logs its own pid on its request lines.
    const pids = new Set(server.logs.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l).pid))
    expect(pids.size).toBe(2)
  })
})
