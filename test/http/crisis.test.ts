import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(async () => { await t?.close() })

const advanced = (token: string, message: string) => t.chat(token, message, '/llm/message/advanced')

describe('crisis messages over HTTP', () => {
  it('answers an acute message over the daily and burst limits, asks no provider, stores it and uses no quota', async () => {
    t = await startTestApp({ env: { DAILY_MESSAGE_LIMIT: '2', BURST_MESSAGE_LIMIT: '2' } })
    const token = await t.signUp('eric')
    expect((await t.chat(token, 'one')).statusCode).toBe(200)
    expect((await advanced(token, 'two')).statusCode).toBe(200)
    expect((await advanced(token, 'three')).json().error).toBe('daily_limit_exceeded')
    const asked = t.upstream.chats.length

    for (const text of ['I want to kill myself', 'everyone would be better off without me', '我是个累赘，大家没有我会更好']) {
      const res = await advanced(token, text)
      expect(res.statusCode).toBe(200)
      expect(res.json().response).toMatch(/findahelpline\.com|400-161-9995/)
    }
    expect(t.upstream.chats.length).toBe(asked)

    const history = (await t.get(token, '/user/history/20')).json() as Array<{ type: string, text: string, status: string }>
    expect(history.filter((r) => r.type === 'user').map((r) => r.text)).toEqual(
      ['one', 'two', 'I want to kill myself', 'everyone would be better off without me', '我是个累赘，大家没有我会更好'])
    expect(history.at(-1)).toMatchObject({ type: 'ai', status: 'complete' })
    const status = (await t.get(token, '/user/status')).json()
    expect(status.chat_cnt).toBe(2)
    const report = (await t.get(token, '/user/report?days=1')).json()
    expect(report.totals.messages_sent).toBe(5)
    expect(report.limits.daily).toBe(1)

    // Tomorrow the limit is whole again: the crisis messages took none of it.
    t.clock.advance(86_400_000)
    const login = await t.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'correct horse battery' } })
    const tomorrow = login.json<{ access_token: string }>().access_token
    expect((await t.chat(tomorrow, 'a new day')).statusCode).toBe(200)
    expect((await t.chat(tomorrow, 'and another')).statusCode).toBe(200)
  })

  it('answers an acute message to the plain endpoint over the daily and the burst limit with the crisis reply, exempt', async () => {
    t = await startTestApp({ env: { DAILY_MESSAGE_LIMIT: '3', BURST_MESSAGE_LIMIT: '2', BURST_WINDOW_SECONDS: '60' } })
    const token = await t.signUp('eric')
    expect((await t.chat(token, 'one')).statusCode).toBe(200)
    expect((await t.chat(token, 'two')).statusCode).toBe(200)
    expect((await t.chat(token, 'three')).json().error).toBe('burst_limit_exceeded')
    const asked = t.upstream.chats.length

    const burst = await t.chat(token, 'i want to kill myself')
    expect(burst.statusCode).toBe(200)
    expect(burst.json().response).toMatch(/^Thank you for telling me[^]*findahelpline\.com/)
    t.clock.advance(61_000)
    expect((await t.chat(token, 'three')).statusCode).toBe(200)
    expect((await t.chat(token, 'four')).json().error).toBe('daily_limit_exceeded')
    const daily = await t.chat(token, '我不想活了')
    expect(daily.statusCode).toBe(200)
    expect(daily.json().response).toMatch(/400-161-9995/)
    expect(t.upstream.chats.length).toBe(asked + 1)
    // Not acute: still refused, and the refusal is unchanged.
    expect((await t.chat(token, 'this commute is killing me')).json().error).toBe('daily_limit_exceeded')

    const history = (await t.get(token, '/user/history/20')).json() as Array<{ type: string, text: string, status: string }>
    expect(history.filter((r) => r.type === 'user').map((r) => r.text)).toEqual(['one', 'two', 'i want to kill myself', 'three', '我不想活了'])
    expect(history.at(-1)).toMatchObject({ type: 'ai', status: 'complete', text: daily.json().response })
    expect((await t.get(token, '/user/status')).json().chat_cnt).toBe(3)
    expect((await t.get(token, '/user/report?days=1')).json().totals.messages_sent).toBe(5)
  })

  it('gives the provider\'s answer, led by the note, to a fiction request and a third-person worry', async () => {
    t = await startTestApp()
    t.upstream.behave(() => ({ kind: 'reply', text: 'Here is one way to write it.' }))
    const token = await t.signUp('eric')
    for (const text of [
      'My character in the novel wants to end it all; how should I write that scene?',
      'My son said he wants to die. What should I do?',
      '我朋友说她想自杀，我该怎么办？'
    ]) {
      const res = await advanced(token, text)
      t.clock.advance(11_000)
      expect(res.statusCode).toBe(200)
      expect(res.json().response).toMatch(/findahelpline\.com|400-161-9995/)
      expect(res.json().response).toMatch(/\n\nHere is one way to write it\.$/)
    }
  })

  it('leads the plain endpoint\'s reply with the help note on an acute message', async () => {
    t = await startTestApp()
    t.upstream.behave(() => ({ kind: 'reply', text: 'The model says something.' }))
    const token = await t.signUp('eric')
    const acute = (await t.chat(token, 'I want to die')).json().response as string
    expect(acute).toMatch(/^If this is about you[^]*findahelpline\.com[^]*\n\nThe model says something\.$/)
    const chinese = (await t.chat(token, '我不想活了')).json().response as string
    expect(chinese).toMatch(/^如果这与你自己有关[^]*\n\nThe model says something\.$/)
    t.clock.advance(31_000)
    expect((await t.chat(token, 'How do I kill the process on port 8080?')).json().response).toBe('The model says something.')
  })
})
