import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(async () => { await t?.close() })

const chatCount = async (token: string) =>
  (await t.get(token, '/user/status')).json().chat_cnt

describe('the burst limit: BURST_MESSAGE_LIMIT per sliding BURST_WINDOW_SECONDS', () => {
  it('admits 3 in 30 s, refuses the 4th with 401, the error body and Retry-After, then slides', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    for (const at of [0, 5_000, 10_000]) {
      t.clock.now += at === 0 ? 0 : 5_000
      expect((await t.chat(token, `m${at}`)).statusCode).toBe(200)
    }
    t.clock.advance(1_000) // 11 s after the first
    const refused = await t.chat(token, 'one too many')
    expect(refused.statusCode).toBe(401)
    expect(refused.json()).toEqual({ error: 'burst_limit_exceeded', detail: expect.stringMatching(/3 messages per 30 s/), retry_after: 19 })
    expect(refused.headers['retry-after']).toBe('19')
    expect(t.upstream.chats).toHaveLength(3)

    t.clock.advance(18_999) // 1 ms before the first leaves the window
    expect((await t.chat(token, 'still too soon')).statusCode).toBe(401)
    t.clock.advance(1)
    expect((await t.chat(token, 'now')).statusCode).toBe(200)
    expect((await t.chat(token, 'but not two')).statusCode).toBe(401)
    expect(await chatCount(token)).toBe(4)
  })

  it('answers 429 when RATE_LIMIT_STATUS=429, and honours other limits', async () => {
    t = await startTestApp({ env: { RATE_LIMIT_STATUS: '429', BURST_MESSAGE_LIMIT: '1', BURST_WINDOW_SECONDS: '5' } })
    const token = await t.signUp('eric')
    expect((await t.chat(token, 'a')).statusCode).toBe(200)
    const refused = await t.chat(token, 'b')
    expect(refused.statusCode).toBe(429)
    expect(refused.json()).toMatchObject({ error: 'burst_limit_exceeded', retry_after: 5 })
    t.clock.advance(5_000)
    expect((await t.chat(token, 'c')).statusCode).toBe(200)
  })
})

describe('the daily limit: DAILY_MESSAGE_LIMIT per day in DAY_TIMEZONE', () => {
  it('admits 20 a day, refuses the 21st until midnight, and reports the daily limit over the burst one', async () => {
    t = await startTestApp()
    t.clock.now = Date.UTC(2026, 10, 25, 20, 0, 0)
    const token = await t.signUp('eric')
    for (let i = 0; i < 20; i++) {
      expect((await t.chat(token, `m${i}`)).statusCode, `message ${i}`).toBe(200)
      t.clock.advance(11_000)
    }
    expect(await chatCount(token)).toBe(20)
    const refused = await t.chat(token, 'twenty-first')
    expect(refused.statusCode).toBe(401)
    const secondsToMidnight = (Date.UTC(2026, 10, 26) - t.clock.now) / 1000
    expect(refused.json()).toMatchObject({ error: 'daily_limit_exceeded', retry_after: secondsToMidnight })
    expect(refused.headers['retry-after']).toBe(String(secondsToMidnight))

    // Both limits refuse: the daily one, the longer wait, is reported.
    t.clock.advance(-11_000)
    expect((await t.chat(token, 'burst and daily')).json().error).toBe('daily_limit_exceeded')

    t.clock.now = Date.UTC(2026, 10, 26, 0, 0, 0)
    // Four hours on, the first token has expired: log in again.
    const fresh = (await t.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'correct horse battery' } })).json().access_token
    expect(await chatCount(fresh)).toBe(0)
    expect((await t.chat(fresh, 'a new day')).statusCode).toBe(200)
    expect(await chatCount(fresh)).toBe(1)
    expect(t.upstream.chats).toHaveLength(21)
  })

  it('counts the day in DAY_TIMEZONE', async () => {
    // 23:30 in Shanghai is 15:30 UTC; the Shanghai day ends at 16:00 UTC.
    t = await startTestApp({ env: { DAY_TIMEZONE: 'Asia/Shanghai', DAILY_MESSAGE_LIMIT: '2' } })
    t.clock.now = Date.UTC(2026, 10, 25, 15, 30)
    const token = await t.signUp('eric')
    expect((await t.chat(token, 'a')).statusCode).toBe(200)
    t.clock.advance(60_000)
    expect((await t.chat(token, 'b')).statusCode).toBe(200)
    t.clock.advance(60_000)
    const refused = await t.chat(token, 'c')
    expect(refused.json()).toMatchObject({ error: 'daily_limit_exceeded', retry_after: 28 * 60 })
    t.clock.now = Date.UTC(2026, 10, 25, 16, 0)
    expect(await chatCount(token)).toBe(0)
    expect((await t.chat(token, 'd')).statusCode).toBe(200)
  })

  it('keeps each user\'s quota to themselves', async () => {
    t = await startTestApp({ env: { DAILY_MESSAGE_LIMIT: '1' } })
    const eric = await t.signUp('eric')
    const alice = await t.signUp('alice')
    expect((await t.chat(eric, 'a')).statusCode).toBe(200)
    expect((await t.chat(eric, 'b')).statusCode).toBe(401)
    expect((await t.chat(alice, 'a')).statusCode).toBe(200)
    expect(await chatCount(alice)).toBe(1)
  })
})
