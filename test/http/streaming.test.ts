import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { postStream, postThenLeave, until } from '../helpers/http-client.js'

let t: TestApp
let url: string
afterEach(async () => { await t?.close() })

async function start (env: Record<string, string> = {}): Promise<string> {
  t = await startTestApp({ env })
  url = await t.listen()
  return await t.signUp('eric')
}

const stream = (token: string, message: string, options?: Parameters<typeof postStream>[3]) => postStream(url, token, message, options)

const history = async (token: string) =>
  (await fetch(`${url}/user/history/10`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Array<{ type: string, text: string, status: string }>>
const chatCount = async (token: string) =>
  ((await (await fetch(`${url}/user/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { chat_cnt: number }).chat_cnt

describe('streaming replies (Accept: text/event-stream)', () => {
  it('streams delta events in order, then done with the whole text, which history stores', async () => {
    const token = await start()
    const chunks = ['Hi', ' Eric', ', 你好', ' 👋🏽', '!']
    t.upstream.behave(() => ({ kind: 'stream', chunks }))
    const res = await stream(token, 'hi, my name is Eric')
    expect(res.status).toBe(200)
    expect(res.events.map((e) => e.event)).toEqual(['delta', 'delta', 'delta', 'delta', 'delta', 'done'])
    expect(res.events.slice(0, -1).map((e) => e.data.text)).toEqual(chunks)
    expect(res.events.at(-1)?.data).toEqual({ response: chunks.join(''), conversation_id: expect.any(String) })
    expect(t.upstream.chats[0]?.body.stream).toBe(true)
    expect(await history(token)).toMatchObject([
      { type: 'user', text: 'hi, my name is Eric', status: 'answered' },
      { type: 'ai', text: chunks.join(''), status: 'complete' }
    ])
    expect(await chatCount(token)).toBe(1)
  })

  it('reassembles upstream frames split anywhere, even inside a character', async () => {
    const token = await start()
    const chunks = ['多字节', '字符 🧑🏽‍💻', ' survive ', 'splitting']
    t.upstream.behave(() => ({ kind: 'stream', chunks, fragment: 7 }))
    const res = await stream(token, 'split me')
    expect(res.events.at(-1)).toEqual({ event: 'done', data: { response: chunks.join(''), conversation_id: expect.any(String) } })
    expect(res.events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe(chunks.join(''))
  })

  it('refuses over a limit with an ordinary JSON error, before any stream opens', async () => {
    const token = await start({ BURST_MESSAGE_LIMIT: '1' })
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['ok'] }))
    expect((await stream(token, 'first')).status).toBe(200)
    const refused = await stream(token, 'second')
    expect(refused.status).toBe(401)
    expect(refused.type).toMatch(/application\/json/)
    expect(refused.json).toMatchObject({ error: 'burst_limit_exceeded', retry_after: expect.any(Number) })
  })

  it('aborts the upstream when the client goes away and stores what arrived as incomplete', async () => {
    const token = await start()
    t.upstream.behave(() => ({ kind: 'stream', chunks: Array.from({ length: 200 }, (_, i) => `w${i} `), delayMs: 20 }))
    const res = await stream(token, 'tell me a long story', { stopAfter: 3 })
    expect(res.events.slice(0, 3).map((e) => e.event)).toEqual(['delta', 'delta', 'delta'])
    await until(async () => (await history(token)).length === 2)
    expect(t.upstream.aborted).toBe(1)
    const [question, answer] = await history(token)
    expect(question).toMatchObject({ type: 'user', status: 'answered' })
    expect(answer).toMatchObject({ type: 'ai', status: 'incomplete' })
    expect(answer?.text).toMatch(/^w0 w1 w2 /)
    expect(answer?.text).not.toContain('w199')
  })

  it('aborts the upstream when the client of a plain JSON reply goes away; the message counts, its reply incomplete', async () => {
    const token = await start()
    t.upstream.behave(() => ({ kind: 'stream', chunks: Array.from({ length: 200 }, (_, i) => `w${i} `), delayMs: 20 }))
    await postThenLeave(url, token, 'tell me a long story', () => t.upstream.chats.length === 1)
    await until(async () => (await history(token)).length === 2)
    expect(t.upstream.aborted).toBe(1)
    expect(await history(token)).toMatchObject([{ type: 'user', status: 'answered' }, { type: 'ai', status: 'incomplete' }])
    expect(await chatCount(token)).toBe(1)
  })

  it.each([
    ['fails mid-stream', { failAfter: 2, delayMs: 20 }, 'llm_error'],
    ['stalls mid-stream', { stallAfter: 2 }, 'llm_timeout']
  ])('ends with an error event when the upstream %s; the message is failed and uses no quota', async (_name, fault, code) => {
    // A timeout only for the stall: a slow machine must not turn the failure into a timeout. It caps
    // the whole exchange, the two pieces before the stall too: 5 s, which no loaded machine needs.
    const token = await start({ LLM_TIMEOUT_SECONDS: code === 'llm_timeout' ? '5' : '60' })
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['one ', 'two ', 'three'], ...fault }))
    const res = await stream(token, 'hello')
    expect(res.status).toBe(200)
    expect(res.events.map((e) => e.event)).toEqual(['delta', 'delta', 'error'])
    expect(res.events.at(-1)?.data).toMatchObject({ error: code, detail: expect.any(String) })
    expect(await history(token)).toMatchObject([{ type: 'user', text: 'hello', status: 'failed' }])
    expect(await chatCount(token)).toBe(0)
  })

  it('streams the advanced endpoint too, and answers plain JSON to plain requests', async () => {
    const token = await start()
    t.upstream.behave((r) => r.body.stream === true ? { kind: 'stream', chunks: ['streamed'] } : { kind: 'reply', text: 'whole' })
    const streamed = await stream(token, 'hi', { path: '/llm/message/advanced' })
    expect(streamed.events.at(-1)?.event).toBe('done')
    t.clock.advance(60_000)
    const plain = await t.chat(token, 'hi again')
    expect(plain.json()).toEqual({ response: 'whole', conversation_id: expect.any(String) })
  })

  it('streams only the crisis reply for a crisis message: the provider is not asked', async () => {
    const token = await start()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['Sure, ', 'here is a cake recipe.'] }))
    const res = await stream(token, 'I want to kill myself', { path: '/llm/message/advanced' })
    expect(res.events.map((e) => e.event)).toEqual(['delta', 'done'])
    const streamed = res.events[0]?.data.text as string
    expect(streamed).toContain('findahelpline.com')
    expect(res.events[1]?.data).toEqual({ response: streamed, conversation_id: expect.any(String) })
    expect(JSON.stringify(res.events)).not.toContain('cake')
    expect(t.upstream.chats).toHaveLength(0)
    expect((await history(token)).at(-1)).toMatchObject({ type: 'ai', text: streamed, status: 'complete' })
  })

  it('streams the resources note first for a concern, then the provider\'s reply', async () => {
    const token = await start()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['About 17 ', 'per 100,000.'] }))
    const res = await stream(token, 'What is the suicide rate in Japan?', { path: '/llm/message/advanced' })
    const deltas = res.events.filter((e) => e.event === 'delta').map((e) => e.data.text as string)
    expect(deltas[0]).toMatch(/^If this is about you/)
    expect(deltas.slice(1)).toEqual(['About 17 ', 'per 100,000.'])
    expect(res.events.at(-1)?.data).toEqual({ response: deltas.join(''), conversation_id: expect.any(String) })
    expect((await history(token)).at(-1)?.text).toBe(deltas.join(''))
  })
})
