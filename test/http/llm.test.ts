import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(async () => { await t?.close() })

const history = async (token: string, n = 100) =>
  (await t.get(token, `/user/history/${n}`)).json()
const chatCount = async (token: string) =>
  (await t.get(token, '/user/status')).json().chat_cnt

describe('POST /llm/message', () => {
  it('answers with the provider reply; the provider sees system prompt, history, then the message', async () => {
    t = await startTestApp({ env: { LLM_MODEL: 'mistralai/mistral-7b-instruct', LLM_MAX_TOKENS: '256', LLM_HTTP_REFERER: 'https://chat.example' } })
    t.upstream.behave(() => ({ kind: 'reply', text: 'Hi Eric, what can I do for you!' }))
    const token = await t.signUp('eric')

    const first = await t.chat(token, 'hi, my name is Eric')
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ response: 'Hi Eric, what can I do for you!', conversation_id: expect.any(String) })
    t.clock.advance(11_000)
    const second = await t.chat(token, 'what is my name?')
    expect(second.statusCode).toBe(200)

    const [, sent] = t.upstream.chats
    expect(sent?.body.model).toBe('mistralai/mistral-7b-instruct')
    expect(sent?.body.max_tokens).toBe(256)
    expect(sent?.body.messages?.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(sent?.body.messages?.slice(1).map((m) => m.content)).toEqual(['hi, my name is Eric', 'Hi Eric, what can I do for you!', 'what is my name?'])
    expect(sent?.headers.authorization).toBe('Bearer sk-test-upstream-key')
    expect(sent?.headers['http-referer']).toBe('https://chat.example')
    expect(sent?.headers['x-title']).toBe('Simple chat')
  })

  it('keeps unicode intact end to end', async () => {
    t = await startTestApp()
    t.upstream.behave(() => ({ kind: 'reply', text: '你好，Eric 👋🏽' }))
    const token = await t.signUp('eric')
    const text = '我叫 Eric 🧑🏽‍💻 — naïve café \u0000 \ud83d\ude00'
    const res = await t.chat(token, text)
    expect(res.json()).toEqual({ response: '你好，Eric 👋🏽', conversation_id: expect.any(String) })
    expect(t.upstream.chats[0]?.body.messages?.at(-1)?.content).toBe(text)
    expect((await history(token)).map((r: { text: string }) => r.text)).toEqual([text, '你好，Eric 👋🏽'])
  })

  it('refuses another user\'s name with 403 and stores nothing', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    await t.signUp('alice')
    const same = await t.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}` }, payload: { message: 'hi', username: 'ERIC' } })
    expect(same.statusCode).toBe(200)
    const other = await t.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}` }, payload: { message: 'hi', username: 'alice' } })
    expect(other.statusCode).toBe(403)
    expect(other.json()).toMatchObject({ error: 'forbidden' })
    expect(await history(token)).toHaveLength(2)
  })

  it('answers 422 for empty, blank or mistyped messages, 413 past MAX_MESSAGE_CHARS, 401 without a token', async () => {
    t = await startTestApp({ env: { MAX_MESSAGE_CHARS: '10' } })
    const token = await t.signUp('eric')
    for (const payload of [{}, { message: '' }, { message: '  \n\t ' }, { message: 42 }, { message: { $ne: null } }, { message: ['hi'] }, { message: 'hi', username: 7 }]) {
      const res = await t.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}` }, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(422)
      expect(res.json()).toMatchObject({ error: 'validation_error' })
    }
    expect((await t.chat(token, '🙂'.repeat(10))).statusCode).toBe(200) // 10 characters, 20 UTF-16 units
    expect((await t.chat(token, '🙂'.repeat(11))).statusCode).toBe(413)
    const long = await t.chat(token, 'x'.repeat(11))
    expect(long.statusCode).toBe(413)
    expect(long.json()).toMatchObject({ error: 'message_too_long' })
    const anonymous = await t.inject({ method: 'POST', url: '/llm/message', payload: { message: 'hi' } })
    expect(anonymous.statusCode).toBe(401)
    expect(await history(token)).toHaveLength(2)
    expect(t.upstream.chats).toHaveLength(1)
  })

  it.each([
    ['a 500', { kind: 'status', status: 500 } as const, 502, 'llm_error'],
    ['a 400 with a provider message', { kind: 'status', status: 400, body: { error: { message: 'model not found' } } } as const, 502, 'llm_error'],
    ['a 429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '7' } } as const, 503, 'llm_rate_limited'],
    ['malformed JSON', { kind: 'raw', body: '{"choices": [' } as const, 502, 'llm_error'],
    ['no choices', { kind: 'raw', body: '{"choices": []}' } as const, 502, 'llm_error'],
    ['a reset connection', { kind: 'reset' } as const, 502, 'llm_error'],
    ['a hang past the timeout', { kind: 'hang' } as const, 504, 'llm_timeout']
  ])('maps %s to %i; the message is kept as failed and uses no quota', async (_name, behaviour, status, code) => {
    // A short timeout only where it is the point: a loaded machine must not turn a fast fault into a 504.
    t = await startTestApp({ env: { LLM_TIMEOUT_SECONDS: behaviour.kind === 'hang' ? '0.5' : '60' } })
    const token = await t.signUp('eric')
    t.upstream.behave(() => behaviour)
    const res = await t.chat(token, 'hello?')
    expect(res.statusCode).toBe(status)
    expect(res.json()).toMatchObject({ error: code, detail: expect.any(String) })
    if (code === 'llm_rate_limited') {
      expect(res.headers['retry-after']).toBe('7')
      expect(res.json().retry_after).toBe(7)
    }
    // The provider's own words go to the log only (test/http/logs.test.ts).
    if (_name.includes('provider message')) expect(res.json().detail).toBe('The language model provider answered 400.')
    expect(await history(token)).toMatchObject([{ type: 'user', text: 'hello?', status: 'failed' }])
    expect(await chatCount(token)).toBe(0)

    // Failures take no slot in the burst window either: three more go through at once.
    t.upstream.behave(() => ({ kind: 'reply', text: 'ok' }))
    for (let i = 0; i < 3; i++) expect((await t.chat(token, `again ${i}`)).statusCode).toBe(200)
  })

  it("logs the provider's own error message, clipped to 300 characters, and keeps it from the client", async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    const long = `model overloaded ${'x'.repeat(1000)}`
    t.upstream.behave(() => ({ kind: 'status', status: 400, body: { error: { message: long } } }))
    expect((await t.chat(token, 'one')).json()).toEqual({ error: 'llm_error', detail: 'The language model provider answered 400.' })
    const logged = t.logs.map((line) => JSON.parse(line)).find((line) => line.msg === 'upstream failed')?.cause as string
    expect(logged).toBe(`the provider said: ${long.slice(0, 300)}…`)
  })

  it('caps the whole exchange at the timeout, even when each piece arrives within it', async () => {
    t = await startTestApp({ env: { LLM_TIMEOUT_SECONDS: '0.5' } })
    const token = await t.signUp('eric')
    // Ten pieces 150 ms apart: never idle for the timeout, but 1.5 s in all.
    t.upstream.behave(() => ({ kind: 'stream', chunks: Array.from({ length: 10 }, () => 'slow '), delayMs: 150 }))
    const res = await t.chat(token, 'hello?')
    expect(res.statusCode).toBe(504)
    expect(res.json()).toMatchObject({ error: 'llm_timeout' })
    expect(await history(token)).toMatchObject([{ type: 'user', text: 'hello?', status: 'failed' }])
  })

  it('answers 503 llm_not_configured, saying what to set, when there is no provider key', async () => {
    t = await startTestApp({ env: { LLM_BASE_URL: 'https://openrouter.ai/api/v1', LLM_API_KEY: '' } })
    expect(t.logs.some((l) => l.includes('no LLM provider configured'))).toBe(true)
    const token = await t.signUp('eric')
    const res = await t.chat(token, 'hello')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: 'llm_not_configured' })
    expect(res.json().detail).toContain('LLM_API_KEY')
    expect(await chatCount(token)).toBe(0)
    const health = await t.inject({ method: 'GET', url: '/healthz' })
    expect(health.json()).toMatchObject({ status: 'ok', llm_configured: false })
  })

  it('answers 503 llm_context_too_small when LLM_MAX_TOKENS leaves the prompt no room; the message uses no quota', async () => {
    t = await startTestApp({ env: { LLM_CONTEXT_TOKENS: '256', LLM_MAX_TOKENS: '250' } })
    const token = await t.signUp('eric')
    const res = await t.chat(token, 'hello')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: 'llm_context_too_small' })
    expect(res.json().detail).toMatch(/leaves only 6 tokens[^]*LLM_MAX_TOKENS/)
    expect(await history(token)).toMatchObject([{ type: 'user', text: 'hello', status: 'failed' }])
    expect(await chatCount(token)).toBe(0)
    expect(t.upstream.chats).toHaveLength(0)
  })

  it('still gives the crisis reply when there is no provider', async () => {
    t = await startTestApp({ env: { LLM_BASE_URL: 'https://openrouter.ai/api/v1', LLM_API_KEY: '' } })
    const token = await t.signUp('eric')
    const res = await t.chat(token, '我不想活了', '/llm/message/advanced')
    expect(res.statusCode).toBe(200)
    expect(res.json().response).toContain('400-161-9995')
    // chat_cnt is what counts against the daily limit: a crisis reply uses none of it.
    expect(await chatCount(token)).toBe(0)
  })

  it('logs one line per request with its id, and never passwords, tokens, keys or message text', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric', 'hunter2-very-secret')
    await t.chat(token, 'my deepest secret message')
    await t.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'wrong-secret-guess' } })
    const all = t.logs.join('\n')
    for (const secret of ['hunter2-very-secret', 'wrong-secret-guess', token, token.split('.')[2] as string, 'sk-test-upstream-key', 'deepest secret']) {
      expect(all).not.toContain(secret)
    }
    const requests = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')
    expect(requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
      'POST /user/ 201', 'POST /token 200', 'POST /llm/message 200', 'POST /token 401'
    ])
    expect(new Set(requests.map((r) => r.reqId)).size).toBe(4)
  })
})
