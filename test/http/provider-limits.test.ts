import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { postStream, postThenLeave, until } from '../helpers/http-client.js'

let t: TestApp
let url: string
afterEach(async () => { await t?.close() })

const CAP = 64 * 1024

async function start (env: Record<string, string> = {}): Promise<string> {
  t = await startTestApp({ env: { LLM_MAX_REPLY_BYTES: String(CAP), ...env } })
  url = await t.listen()
  return await t.signUp('eric')
}

const history = async (token: string) => (await t.get(token, '/user/history/10')).json() as Array<{ type: string, text: string, status: string }>
const chatCount = async (token: string) => (await t.get(token, '/user/status')).json().chat_cnt as number

describe('provider replies are capped at LLM_MAX_REPLY_BYTES', () => {
  it.each([
    ['an endless JSON reply', { kind: 'flood', format: 'json' }],
    ['an endless JSON reply, slowly', { kind: 'flood', format: 'json', piece: 4096, delayMs: 5 }],
    ['a 50 MB JSON reply that declares its length', { kind: 'flood', format: 'json', bytes: 50 * 1024 * 1024, declare: true }],
    ['a 50 MB JSON reply that does not', { kind: 'flood', format: 'json', bytes: 50 * 1024 * 1024 }]
  ] as const)('%s: 502 llm_reply_too_large, the upstream aborted, the message failed and no quota used', async (_name, behaviour) => {
    const token = await start()
    t.upstream.behave(() => behaviour)
    const res = await t.chat(token, 'tell me everything')
    expect(res.statusCode).toBe(502)
    expect(res.json()).toEqual({ error: 'llm_reply_too_large', detail: `The language model provider sent a reply larger than ${CAP} bytes; it was not used.` })
    await until(() => t.upstream.aborted === 1)
    expect(await history(token)).toMatchObject([{ type: 'user', text: 'tell me everything', status: 'failed' }])
    expect(await history(token)).toHaveLength(1)
    expect(await chatCount(token)).toBe(0)
  })

  it.each([
    ['an endless stream', { kind: 'flood', format: 'sse', piece: 1024 }],
    ['an endless stream, slowly', { kind: 'flood', format: 'sse', piece: 1024, delayMs: 2 }],
    ['one frame larger than the cap', { kind: 'flood', format: 'sse', piece: 2 * CAP }]
  ] as const)('%s: an llm_reply_too_large error event ends it; the message failed and no quota used', async (_name, behaviour) => {
    const token = await start()
    t.upstream.behave(() => behaviour)
    const res = await postStream(url, token, 'tell me everything')
    expect(res.status).toBe(200)
    expect(res.events.at(-1)).toEqual({ event: 'error', data: { error: 'llm_reply_too_large', detail: expect.stringContaining(`${CAP} bytes`) } })
    const streamed = res.events.filter((e) => e.event === 'delta').map((e) => e.data.text as string).join('')
    expect(streamed.length).toBeLessThan(CAP)
    await until(() => t.upstream.aborted === 1)
    expect(await history(token)).toMatchObject([{ type: 'user', status: 'failed' }])
    expect(await history(token)).toHaveLength(1)
    expect(await chatCount(token)).toBe(0)
  })

  it('passes a reply just under the cap whole, JSON and streamed', async () => {
    const token = await start({ BURST_MESSAGE_LIMIT: '5' })
    const text = 'é'.repeat((CAP - 1024) / 2)
    t.upstream.behave((r) => r.body.stream === true ? { kind: 'stream', chunks: [text.slice(0, 1000), text.slice(1000)] } : { kind: 'reply', text })
    // (compared as booleans: a failure would print the text)
    expect((await t.chat(token, 'json')).json().response === text).toBe(true)
    const streamed = await postStream(url, token, 'sse')
    expect(streamed.events.at(-1)?.event).toBe('done')
    expect(streamed.events.at(-1)?.data.response === text).toBe(true)
    expect(await chatCount(token)).toBe(2)
  })

  it('derives the default from LLM_MAX_TOKENS: a 1 MB reply passes with 1024 tokens and not with 64', async () => {
    const text = 'a'.repeat(1024 * 1024 - 100)
    for (const [maxTokens, status] of [['1024', 200], ['64', 502]] as const) {
      t = await startTestApp({ env: { LLM_MAX_TOKENS: maxTokens } })
      const token = await t.signUp('eric')
      t.upstream.behave(() => ({ kind: 'reply', text }))
      expect((await t.chat(token, 'long')).statusCode).toBe(status)
      await t.close()
    }
  })
})

describe('provider spend follows the limits', () => {
  it('a client that leaves before the first byte still spends its message: a fourth is refused, the provider asked three times', async () => {
    const token = await start()
    t.upstream.behave(() => ({ kind: 'hang' }))
    for (let i = 0; i < 3; i++) {
      await postThenLeave(url, token, `m${i}`, () => t.upstream.chats.length === i + 1)
    }
    await until(async () => (await history(token)).length === 6)
    expect(await chatCount(token)).toBe(3)
    const fourth = await t.chat(token, 'm3')
    expect(fourth.json()).toMatchObject({ error: 'burst_limit_exceeded' })
    expect(t.upstream.chats).toHaveLength(3)
    expect((await history(token)).filter((r) => r.type === 'ai')).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ text: '', status: 'incomplete' })))
  })
})
