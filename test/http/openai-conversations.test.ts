import OpenAI from 'openai'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

interface Conversation { id: string, title: string, message_count: number }

/** The real app on a real socket, a user, and a way to make keys and point the official SDK at them. */
async function setUp (): Promise<{ t: TestApp, token: string, client: (name: string) => Promise<{ sdk: OpenAI, id: string }>, model: string }> {
  const t = await startTestApp({ env: { BURST_MESSAGE_LIMIT: '100' } })
  onTestFinished(() => t.close())
  const base = await t.listen()
  const token = await t.signUp('eric')
  const client = async (name: string): Promise<{ sdk: OpenAI, id: string }> => {
    const made = (await t.inject({ method: 'POST', url: '/user/api-keys', headers: { authorization: `Bearer ${token}` }, payload: { name } })).json<{ key: string, id: string }>()
    return { sdk: new OpenAI({ apiKey: made.key, baseURL: `${base}/v1`, maxRetries: 0, timeout: 60_000 }), id: made.id }
  }
  return { t, token, client, model: t.config.LLM_MODEL }
}

const conversations = async (t: TestApp, token: string): Promise<Conversation[]> => (await t.get(token, '/conversations')).json<Conversation[]>()
const texts = async (t: TestApp, token: string, id: string): Promise<string[]> =>
  (await t.get(token, `/conversations/${id}/history/100`)).json<Array<{ text: string }>>().map((r) => r.text)

describe('/v1 messages go to one conversation per API key', () => {
  it('each key has its own, named after it; made again when deleted; kept when the key is revoked', async () => {
    const { t, token, client, model } = await setUp()
    // The test clock stands still unless moved: each message a second later, so "most recently used" has an order.
    const say = async (sdk: OpenAI, content: string): Promise<void> => {
      t.clock.advance(1000)
      await sdk.chat.completions.create({ model, messages: [{ role: 'user', content }] })
    }
    const webui = await client('Open WebUI')
    const editor = await client('editor')
    await say(webui.sdk, 'one')
    await say(editor.sdk, 'two')
    await say(webui.sdk, 'three')
    const [latest, older] = await conversations(t, token)
    expect([latest, older].map((c) => [c?.title, c?.message_count])).toEqual([['Open WebUI', 4], ['editor', 2]])
    expect(await texts(t, token, latest?.id ?? '')).toEqual(['one', 'Echo: one', 'three', 'Echo: three'])
    expect(await texts(t, token, older?.id ?? '')).toEqual(['two', 'Echo: two'])
    // Every record says where it went.
    expect((await t.get(token, '/user/history/6')).json<Array<{ conversation_id: string }>>().map((r) => r.conversation_id))
      .toEqual([latest?.id, latest?.id, older?.id, older?.id, latest?.id, latest?.id])

    // Deleted: the key's next message starts a new one of the same name.
    expect((await t.inject({ method: 'DELETE', url: `/conversations/${latest?.id ?? ''}`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204)
    await say(webui.sdk, 'four')
    const again = (await conversations(t, token)).find((c) => c.title === 'Open WebUI')
    expect(again?.id).not.toBe(latest?.id)
    expect(await texts(t, token, again?.id ?? '')).toEqual(['four', 'Echo: four'])
    await say(webui.sdk, 'five')
    expect((await conversations(t, token)).map((c) => [c.title, c.message_count])).toEqual([['Open WebUI', 4], ['editor', 2]])

    // Revoked: the key stops, its conversation stays.
    await t.inject({ method: 'DELETE', url: `/user/api-keys/${webui.id}`, headers: { authorization: `Bearer ${token}` } })
    await expect(say(webui.sdk, 'six')).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
    expect((await conversations(t, token)).map((c) => c.title)).toEqual(['Open WebUI', 'editor'])
  })

  it('a new key\'s first messages sent at once share one conversation, leaving no empty ones', async () => {
    const { t, token, client, model } = await setUp()
    const { sdk } = await client('burst')
    await Promise.all(Array.from({ length: 8 }, async (_, i) => await sdk.chat.completions.create({ model, messages: [{ role: 'user', content: `m${i}` }] })))
    const all = await conversations(t, token)
    expect(all.map((c) => [c.title, c.message_count])).toEqual([['burst', 16]])
  })

  it('an access token on /v1 writes where /llm/message writes: the most recently used conversation', async () => {
    const { t, token, client, model } = await setUp()
    const { sdk } = await client('sdk')
    await sdk.chat.completions.create({ model, messages: [{ role: 'user', content: 'by key' }] })
    t.clock.advance(1000)
    expect((await t.chat(token, 'on the page')).statusCode).toBe(200)
    t.clock.advance(1000)
    const withToken = new OpenAI({ apiKey: token, baseURL: sdk.baseURL, maxRetries: 0 })
    await withToken.chat.completions.create({ model, messages: [{ role: 'user', content: 'by token' }] })
    const [only] = await conversations(t, token)
    expect(await texts(t, token, only?.id ?? '')).toEqual(['by key', 'Echo: by key', 'on the page', 'Echo: on the page', 'by token', 'Echo: by token'])
  })
})
