import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js'
import { startUpstream, type Upstream } from '../helpers/upstream.js'
import { post, signUp, tally } from '../helpers/http-client.js'

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('atomic admission', () => {
  it('admits exactly 3 of 50 simultaneous requests from a fresh user', async () => {
    const t: TestApp = await startTestApp()
    cleanups.push(() => t.close())
    // A slow upstream keeps all admitted requests in flight together.
    t.upstream.behave(() => ({ kind: 'reply', text: 'ok' }))
    const url = await t.listen()
    const token = await signUp(url, 'eric')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(url, '/llm/message', { message: `m${i}` }, token)))
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 3, 401: 47 })
    expect(new Set(results.filter((r) => r.status === 401).map((r) => r.body.error))).toEqual(new Set(['burst_limit_exceeded']))
    expect(t.upstream.chats).toHaveLength(3)
  })

  it('admits exactly 3 of 50 when two server processes share one database file', async () => {
    const upstream: Upstream = await startUpstream()
    cleanups.push(() => upstream.close())
    const dataDir = await mkdtemp(join(tmpdir(), 'simple-chat-2proc-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const env = { DATA_DIR: dataDir, LLM_BASE_URL: upstream.url, LLM_API_KEY: 'sk-test' }
    const servers: ServerProcess[] = await Promise.all([startServerProcess(env, dataDir), startServerProcess(env, dataDir)])
    for (const s of servers) cleanups.push(() => s.stop())
    const [a, b] = servers as [ServerProcess, ServerProcess]

    // A token from one process works on the other: they share the generated secret.
    const token = await signUp(a.url, 'eric')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      post(i % 2 === 0 ? a.url : b.url, '/llm/message', { message: `m${i}` }, token)))
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 3, 401: 47 })
    expect(upstream.chats).toHaveLength(3)
  })
  it('admits exactly 3 of 50 with WORKERS=2 (node:cluster on one port)', async () => {
    const upstream: Upstream = await startUpstream()
    cleanups.push(() => upstream.close())
    const dataDir = await mkdtemp(join(tmpdir(), 'simple-chat-workers-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const server = await startServerProcess({ DATA_DIR: dataDir, LLM_BASE_URL: upstream.url, LLM_API_KEY: 'sk-test', WORKERS: '2' }, dataDir)
    cleanups.push(() => server.stop())
    const token = await signUp(server.url, 'eric')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(server.url, '/llm/message', { message: `m${i}` }, token)))
    expect(tally(results.map((r) => r.status))).toEqual({ 200: 3, 401: 47 })
    // Both workers served: each logs its own pid on its request lines.
    const pids = new Set(server.logs.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l).pid))
    expect(pids.size).toBe(2)
  })
})
