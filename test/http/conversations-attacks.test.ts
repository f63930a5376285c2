import { afterEach, describe, expect, it, vi } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { startFakeMongoServer, type FakeMongoServer } from '../helpers/fake-mongo-server.js'
import { gate } from '../helpers/http-client.js'

/**
 * Conversations attacked from outside, on both backends (SQLite in a temp dir; MongoDB on the fake
 * wire server): another user's or a deleted conversation, ids of every type, search strings that
 * are regex or LIKE syntax, and a conversation deleted while its reply is on its way.
 */
const backends = [
  { name: 'SQLite', env: async () => ({ env: {}, close: async () => {} }) },
  {
    name: 'MongoDB (fake wire server)',
    env: async () => {
      const mongo: FakeMongoServer = await startFakeMongoServer()
      return { env: { MONGODB_URI: mongo.uri }, close: async () => { await mongo.close() } }
    }
  }
]

describe.each(backends)('conversations under attack, $name', (backend) => {
  let t: TestApp
  let closeBackend = async (): Promise<void> => {}
  const start = async () => {
    const { env, close } = await backend.env()
    closeBackend = close
    t = await startTestApp({ env })
    t.upstream.behave((r) => ({ kind: 'reply', text: `re: ${r.body.messages?.at(-1)?.content}` }))
  }
  afterEach(async () => {
    await t.close()
    await closeBackend()
  })

  const auth = (token: string) => ({ authorization: `Bearer ${token}` })
  const create = (token: string, payload: unknown = {}) => t.inject({ method: 'POST', url: '/conversations', headers: auth(token), payload: payload as object })
  const say = async (token: string, payload: Record<string, unknown>, path = '/llm/message') => {
    const res = await t.inject({ method: 'POST', url: path, headers: auth(token), payload })
    t.clock.advance(11_000) // out of the burst window
    return res
  }
  const titles = async (token: string, q: string) =>
    ((await t.get(token, `/conversations?q=${encodeURIComponent(q)}`)).json() as Array<{ title: string }>).map((c) => c.title)
  const chatCount = async (token: string) => ((await t.get(token, '/user/status')).json() as { chat_cnt: number }).chat_cnt

  it('a deleted conversation stays gone: its id answers 404 everywhere and is never given again', async () => {
    await start()
    const token = await t.signUp('eric')
    const id = (await say(token, { message: 'first' })).json().conversation_id as string
    expect((await t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) })).statusCode).toBe(204)
    const attempts = [
      await t.get(token, `/conversations/${id}/history/10`),
      await t.inject({ method: 'PATCH', url: `/conversations/${id}`, headers: auth(token), payload: { title: 'back' } }),
      await t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) }),
      await say(token, { message: 'into the void', conversation_id: id }),
      await say(token, { message: 'into the void', conversation_id: id }, '/llm/message/advanced')
    ]
    for (const res of attempts) {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual({ error: 'conversation_not_found', detail: expect.any(String) })
    }
    expect(t.upstream.chats).toHaveLength(1)
    const fresh = [(await create(token)).json().id, (await say(token, { message: 'again' })).json().conversation_id]
    expect(fresh).not.toContain(id)
    expect((await t.get(token, '/user/history/10')).json().map((r: { text: string }) => r.text)).toEqual(['again', 're: again'])
  })

  it('refuses a conversation_id of any other type or shape with 4xx {error, detail}, storing and spending nothing', async () => {
    await start()
    const token = await t.signUp('eric')
    const mine = (await create(token, { title: 'mine' })).json().id as string
    const bad: unknown[] = [42, -1, 1.5, true, null, ['x'], [mine], { $ne: null }, { $gt: '' }, { id: mine }, '', ' ', '\u0000', `${mine}\u0000`, `${mine} `,
      'x'.repeat(100_000), '1 OR 1=1', "' OR '1'='1", '../1', '%', '.*', '$where', 'ffffffffffffffffffffffff', '😀', '\ud800']
    for (const conversationId of bad) {
      for (const path of ['/llm/message', '/llm/message/advanced']) {
        const res = await say(token, { message: 'hi', conversation_id: conversationId }, path)
        const label = `${path} ${JSON.stringify(conversationId)?.slice(0, 40)}`
        expect(res.statusCode, label).toBeGreaterThanOrEqual(400)
        expect(res.statusCode, label).toBeLessThan(500)
        expect(res.json(), label).toEqual({ error: expect.any(String), detail: expect.any(String) })
      }
    }
    expect(t.upstream.chats).toHaveLength(0)
    expect(await chatCount(token)).toBe(0)
    expect((await t.get(token, '/user/history/10')).json()).toEqual([])
    expect(((await t.get(token, '/conversations')).json() as Array<{ id: string, message_count: number }>)).toEqual([expect.objectContaining({ id: mine, message_count: 0 })])
  })

  it('searches titles literally whatever the search holds: regex, LIKE wildcards, operators, look-alikes', async () => {
    await start()
    const token = await t.signUp('eric')
    const all = ['plain title', '50% off_sale', 'a.b*c', '$where this', 'x|y (z)', 'back\\slash', 'caret ^ [set]', 'dollar$ end']
    for (const title of all) {
      expect((await create(token, { title })).statusCode).toBe(201)
      t.clock.advance(1)
    }
    const cases: Array<[string, string[]]> = [
      ['%', ['50% off_sale']], ['_', ['50% off_sale']], ['%_%', []], ['.*', []], ['.', ['a.b*c']], ['*', ['a.b*c']],
      ['$where', ['$where this']], ['$', ['dollar$ end', '$where this']], ['^', ['caret ^ [set]']], ['[set]', ['caret ^ [set]']],
      ['[s', ['caret ^ [set]']], ['|', ['x|y (z)']], ['x|plain', []], ['(z)', ['x|y (z)']], ['(', ['x|y (z)']], ['\\', ['back\\slash']],
      ['\\s', ['back\\slash']], ['a.b', ['a.b*c']], ['a?b', []], ['.+', []], ['{1}', []], ['(?i)', []], ['\\d', []],
      // Full-width look-alikes fold to ASCII and are still taken literally.
      ['．＊', []], ['％', ['50% off_sale']], ['＄ＷＨＥＲＥ', ['$where this']],
      ['no such thing', []]
    ]
    for (const [q, expected] of cases) {
      const res = await t.get(token, `/conversations?q=${encodeURIComponent(q)}`)
      expect(res.statusCode, q).toBe(200)
      expect(await titles(token, q), q).toEqual(expected)
    }
    // Odd but well-formed searches never answer 500.
    for (const q of ['\u0000', '\u0007bell', '😀', 'İ', 'ß', '\u200b', 'a'.repeat(200)]) {
      const res = await t.get(token, `/conversations?q=${encodeURIComponent(q)}`)
      expect(res.statusCode, JSON.stringify(q)).toBe(200)
    }
    for (const query of ['q[$ne]=x', 'q=a&q=b', 'q[]=a', 'limit=1e3', 'limit=-1', 'limit=1001', 'limit=%00']) {
      const res = await t.get(token, `/conversations?${query}`)
      expect(res.statusCode, query).toBeLessThan(500)
      if (res.statusCode >= 400) expect(res.json(), query).toEqual({ error: expect.any(String), detail: expect.any(String) })
    }
  })

  it('deleting a conversation while its reply streams in: the client gets the whole reply, nothing crashes, the quota stays spent', async () => {
    await start()
    const token = await t.signUp('eric')
    const id = (await create(token)).json().id as string
    const { promise: held, open: release } = gate()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['half ', 'reply'], holdBefore: { 1: held } }))
    const streaming = t.inject({ method: 'POST', url: '/llm/message', headers: { ...auth(token), accept: 'text/event-stream' }, payload: { message: 'long question', conversation_id: id } })
    await vi.waitFor(() => { expect(t.upstream.chats).toHaveLength(1) }, { timeout: 30_000, interval: 20 })

    const removed = await t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) })
    expect(removed.statusCode).toBe(204)
    release()
    const res = await streaming
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('event: done')
    expect(res.body).toContain('"response":"half reply"')

    // What the user deleted stays deleted: the late reply did not bring the conversation back.
    expect((await t.get(token, '/conversations')).json()).toEqual([])
    expect((await t.get(token, '/user/history/10')).json()).toEqual([])
    expect(await chatCount(token)).toBe(1)
    t.clock.advance(11_000)
    t.upstream.behave((r) => ({ kind: 'reply', text: `re: ${r.body.messages?.at(-1)?.content}` }))
    const next = await say(token, { message: 'after' })
    expect(next.statusCode).toBe(200)
    expect(next.json().conversation_id).not.toBe(id)
    expect((t.upstream.chats.at(-1)?.body.messages ?? []).slice(1).map((m) => m.content)).toEqual(['after'])
    expect(await chatCount(token)).toBe(2)
  })

  it('a provider failure after the conversation was deleted answers the error, crashes nothing, and brings nothing back', async () => {
    await start()
    const token = await t.signUp('eric')
    const id = (await create(token)).json().id as string
    const { promise: held, open: release } = gate()
    t.upstream.behave(() => ({ kind: 'wait', until: held, then: { kind: 'status', status: 500, body: { error: { message: 'boom' } } } }))
    const pending = t.inject({ method: 'POST', url: '/llm/message', headers: auth(token), payload: { message: 'doomed', conversation_id: id } })
    await vi.waitFor(() => { expect(t.upstream.chats).toHaveLength(1) }, { timeout: 30_000, interval: 20 })
    expect((await t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) })).statusCode).toBe(204)
    release()
    const res = await pending
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.json()).toEqual({ error: expect.any(String), detail: expect.any(String) })
    expect((await t.get(token, '/conversations')).json()).toEqual([])
    expect((await t.get(token, '/user/history/10')).json()).toEqual([])
    t.clock.advance(11_000)
    t.upstream.behave((r) => ({ kind: 'reply', text: `re: ${r.body.messages?.at(-1)?.content}` }))
    expect((await say(token, { message: 'still here' })).statusCode).toBe(200)
  })

  it('a message sent while its conversation is deleted lands in it and goes with it, or is refused: never left outside every conversation', async () => {
    await start()
    const token = await t.signUp('eric')
    for (let round = 0; round < 8; round++) {
      const id = (await create(token, { title: `round ${round}` })).json().id as string
      const [sent, removed] = await Promise.all([
        t.inject({ method: 'POST', url: '/llm/message', headers: auth(token), payload: { message: `m${round}`, conversation_id: id } }),
        t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) })
      ])
      t.clock.advance(11_000)
      expect(removed.statusCode).toBe(204)
      expect([200, 404], sent.body).toContain(sent.statusCode)
      if (sent.statusCode === 404) expect(sent.json()).toMatchObject({ error: 'conversation_not_found' })
    }
    // Every record in the history belongs to a conversation the user still has.
    const listed = new Set(((await t.get(token, '/conversations?limit=1000')).json() as Array<{ id: string }>).map((c) => c.id))
    const history = (await t.get(token, '/user/history/1000')).json() as Array<{ conversation_id: string, text: string }>
    expect(history.filter((r) => !listed.has(r.conversation_id))).toEqual([])
  })

  it('deleting a conversation does not give back quota: the daily limit still refuses', async () => {
    await start()
    const token = await t.signUp('eric')
    const limit = ((await t.get(token, '/user/status')).json() as { daily_limit: number }).daily_limit
    const ids = new Set<string>()
    for (let i = 0; i < limit; i++) {
      const conversation = (await create(token)).json().id as string
      expect((await say(token, { message: `m${i}`, conversation_id: conversation })).statusCode).toBe(200)
      ids.add(conversation)
    }
    for (const id of ids) expect((await t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) })).statusCode).toBe(204)
    expect(await chatCount(token)).toBe(limit)
    const refused = await say(token, { message: 'one more' })
    expect(refused.statusCode).toBeGreaterThanOrEqual(400)
    expect(refused.statusCode).toBeLessThan(500)
    expect(t.upstream.chats).toHaveLength(limit)
  })

  it("never reaches another user's conversation, whichever id is tried, and a deleted account's ids stay closed", async () => {
    await start()
    const alice = await t.signUp('alice')
    const eric = await t.signUp('eric')
    const hers = (await say(alice, { message: 'secret' })).json().conversation_id as string
    const his = (await create(eric)).json().id as string
    // Ids near hers (the next, the previous) are someone else's or nobody's: 404, never hers.
    const near = /^\d+$/.test(hers) ? [String(Number(hers) - 1), String(Number(hers) + 1), `0${hers}`, `${hers}.0`, `+${hers}`, ` ${hers}`] : [hers.toUpperCase(), `${hers} `]
    for (const id of near.filter((n) => n !== his)) {
      const res = await t.get(eric, `/conversations/${encodeURIComponent(id)}/history/10`)
      expect(res.statusCode, id).toBe(404)
      expect(res.body, id).not.toContain('secret')
    }
    const deleted = await t.inject({ method: 'DELETE', url: '/user/', headers: auth(alice), payload: { password: 'correct horse battery' } })
    expect(deleted.statusCode).toBe(204)
    expect((await t.get(alice, '/conversations')).statusCode).toBe(401)
    for (const res of [await t.get(eric, `/conversations/${hers}/history/10`), await say(eric, { message: 'hi', conversation_id: hers })]) {
      expect(res.statusCode).toBe(404)
    }
    const again = await t.signUp('alice')
    expect((await t.get(again, '/conversations')).json()).toEqual([])
    expect((await t.get(again, `/conversations/${hers}/history/10`)).statusCode).toBe(404)
  })
})

describe('conversations under attack, MongoDB without transactions', () => {
  it('a message admitted while its conversation is deleted goes with it (404), not into a history outside every conversation', async () => {
    const mongo = await startFakeMongoServer()
    const t = await startTestApp({ env: { MONGODB_URI: mongo.uri } })
    try {
      const auth = (token: string) => ({ authorization: `Bearer ${token}` })
      const token = await t.signUp('eric')
      const id = (await t.inject({ method: 'POST', url: '/conversations', headers: auth(token), payload: {} })).json().id as string
      // The message's insert waits until the conversation's deletion is over: the window between
      // admission's ownership check and its insert, which nothing else holds shut without transactions.
      const { promise: gone, open: deleted } = gate()
      let held = false
      mongo.holdNext((command) => {
        held = typeof command.insert === 'string' && command.insert.endsWith('messages')
        return held
      }, gone)
      const sending = t.inject({ method: 'POST', url: '/llm/message', headers: auth(token), payload: { message: 'racing', conversation_id: id } })
      await vi.waitFor(() => { expect(held).toBe(true) }, { timeout: 30_000, interval: 10 })
      const removed = await t.inject({ method: 'DELETE', url: `/conversations/${id}`, headers: auth(token) })
      deleted()
      expect(removed.statusCode).toBe(204)
      const sent = await sending
      expect(sent.statusCode).toBe(404)
      expect(sent.json()).toEqual({ error: 'conversation_not_found', detail: expect.any(String) })
      expect(t.upstream.chats).toHaveLength(0)
      expect((await t.get(token, '/user/history/10')).json()).toEqual([])
      expect((await t.get(token, '/conversations')).json()).toEqual([])
      // Nothing was sent, so nothing is spent.
      expect((await t.get(token, '/user/status')).json()).toMatchObject({ chat_cnt: 0 })
    } finally {
      await t.close()
      await mongo.close()
    }
  })
})
