import { afterEach, describe, expect, it } from 'vitest'
import { ERRORS } from '../../src/errors.js'
import { startTestApp, type TestApp } from '../helpers/app.js'

// `Accept-Language: zh…` gives Chinese `detail` sentences; codes, statuses and fields stay the same.

let t: TestApp
afterEach(async () => { await t?.close() })

const HAN = /\p{Script=Han}/u

describe('Accept-Language picks the language of `detail`', () => {
  it('answers Chinese for zh, zh-CN, zh-Hans, zh-TW and q-weighed lists; English otherwise', async () => {
    t = await startTestApp()
    const detailFor = async (language?: string) => {
      const res = await t.inject({ method: 'GET', url: '/user/status', headers: language === undefined ? {} : { 'accept-language': language } })
      expect(res.statusCode).toBe(401)
      expect(res.json().error).toBe('not_authenticated')
      return { detail: res.json().detail as string, contentLanguage: res.headers['content-language'], vary: String(res.headers.vary) }
    }
    for (const language of ['zh', 'zh-CN', 'ZH-cn', 'zh-Hans-CN', 'zh-TW', 'en;q=0.5, zh;q=0.9', 'fr, zh;q=0.1']) {
      expect(await detailFor(language), language).toEqual({ detail: ERRORS.not_authenticated.zh, contentLanguage: 'zh-Hans', vary: expect.stringMatching(/accept-language/i) })
    }
    for (const language of [undefined, '', 'en-US', '*', 'fr', 'zh;q=0, en', 'zh;q=0.4, en;q=0.8', ';;;,,q=x', 'zh-CN;q=abc'.repeat(200)]) {
      const answer = await detailFor(language)
      expect(answer.detail, String(language)).toBe(ERRORS.not_authenticated.detail)
      expect(answer.contentLanguage).toBe('en')
    }
  })

  it('says the particulars in Chinese: a taken name, a wrong password, validation, an unknown path', async () => {
    t = await startTestApp()
    const zh = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }
    await t.signUp('eric')
    const taken = await t.inject({ method: 'POST', url: '/user/', headers: zh, payload: { username: 'Eric', password: 'long enough pw' } })
    expect(taken.json()).toEqual({ error: 'username_taken', detail: '用户名“Eric”已被占用，请换一个。' })
    const wrong = await t.inject({ method: 'POST', url: '/token', headers: zh, payload: { username: 'eric', password: 'nope nope nope' } })
    expect(wrong.json()).toEqual({ error: 'invalid_credentials', detail: '用户名或密码不正确。' })
    const invalid = await t.inject({ method: 'POST', url: '/user/', headers: zh, payload: { username: 'x', password: 1 } })
    expect(invalid.statusCode).toBe(422)
    expect(invalid.json().error).toBe('validation_error')
    expect(invalid.json().detail).toMatch(/^请求无效：.*body\/\w+ .*。$/)
    const missing = await t.inject({ method: 'GET', url: '/nowhere?x=1', headers: zh })
    expect(missing.json()).toEqual({ error: 'not_found', detail: 'GET /nowhere 没有内容；请参阅 /docs。' })
    const json = await t.inject({ method: 'POST', url: '/user/', headers: { ...zh, 'content-type': 'application/json' }, payload: '{"username":' })
    expect(json.json()).toEqual({ error: 'invalid_json', detail: ERRORS.invalid_json.zh })
  })

  it('refuses over a limit in Chinese with the same code, wait and headers', async () => {
    t = await startTestApp({ env: { BURST_MESSAGE_LIMIT: '1' } })
    const token = await t.signUp('eric')
    const send = (language: string) => t.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}`, 'accept-language': language }, payload: { message: '你好' } })
    expect((await send('zh')).statusCode).toBe(200)
    const refused = await send('zh')
    expect(refused.json()).toEqual({ error: 'burst_limit_exceeded', detail: '每 30 秒最多 1 条消息；30 秒后可以再发。', retry_after: 30 })
    expect(refused.headers['retry-after']).toBe('30')
    expect((await send('en')).json().detail).toBe('At most 1 messages per 30 s; try again in 30 s.')
  })

  it('says a failure during a stream in Chinese too', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    t.upstream.behave(() => ({ kind: 'status', status: 500 }))
    const res = await t.inject({
      method: 'POST',
      url: '/llm/message',
      payload: { message: 'hi' },
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'accept-language': 'zh' }
    })
    const event = /event: error\ndata: (.+)\n/.exec(res.body)?.[1]
    expect(event, res.body).toBeDefined()
    const body = JSON.parse(event ?? '{}')
    expect(body.error).toBe('llm_error')
    expect(body.detail).toMatch(/^语言模型服务返回了 500/)
    expect(body.detail).toMatch(HAN)
  })

  it('writes the report\'s summary in the language asked for, else in the messages\' language', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    expect((await t.chat(token, '今天天气很好，我们去公园散步吧')).statusCode).toBe(200)
    const summary = async (query: string) => {
      const res = await t.get(token, `/user/report?days=7${query}`)
      return { status: res.statusCode, language: res.json().summary?.language, text: res.json().summary?.text as string }
    }
    expect(await summary('')).toMatchObject({ status: 200, language: 'zh', text: expect.stringMatching(HAN) })
    expect(await summary('&language=en')).toMatchObject({ status: 200, language: 'en', text: expect.stringMatching(/^In the last 7 days you sent 1 message/) })
    expect(await summary('&language=zh')).toMatchObject({ status: 200, language: 'zh' })
    for (const bad of ['fr', 'ZH', '', 'zh-CN']) expect((await summary(`&language=${bad}`)).status, bad).toBe(422)
  })

  it('documents it in the OpenAPI description', async () => {
    t = await startTestApp()
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.info.description).toContain('Accept-Language: zh')
    // The error schema's `detail`, wherever the document puts it.
    expect(JSON.stringify(doc)).toContain('A sentence for people: Simplified Chinese with `Accept-Language: zh`, else English.')
  })
})
