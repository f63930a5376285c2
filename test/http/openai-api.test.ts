import OpenAI from 'openai'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { gate } from '../helpers/http-client.js'

/** The real app on a real socket, a user with an API key, and the official SDK pointed at it. */
async function setUp (env: Record<string, string> = {}): Promise<{ t: TestApp, client: OpenAI, key: string, token: string, model: string }> {
  const t = await startTestApp({ env })
  onTestFinished(() => t.close())
  const base = await t.listen()
  const token = await t.signUp('eric')
  const key = (await t.inject({ method: 'POST', url: '/user/api-keys', headers: { authorization: `Bearer ${token}` }, payload: { name: 'sdk' } })).json<{ key: string }>().key
  // No retries: a refusal must surface as the SDK's error, not be retried away.
  const client = new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0, timeout: 60_000 })
  return { t, client, key, token, model: t.config.LLM_MODEL }
}

const texts = async (t: TestApp, token: string): Promise<Array<{ type: string, text: string, status: string }>> => (await t.get(token, '/user/history/20')).json()

describe('/v1 with the official openai SDK', () => {
  it('lists the model and answers a completion; the client\'s messages are the context; the exchange is stored', async () => {
    const { t, client, token, model } = await setUp()
    const models = await client.models.list()
    expect(models.data.map((m) => m.id)).toEqual([model])

    const completion = await client.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'my name is Eric' },
        { role: 'assistant', content: 'Hi Eric' },
        { role: 'user', content: [{ type: 'text', text: 'what is my ' }, { type: 'text', text: 'name?' }] }
      ],
      temperature: 0.2
    })
    expect(completion).toMatchObject({ object: 'chat.completion', model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Echo: what is my name?' } }] })
    expect(completion.id).toMatch(/^chatcmpl-/)
    expect(completion.created).toBe(Math.floor(t.clock.now / 1000))
    const sent = t.upstream.chats.at(-1)?.body.messages
    expect(sent).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'my name is Eric' },
      { role: 'assistant', content: 'Hi Eric' },
      { role: 'user', content: 'what is my name?' }
    ])
    expect(await texts(t, token)).toEqual([
      expect.objectContaining({ type: 'user', text: 'what is my name?', status: 'answered' }),
      expect.objectContaining({ type: 'ai', text: 'Echo: what is my name?', status: 'complete' })
    ])
    expect((await t.get(token, '/user/status')).json()).toMatchObject({ chat_cnt: 1 })
  })

  it('streams chat.completion.chunk events ending the stream', async () => {
    const { t, client, token, model } = await setUp()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['Hel', 'lo ', 'there'] }))
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
    const chunks: OpenAI.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === model && c.id === chunks[0]?.id)).toBe(true)
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello there')
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect((await texts(t, token)).map((r) => r.text)).toEqual(['hi', 'Hello there'])
  })

  it('stops the provider when the client aborts mid-stream, and keeps what arrived as incomplete', async () => {
    const { t, client, token, model } = await setUp()
    const { promise: held, open: release } = gate()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['first ', 'never'], holdBefore: { 1: held } }))
    const controller = new AbortController()
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], stream: true }, { signal: controller.signal })
    const received: string[] = []
    // The SDK ends the iteration (or throws its abort error) once aborted.
    const ended = await (async () => {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '')
        if (received.join('') === 'first ') controller.abort()
      }
    })().catch((err: unknown) => err)
    if (ended !== undefined) expect(ended).toBeInstanceOf(OpenAI.APIUserAbortError)
    expect(received.join('')).toBe('first ')
    await vi.waitFor(() => { expect(t.upstream.aborted).toBe(1) }, { timeout: 60_000 })
    release()
    await vi.waitFor(async () => {
      expect(await texts(t, token)).toEqual([
        expect.objectContaining({ type: 'user', text: 'hi' }),
        expect.objectContaining({ type: 'ai', text: 'first ', status: 'incomplete' })
      ])
    }, { timeout: 60_000 })
  })

  it('refuses over the limit as RateLimitError (429, Retry-After), whatever RATE_LIMIT_STATUS says', async () => {
    const { client, model } = await setUp({ BURST_MESSAGE_LIMIT: '1', RATE_LIMIT_STATUS: '401' })
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'one' }] })
    const refused = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'two' }] }).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError)
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>
    expect(error.status).toBe(429)
    expect(Number(error.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(error.error).toMatchObject({ type: 'rate_limit_error', code: 'burst_limit_exceeded', message: expect.stringContaining('1 messages per') })
  })

  it('answers a revoked key with AuthenticationError, at once', async () => {
    const { t, client, token, model } = await setUp()
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'one' }] })
    const [key] = (await t.get(token, '/user/api-keys')).json<Array<{ id: string }>>()
    await t.inject({ method: 'DELETE', url: `/user/api-keys/${key?.id ?? ''}`, headers: { authorization: `Bearer ${token}` } })
    const refused = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'two' }] }).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError)
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ code: 'invalid_token', type: 'authentication_error' })
    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
  })

  it('refuses what it does not do clearly, storing nothing and asking no provider', async () => {
    const { t, client, token, model } = await setUp()
    const asks: Array<[unknown, abstract new (...args: never[]) => unknown]> = [
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, OpenAI.NotFoundError],
      [{ model, messages: [{ role: 'user', content: 'hi' }], n: 2 }, OpenAI.BadRequestError],
      [{ model, messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f' } }] }, OpenAI.BadRequestError],
      [{ model, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }, OpenAI.BadRequestError],
      [{ model, messages: [{ role: 'tool', content: 'x', tool_call_id: '1' }] }, OpenAI.BadRequestError],
      [{ model, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yes' }] }, OpenAI.BadRequestError],
      [{ model, messages: [{ role: 'user', content: '   ' }] }, OpenAI.BadRequestError],
      [{ model, messages: [] }, OpenAI.BadRequestError],
      [{ model, messages: [{ role: 'user', content: 5 }] }, OpenAI.BadRequestError],
      [{ messages: [{ role: 'user', content: 'hi' }] }, OpenAI.BadRequestError]
    ]
    for (const [body, expected] of asks) {
      const err = await client.chat.completions.create(body as never).catch((e: unknown) => e)
      expect(err, JSON.stringify(body)).toBeInstanceOf(expected)
      expect((err as InstanceType<typeof OpenAI.APIError>).error, JSON.stringify(body)).toMatchObject({ message: expect.any(String), type: 'invalid_request_error', code: expect.any(String) })
    }
    expect(t.upstream.chats).toHaveLength(0)
    expect(await texts(t, token)).toEqual([])
    // A JWT works on /v1 as a key does.
    const withToken = new OpenAI({ apiKey: token, baseURL: client.baseURL, maxRetries: 0 })
    expect((await withToken.models.list()).data).toHaveLength(1)
  })
})
