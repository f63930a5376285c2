import { afterEach, describe, expect, it } from 'vitest'
import { redactUrl } from '../../src/http/redact-url.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { postStream, postThenLeave, until } from '../helpers/http-client.js'

let t: TestApp
afterEach(async () => { await t?.close() })

interface LogLine { level: number, msg: string, [key: string]: unknown }
const lines = (): LogLine[] => t.logs.map((line) => JSON.parse(line) as LogLine)
const WARN = 40

describe('logs', () => {
  it.each([
    ['a streaming client', true],
    ['a JSON client', false]
  ])('%s that leaves mid-reply is one info line without a stack, and nothing at warn or above', async (_name, streaming) => {
    t = await startTestApp()
    const url = await t.listen()
    const token = await t.signUp('eric')
    t.upstream.behave(() => ({ kind: 'stream', chunks: Array.from({ length: 200 }, (_, i) => `w${i} `), delayMs: 20 }))
    if (streaming) {
      await postStream(url, token, 'tell me a long story', { stopAfter: 2 })
    } else {
      await postThenLeave(url, token, 'tell me a long story', () => t.upstream.chats.length === 1)
    }
    await until(() => lines().some((l) => l.msg === 'client went away'))
    await until(() => t.upstream.aborted === 1)
    expect(lines().filter((l) => l.msg === 'request' && l.url === '/llm/message')).toMatchObject([{ level: 30, status: 499 }])
    expect(lines().filter((l) => l.level >= WARN)).toEqual([])
    expect(t.logs.filter((l) => /"stack"|\n\s+at /.test(l))).toEqual([])
    expect(lines().filter((l) => l.msg === 'client went away')).toMatchObject([{ level: 30, code: 'client_closed_request' }])
  })

  it('never writes a secret from the query string', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    const secrets = ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4', 'SECRET-5', 'SECRET-6']
    const query = `access_token=${secrets[0]}&token=${secrets[1]}&KEY=${secrets[2]}&api_key=${secrets[3]}&%74oken=${secrets[4]}&refresh_token=${secrets[5]}&page=2`
    for (const path of ['/user/status', '/no/such/path', '/token', '/user/history/x']) {
      await t.inject({ method: 'GET', url: `${path}?${query}`, headers: { authorization: `Bearer ${token}` } })
    }
    for (const secret of secrets) expect(t.logs.filter((l) => l.includes(secret))).toEqual([])
    expect(lines().find((l) => l.msg === 'request' && String(l.url).startsWith('/user/status'))?.url)
      .toBe('/user/status?access_token=[REDACTED]&token=[REDACTED]&KEY=[REDACTED]&api_key=[REDACTED]&%74oken=[REDACTED]&refresh_token=[REDACTED]&page=2')
  })

  it.each([
    ['/x?monkey=1&keyboard=2&tokens=3', '/x?monkey=1&keyboard=2&tokens=3'],
    ['/x?x-api-key=a&client_secret=b&password=c', '/x?x-api-key=[REDACTED]&client_secret=[REDACTED]&password=[REDACTED]'],
    ['/x?token', '/x?token=[REDACTED]'],
    ['/x?%E0=1&token=%', '/x?%E0=1&token=[REDACTED]'],
    ['/x', '/x']
  ])('redactUrl(%s)', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  it.each([
    ['an error status', { kind: 'status', status: 400, body: { error: { message: 'account acme-corp over quota (key sk-or-v1-abc…)' } } }, 502, 'The language model provider answered 400.'],
    ['a rate limit', { kind: 'status', status: 429, body: { error: { message: 'account acme-corp over quota (key sk-or-v1-abc…)' } } }, 503, 'The language model provider is rate-limiting requests (it answered 429); try again in 5 s.'],
    ['an error in a 200', { kind: 'raw', body: '{"error": {"message": "account acme-corp over quota (key sk-or-v1-abc…)"}}' }, 502, 'The language model provider sent no reply (no choices in its response).']
  ] as const)('the provider\'s own text from %s goes to the log; the client gets a sentence naming its status', async (_name, behaviour, status, detail) => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    t.upstream.behave(() => behaviour)
    const res = await t.chat(token, 'hello')
    expect(res.statusCode).toBe(status)
    expect(res.json().detail).toBe(detail)
    expect(res.body).not.toContain('acme-corp')
    expect(lines().filter((l) => l.msg === 'upstream failed')).toMatchObject([{ level: WARN, cause: 'the provider said: account acme-corp over quota (key sk-or-v1-abc…)' }])
  })

  it('the provider\'s text in a stream\'s error event goes to the log, not to the client', async () => {
    t = await startTestApp()
    const url = await t.listen()
    const token = await t.signUp('eric')
    t.upstream.behave(() => ({ kind: 'raw', body: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: {"error":{"message":"internal: shard 7 of acme-corp"}}\n\n' }))
    const res = await postStream(url, token, 'hello')
    expect(res.events.at(-1)).toEqual({ event: 'error', data: { error: 'llm_error', detail: 'The language model provider failed mid-stream.' } })
    expect(lines().filter((l) => l.msg === 'upstream failed')).toMatchObject([{ cause: 'the provider said: internal: shard 7 of acme-corp' }])
  })
})
