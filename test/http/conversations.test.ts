import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => {
  t = await startTestApp()
  t.upstream.behave((r) => ({ kind: 'reply', text: `re: ${r.body.messages?.at(-1)?.content}` }))
})
afterEach(async () => { await t.close() })

interface ConversationBody { id: string, title: string, created_at: string, updated_at: string, message_count: number }

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const create = (token: string, payload: unknown = {}) => t.inject({ method: 'POST', url: '/conversations', headers: auth(token), payload: payload as object })
const rename = (token: string, id: string, payload: unknown) => t.inject({ method: 'PATCH', url: `/conversations/${encodeURIComponent(id)}`, headers: auth(token), payload: payload as object })
const remove = (token: string, id: string) => t.inject({ method: 'DELETE', url: `/conversations/${encodeURIComponent(id)}`, headers: auth(token) })
const list = async (token: string, query = ''): Promise<ConversationBody[]> => (await t.get(token, `/conversations${query}`)).json()
const say = async (token: string, message: string, conversationId?: string, path = '/llm/message') => {
  const res = await t.inject({ method: 'POST', url: path, headers: auth(token), payload: { message, ...(conversationId === undefined ? {} : { conversation_id: conversationId }) } })
  t.clock.advance(11_000) // out of the burst window
  return res
}
/** The texts the provider saw before the new message (system prompt left out). */
const seen = () => (t.upstream.chats.at(-1)?.body.messages ?? []).slice(1, -1).map((m) => m.content)

describe('conversations', () => {
  it('starts, lists, renames and deletes conversations, most recently used first', async () => {
    const token = await t.signUp('eric')
    expect(await list(token)).toEqual([])
    const first = await create(token, { title: '  Python\n exam  ' })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toEqual({ id: expect.any(String), title: 'Python exam', created_at: '2026-11-25T12:00:00.000Z', updated_at: '2026-11-25T12:00:00.000Z', message_count: 0 })
    t.clock.advance(1000)
    const second = (await t.inject({ method: 'POST', url: '/conversations', headers: auth(token) })).json() as ConversationBody
    expect(second.title).toBe('')
    expect((await list(token)).map((c) => c.id)).toEqual([second.id, first.json().id])

    const renamed = await rename(token, first.json().id, { title: 'Exam prep 📚' })
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json()).toMatchObject({ id: first.json().id, title: 'Exam prep 📚' })
    // Renaming does not make it the most recently used; a message does.
    expect((await list(token)).map((c) => c.id)).toEqual([second.id, first.json().id])
    t.clock.advance(1000)
    expect((await say(token, 'hello', first.json().id)).statusCode).toBe(200)
    expect((await list(token)).map((c) => [c.id, c.message_count])).toEqual([[first.json().id, 2], [second.id, 0]])

    expect((await remove(token, first.json().id)).statusCode).toBe(204)
    expect((await remove(token, first.json().id)).json()).toMatchObject({ error: 'conversation_not_found' })
    expect((await list(token)).map((c) => c.id)).toEqual([second.id])
    expect((await t.get(token, '/user/history/100')).json()).toEqual([])
  })

  it('names a conversation after its first message, trimmed to 60 characters, without asking the provider', async () => {
    const token = await t.signUp('eric')
    const long = `   ${'Explain the difference between a list and a tuple in Python, with examples please'}\n\nthanks`
    const res = await say(token, long)
    expect(res.statusCode).toBe(200)
    expect(t.upstream.chats).toHaveLength(1)
    const [conversation] = await list(token)
    expect(conversation?.id).toBe(res.json().conversation_id)
    expect(conversation?.title).toBe('Explain the difference between a list and a tuple in Python…')
    expect([...conversation?.title ?? ''].length).toBe(60)
    // A word cut in two is taken back to its start; a language without spaces is cut where it must.
    await create(token)
    await say(token, `${'word '.repeat(11)}elephantine rest`)
    expect((await list(token))[0]?.title).toBe(`${'word '.repeat(11).trimEnd()}…`)
    // Never between the halves of an emoji or a letter and its accent.
    const token2 = await t.signUp('alice')
    await say(token2, `${'x'.repeat(58)}👩‍👩‍👧e\u0301 more`)
    expect((await list(token2))[0]?.title).toBe(`${'x'.repeat(58)}…`)
    const token3 = await t.signUp('bob')
    await say(token3, '短消息：你好')
    expect((await list(token3))[0]?.title).toBe('短消息：你好')
    await create(token3)
    await say(token3, '学'.repeat(70))
    expect((await list(token3))[0]?.title).toBe(`${'学'.repeat(59)}…`)
  })

  it('sends each message to its conversation: the provider sees only that conversation', async () => {
    const token = await t.signUp('eric')
    const python = (await say(token, 'let us talk about python')).json().conversation_id as string
    const cooking = (await create(token, { title: 'Cooking' })).json().id as string
    expect((await say(token, 'how long to boil an egg?', cooking)).json().conversation_id).toBe(cooking)
    expect(seen()).toEqual([])
    // Without conversation_id: the most recently used one (cooking now).
    await say(token, 'and a soft one?', undefined, '/llm/message/advanced')
    expect(seen()).toEqual(['how long to boil an egg?', 're: how long to boil an egg?'])
    await say(token, 'what is a decorator?', python)
    expect(seen()).toEqual(['let us talk about python', 're: let us talk about python'])

    const history = (await t.get(token, `/conversations/${cooking}/history/100`)).json()
    expect(history.map((r: { text: string }) => r.text)).toEqual(['how long to boil an egg?', 're: how long to boil an egg?', 'and a soft one?', expect.any(String)])
    expect(new Set(history.map((r: { conversation_id: string }) => r.conversation_id))).toEqual(new Set([cooking]))
    expect((await t.get(token, `/conversations/${cooking}/history/1`)).json()).toHaveLength(1)
    // /user/history still has everything, each record with its conversation.
    const all = (await t.get(token, '/user/history/100')).json()
    expect(all.map((r: { conversation_id: string }) => r.conversation_id)).toEqual([python, python, cooking, cooking, cooking, cooking, python, python])
  })

  it('streams into a conversation and names it in the final event', async () => {
    const token = await t.signUp('eric')
    const id = (await create(token)).json().id as string
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['str', 'eamed'] }))
    const res = await t.inject({ method: 'POST', url: '/llm/message', headers: { ...auth(token), accept: 'text/event-stream' }, payload: { message: 'stream me', conversation_id: id } })
    expect(res.body).toContain(`event: done\ndata: {"response":"streamed","conversation_id":"${id}"}`)
    expect((await list(token))[0]).toMatchObject({ id, title: 'stream me', message_count: 2 })
  })

  it("answers 404 conversation_not_found for another user's conversation, and changes nothing", async () => {
    const eric = await t.signUp('eric')
    const alice = await t.signUp('alice')
    const hers = (await say(alice, 'my secret plan')).json().conversation_id as string
    const before = (await t.get(alice, '/user/history/100')).json()
    const attempts = [
      await t.get(eric, `/conversations/${hers}/history/10`),
      await rename(eric, hers, { title: 'stolen' }),
      await remove(eric, hers),
      await say(eric, 'hi', hers),
      await say(eric, 'hi', hers, '/llm/message/advanced')
    ]
    for (const res of attempts) {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual({ error: 'conversation_not_found', detail: expect.any(String) })
      expect(res.body).not.toContain('secret')
    }
    expect(t.upstream.chats).toHaveLength(1)
    expect((await t.get(alice, '/user/history/100')).json()).toEqual(before)
    expect((await list(alice))[0]?.title).toBe('my secret plan')
    expect((await t.get(eric, '/user/status')).json()).toMatchObject({ chat_cnt: 0 })
    expect(await list(eric)).toEqual([])
  })

  it('answers 4xx {error, detail} for bad ids, titles and queries, never a 500', async () => {
    const token = await t.signUp('eric')
    const id = (await create(token, { title: 'fine' })).json().id as string
    for (const bad of ['0', '-1', 'abc', '1.5', '99999999999', 'ffffffffffffffffffffffff', '%7B%22%24gt%22%3A%22%22%7D', '%00', '%F0%9F%98%80']) {
      const res = await t.get(token, `/conversations/${bad}/history/10`)
      expect(res.statusCode, bad).toBe(404)
      expect(res.json(), bad).toMatchObject({ error: 'conversation_not_found' })
      expect((await t.inject({ method: 'DELETE', url: `/conversations/${bad}`, headers: auth(token) })).statusCode, bad).toBe(404)
    }
    expect((await t.get(token, `/conversations/${'1'.repeat(65)}/history/10`)).statusCode).toBe(422)
    expect((await t.get(token, `/conversations/${id}/history/0`)).statusCode).toBe(422)
    expect((await t.get(token, `/conversations/${id}/history/1001`)).statusCode).toBe(422)
    for (const title of ['', '   ', '\n\t', 'x'.repeat(101), '\ud800 lone', 42, null, ['a'], { $gt: '' }]) {
      for (const res of [await rename(token, id, { title }), await create(token, { title })]) {
        expect(res.statusCode, JSON.stringify(title)).toBe(422)
        expect(res.json()).toEqual({ error: 'validation_error', detail: expect.any(String) })
      }
    }
    expect((await rename(token, id, {})).statusCode).toBe(422)
    expect((await say(token, 'hi', 42 as unknown as string)).statusCode).toBe(422)
    expect((await t.get(token, '/conversations?limit=0')).statusCode).toBe(422)
    expect((await t.get(token, '/conversations?limit=abc')).statusCode).toBe(422)
    expect((await t.get(token, `/conversations?q=${'x'.repeat(201)}`)).statusCode).toBe(422)
    expect((await t.get(token, '/conversations?q=%ED%A0%80')).statusCode).toBeLessThan(500)
    // A title of exactly 100 characters is fine; nothing above changed the conversation.
    expect((await rename(token, id, { title: 'é'.repeat(100) })).statusCode).toBe(200)
    expect((await list(token)).map((c) => c.title)).toEqual(['é'.repeat(100)])
    for (const path of ['/conversations', `/conversations/${id}/history/5`]) expect((await t.inject({ method: 'GET', url: path })).statusCode).toBe(401)
  })

  it('searches titles with ?q=, whatever the case, every character literally', async () => {
    const token = await t.signUp('eric')
    for (const title of ['Python exam', 'Learning PYTHON', 'Cooking eggs', '100% (sure)?']) {
      await create(token, { title })
      t.clock.advance(1)
    }
    const titles = async (q: string) => (await list(token, `?q=${encodeURIComponent(q)}`)).map((c) => c.title)
    expect(await titles('python')).toEqual(['Learning PYTHON', 'Python exam'])
    expect(await titles('  PYTHON  ')).toEqual(['Learning PYTHON', 'Python exam'])
    expect(await titles('% (s')).toEqual(['100% (sure)?'])
    expect(await titles('.*')).toEqual([])
    expect(await titles('')).toHaveLength(4)
    expect(await list(token, '?limit=2')).toHaveLength(2)
  })

  it('keeps quota used by a deleted conversation: the count does not drop, the limit still holds', async () => {
    const token = await t.signUp('eric')
    const id = (await say(token, 'one')).json().conversation_id as string
    await say(token, 'two')
    expect((await t.get(token, '/user/status')).json()).toMatchObject({ chat_cnt: 2 })
    expect((await remove(token, id)).statusCode).toBe(204)
    expect((await t.get(token, '/user/status')).json()).toMatchObject({ chat_cnt: 2 })
    expect((await t.get(token, '/user/history/10')).json()).toEqual([])
    // The next message starts a new conversation.
    const next = await say(token, 'three')
    expect(next.json().conversation_id).not.toBe(id)
    expect(seen()).toEqual([])
  })

  it('refuses a new conversation while 50 are empty (409), and is free again after a message', async () => {
    const token = await t.signUp('eric')
    const ids: string[] = []
    for (let i = 0; i < 50; i++) ids.push((await create(token)).json().id)
    const refused = await create(token)
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ error: 'too_many_conversations' })
    await say(token, 'hello', ids[0])
    expect((await create(token)).statusCode).toBe(201)
  })

  it('removes conversations with the account', async () => {
    const token = await t.signUp('eric')
    const id = (await say(token, 'hello')).json().conversation_id as string
    const deleted = await t.inject({ method: 'DELETE', url: '/user/', headers: auth(token), payload: { password: 'correct horse battery' } })
    expect(deleted.statusCode).toBe(204)
    const again = await t.signUp('eric')
    expect(await list(again)).toEqual([])
    expect((await t.get(again, `/conversations/${id}/history/10`)).statusCode).toBe(404)
  })

  it('says in /user/status what the page shows: the count, the limits and the model', async () => {
    const token = await t.signUp('eric')
    await say(token, 'hello')
    expect((await t.get(token, '/user/status')).json()).toEqual({
      username: 'eric', chat_cnt: 1, daily_limit: 20, burst_limit: 3, burst_window_seconds: 30, model: 'mistralai/mistral-7b-instruct'
    })
  })

  it('documents the routes in OpenAPI', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/conversations', '/conversations/{id}', '/conversations/{id}/history/{last_n}']))
    expect(Object.keys(doc.paths['/conversations'])).toEqual(expect.arrayContaining(['get', 'post']))
    expect(Object.keys(doc.paths['/conversations/{id}'])).toEqual(expect.arrayContaining(['patch', 'delete']))
    expect(doc.paths['/conversations/{id}'].patch.responses['404']).toBeDefined()
  })
})
