import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(async () => { await t?.close() })

const advanced = (token: string, message: string) => t.chat(token, message, '/llm/message/advanced')

describe('POST /llm/message/advanced and GET /user/report over HTTP', () => {
  it('sends the caring system prompt with the cues: the name given earlier and the mood', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    expect((await advanced(token, 'hi, my name is Eric')).statusCode).toBe(200)
    t.clock.advance(11_000)
    expect((await advanced(token, 'I feel so sad and lonely today')).statusCode).toBe(200)
    const system = t.upstream.chats.at(-1)?.body.messages?.[0]
    expect(system?.role).toBe('system')
    expect(system?.content).toContain('Their name is Eric.')
    expect(system?.content).toMatch(/sadness/)
    const history = (await t.get(token, '/user/history/10')).json()
    expect(history.map((r: { endpoint: string }) => r.endpoint)).toEqual(['advanced', 'advanced', 'advanced', 'advanced'])
  })

  it('answers a crisis message with crisis resources whatever the provider says', async () => {
    t = await startTestApp()
    t.upstream.behave(() => ({ kind: 'reply', text: 'Sure, here is a cake recipe.' }))
    const token = await t.signUp('eric')
    const res = await advanced(token, 'I want to kill myself')
    expect(res.statusCode).toBe(200)
    expect(res.json().response).toContain('findahelpline.com')
    expect(res.json().response).not.toContain('cake recipe')
  })

  it('leads the provider\'s reply with the resources note for a concern, and stores both', async () => {
    t = await startTestApp()
    t.upstream.behave(() => ({ kind: 'reply', text: 'About 17 per 100,000.' }))
    const token = await t.signUp('eric')
    const res = await advanced(token, 'What is the suicide rate in Japan?')
    expect(res.statusCode).toBe(200)
    const response = res.json().response as string
    expect(response).toMatch(/^If this is about you[^]*findahelpline\.com[^]*\n\nAbout 17 per 100,000\.$/)
    const history = (await t.get(token, '/user/history/1')).json()
    expect(history[0].text).toBe(response)
  })

  it('shares one quota with /llm/message', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    expect((await t.chat(token, 'one')).statusCode).toBe(200)
    expect((await advanced(token, 'two')).statusCode).toBe(200)
    expect((await t.chat(token, 'three')).statusCode).toBe(200)
    const refused = await advanced(token, 'four')
    expect(refused.statusCode).toBe(401)
    expect(refused.json().error).toBe('burst_limit_exceeded')
  })

  it('reports the caller\'s own figures only, refusals included', async () => {
    t = await startTestApp({ env: { BURST_MESSAGE_LIMIT: '1' } })
    const eric = await t.signUp('eric')
    const alice = await t.signUp('alice')
    expect((await t.chat(eric, 'hello world')).statusCode).toBe(200)
    expect((await advanced(eric, 'hello again')).statusCode).toBe(401)
    t.clock.advance(31_000)
    expect((await advanced(eric, 'caring hello')).statusCode).toBe(200)
    expect((await t.chat(alice, 'alice only topic zebra')).statusCode).toBe(200)
    const res = await t.get(eric, '/user/report?days=7')
    expect(res.statusCode).toBe(200)
    const report = res.json()
    expect(report.username).toBe('eric')
    expect(report.totals).toMatchObject({ messages_sent: 2, replies_received: 2, days_active: 1 })
    expect(report.activity.per_day).toHaveLength(7)
    expect(JSON.stringify(report)).not.toContain('zebra')
    expect(report.limits).toEqual({ daily: 0, burst: 1, total: 1 })
    for (const days of ['0', '366', 'x']) {
      expect((await t.get(eric, `/user/report?days=${days}`)).statusCode).toBe(422)
    }
    expect((await t.inject({ method: 'GET', url: '/user/report' })).statusCode).toBe(401)
  })
})
