import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(async () => { await t?.close() })

describe('middle-out through the API (the seed\'s example)', () => {
  it('cuts the middle of a 12,000-token message for an 8,192-token model; history keeps the original', async () => {
    t = await startTestApp({ env: { LLM_CONTEXT_TOKENS: '8192', LLM_MAX_TOKENS: '1024' } })
    const token = await t.signUp('eric')
    const words = Array.from({ length: 12_000 }, (_, i) => `w${i % 10}`)
    const message = `BEGINNING ${words.join(' ')} THE END`
    const res = await t.chat(token, message)
    expect(res.statusCode).toBe(200)
    const cut = res.json().middle_out
    expect(cut.budget).toBe(8192 - 1024)
    expect(cut.prompt_tokens).toBeGreaterThan(12_000)
    expect(cut.removed_tokens).toBe(Number(res.headers['x-middle-out-removed-tokens']))
    expect(cut.prompt_tokens - cut.removed_tokens).toBeLessThanOrEqual(cut.budget)
    expect(cut.prompt_tokens - cut.removed_tokens).toBeGreaterThanOrEqual(cut.budget * 0.99)

    const sent = t.upstream.chats[0]?.body.messages?.at(-1)?.content as string
    expect(sent.startsWith('BEGINNING w0 w1')).toBe(true)
    expect(sent.endsWith('THE END')).toBe(true)
    expect(sent).toContain('[…]')
    expect(sent.length).toBeLessThan(message.length)
    expect(t.logs.some((l) => l.includes('middle-out removed'))).toBe(true)

    // The user's own message was the one cut: said so, with the window, now and after a reload.
    expect(cut).toMatchObject({ part: 'message', context_tokens: 8192, removed_messages: 0 })
    expect(cut.message_removed_tokens).toBe(cut.removed_tokens)
    const history = (await t.get(token, '/user/history/2')).json()
    expect(history[0].text).toBe(message)
    expect(history[0].middle_out).toEqual(cut)
    expect(history[1]).not.toHaveProperty('middle_out')
    const conversation = (await t.get(token, `/conversations/${res.json().conversation_id}/history/2`)).json()
    expect(conversation[0].middle_out).toEqual(cut)
  })

  it('sends a prompt that fits unchanged, with no middle_out field', async () => {
    t = await startTestApp({ env: { LLM_CONTEXT_TOKENS: '8192' } })
    const token = await t.signUp('eric')
    const res = await t.chat(token, 'short and sweet')
    expect(res.json()).toEqual({ response: 'Echo: short and sweet', conversation_id: expect.any(String) })
    expect(res.headers['x-middle-out-removed-tokens']).toBeUndefined()
  })
})
