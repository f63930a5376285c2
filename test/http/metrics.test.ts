import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp | undefined
afterEach(async () => { await t?.close() })

const TOKEN = 'metrics-token-0123456789'

/** The value of one sample (`name{labels} value`) in Prometheus text, or undefined. */
function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('GET /metrics', () => {
  it('is not there without METRICS_TOKEN, nor for a request without it', async () => {
    t = await startTestApp()
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await t.inject({ method: 'GET', url: '/metrics', headers })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ error: 'not_found' })
    }
    await t.close()

    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } })
    for (const authorization of [undefined, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, TOKEN, `bearer ${TOKEN}`]) {
      const res = await t.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } })
      expect(res.statusCode, authorization).toBe(404)
      expect(res.body).not.toContain('simplechat_')
    }
  })

  it('counts chats by outcome, refusals by limit, provider time, middle-out cuts and HTTP requests', async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN, BURST_MESSAGE_LIMIT: '3', LLM_CONTEXT_TOKENS: '8192', LLM_MAX_TOKENS: '1024' } })
    const app = t
    const token = await app.signUp('eric')
    expect((await app.chat(token, 'hello')).statusCode).toBe(200)
    app.upstream.behave(() => ({ kind: 'status', status: 500 }))
    expect((await app.chat(token, 'again', '/llm/message/advanced')).statusCode).toBe(502)
    app.upstream.behave(() => ({ kind: 'reply', text: 'ok' }))
    const long = Array.from({ length: 12_000 }, (_, i) => `w${i % 10}`).join(' ')
    const cut = await app.chat(token, long)
    expect(cut.statusCode).toBe(200)
    expect(Number(cut.headers['x-middle-out-removed-tokens'])).toBeGreaterThan(0)
    // The 502 took no slot: the burst limit of 3 refuses the fourth message. This one is cut too:
    // the long message is in its history.
    const more = await app.chat(token, 'one more')
    expect(more.statusCode).toBe(200)
    const removed = Number(cut.headers['x-middle-out-removed-tokens']) + Number(more.headers['x-middle-out-removed-tokens'])
    expect((await app.chat(token, 'too many')).json()).toMatchObject({ error: 'burst_limit_exceeded' })

    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = res.body
    expect(sample(text, 'simplechat_chat_messages_total{endpoint="message",outcome="answered"}')).toBe(3)
    expect(sample(text, 'simplechat_chat_messages_total{endpoint="advanced",outcome="llm_error"}')).toBe(1)
    expect(sample(text, 'simplechat_chat_messages_total{endpoint="message",outcome="burst_limit_exceeded"}')).toBe(1)
    expect(sample(text, 'simplechat_limit_refusals_total{limit="burst"}')).toBe(1)
    expect(sample(text, 'simplechat_provider_request_duration_seconds_count{outcome="ok"}')).toBe(3)
    expect(sample(text, 'simplechat_provider_request_duration_seconds_count{outcome="error"}')).toBe(1)
    expect(sample(text, 'simplechat_middle_out_cuts_total')).toBe(2)
    expect(sample(text, 'simplechat_middle_out_removed_tokens_total')).toBe(removed)
    expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/llm/message",status_code="200"}')).toBe(3)
    expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/token",status_code="200"}')).toBe(1)
    // The process's own, from prom-client's defaults.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(text).toContain('nodejs_eventloop_lag_seconds')
    // No token, password or message text in it.
    for (const secret of [TOKEN, token, 'correct horse battery', 'hello']) expect(text).not.toContain(secret)
  })
})

describe('deploy/grafana-dashboard.json', () => {
  it('charts only metrics that /metrics exposes', async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } })
    const text = (await t.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body
    const exposed = new Set(text.split('\n').flatMap((line) => {
      const match = /^# TYPE (\S+) (\S+)$/.exec(line)
      if (match === null) return []
      const [, name, type] = match as unknown as [string, string, string]
      return type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name]
    }))
    const dashboard = JSON.parse(await readFile(new URL('../../deploy/grafana-dashboard.json', import.meta.url), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> }
    const charted = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/\b(?:simplechat|http|process|nodejs)_[a-z0-9_]+/g) ?? []))
    expect(charted.length).toBeGreaterThan(10)
    expect(charted.filter((name) => !exposed.has(name))).toEqual([])
  })
})

describe('GET /readyz', () => {
  it('is 200 while the database answers and 503 when it does not; /healthz stays 200', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simple-chat-readyz-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const store = createSqliteStore(join(dir, 'simple-chat.db'))
    t = await startTestApp({ deps: { store } })
    const ready = await t.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', storage: 'sqlite' })

    // The database goes away under the running app.
    await store.close()
    const gone = await t.inject({ method: 'GET', url: '/readyz' })
    expect(gone.statusCode).toBe(503)
    expect(gone.json()).toMatchObject({ error: 'storage_unavailable' })
    expect(gone.headers['retry-after']).toBeDefined()
    expect((await t.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
  })
})
