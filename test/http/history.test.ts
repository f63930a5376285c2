import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => { t = await startTestApp() })
afterEach(async () => { await t.close() })

const history = (token: string, n: number | string) =>
  t.get(token, `/user/history/${n}`)

describe('GET /user/history/{last_n}', () => {
  it('gives the last n records, oldest first, with the original texts', async () => {
    t.upstream.behave((r) => ({ kind: 'reply', text: `re: ${r.body.messages?.at(-1)?.content}` }))
    const token = await t.signUp('eric')
    for (const text of ['one', 'two', 'three']) {
      await t.chat(token, text)
      t.clock.advance(10_001)
    }
    const res = await history(token, 2)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      { conversation_id: expect.any(String), type: 'user', text: 'three', created_at: expect.any(String), endpoint: 'message', status: 'answered' },
      { conversation_id: expect.any(String), type: 'ai', text: 're: three', created_at: expect.any(String), endpoint: 'message', status: 'complete' }
    ])
    const all = (await history(token, 1000)).json()
    expect(all.map((r: { text: string }) => r.text)).toEqual(['one', 're: one', 'two', 're: two', 'three', 're: three'])
    expect(all[0].created_at).toBe(new Date(Date.UTC(2026, 10, 25, 12)).toISOString())
  })

  it('answers 422 for last_n out of 1..1000 or not an integer', async () => {
    const token = await t.signUp('eric')
    for (const n of ['0', '-1', '1001', 'abc', '1.5', '1e3x', '%F0%9F%98%80']) {
      const res = await history(token, n)
      expect(res.statusCode, n).toBe(422)
      expect(res.json()).toMatchObject({ error: 'validation_error' })
    }
    expect((await history(token, 1000)).json()).toEqual([])
  })

  it('never shows one user another user\'s records', async () => {
    const eric = await t.signUp('eric')
    const alice = await t.signUp('alice')
    await t.chat(eric, 'eric speaking')
    await t.chat(alice, 'alice speaking')
    const ericTexts = (await history(eric, 1000)).json().map((r: { text: string }) => r.text)
    const aliceTexts = (await history(alice, 1000)).json().map((r: { text: string }) => r.text)
    expect(ericTexts.join()).not.toContain('alice')
    expect(aliceTexts.join()).not.toContain('eric')
    // Alice's provider context holds only her own past.
    await t.chat(alice, 'again')
    const context = t.upstream.chats.at(-1)?.body.messages?.map((m) => m.content).join('\n')
    expect(context).not.toContain('eric speaking')
    expect(context).toContain('alice speaking')
  })

  it('requires a token', async () => {
    expect((await t.inject({ method: 'GET', url: '/user/history/5' })).statusCode).toBe(401)
  })
})
