import OpenAI from 'openai'
import { describe, expect, it, onTestFinished } from 'vitest'
import { MIDDLE_OUT_MARKER } from '../../src/middle-out/cut-text.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { echo } from '../helpers/upstream.js'

/** The real app on a real socket, a user with an API key, and the official SDK pointed at it. */
async function setUp (env: Record<string, string> = {}): Promise<{ t: TestApp, client: OpenAI, token: string, model: string }> {
  // Many calls a test: the limits are another test's.
  const t = await startTestApp({ env: { BURST_MESSAGE_LIMIT: '100', ...env } })
  onTestFinished(() => t.close())
  const base = await t.listen()
  const token = await t.signUp('eric')
  const key = (await t.inject({ method: 'POST', url: '/user/api-keys', headers: { authorization: `Bearer ${token}` }, payload: { name: 'sdk' } })).json<{ key: string }>().key
  const client = new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0, timeout: 60_000 })
  return { t, client, token, model: t.config.LLM_MODEL }
}

const USAGE = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }
const hi = [{ role: 'user' as const, content: 'hi' }]

async function collect (stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<OpenAI.ChatCompletionChunk[]> {
  const chunks: OpenAI.ChatCompletionChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

describe('/v1 usage and finish_reason, from the provider', () => {
  it('passes a completion\'s usage and finish_reason through; omits usage the provider did not give (or gave unreadable)', async () => {
    const { t, client, model } = await setUp()
    t.upstream.behave(() => ({ kind: 'reply', text: 'cut sh', finishReason: 'length', usage: USAGE }))
    const cut = await client.chat.completions.create({ model, messages: hi })
    expect(cut.choices[0]?.finish_reason).toBe('length')
    expect(cut.usage).toEqual(USAGE)

    t.upstream.behave(() => ({ kind: 'reply', text: 'withheld', finishReason: 'content_filter', usage: { prompt_tokens: 4, completion_tokens: 1 } }))
    const filtered = await client.chat.completions.create({ model, messages: hi })
    expect(filtered.choices[0]?.finish_reason).toBe('content_filter')
    expect(filtered.usage).toEqual({ prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 })

    for (const [finishReason, usage] of [['eos', undefined], [null, { prompt_tokens: -1, completion_tokens: 2 }], ['tool_calls', { prompt_tokens: '3', completion_tokens: 2 }], ['stop', { prompt_tokens: 1.5, completion_tokens: 2 }]] as const) {
      t.upstream.behave(() => ({ kind: 'reply', text: 'ok', finishReason, usage }))
      const plain = await client.chat.completions.create({ model, messages: hi })
      expect(plain.choices[0]?.finish_reason, String(finishReason)).toBe('stop')
      expect(plain, JSON.stringify(usage)).not.toHaveProperty('usage')
    }
  })

  it('streams the provider\'s finish_reason, and its usage in a last chunk when the client asks (stream_options.include_usage)', async () => {
    const { t, client, token, model } = await setUp()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['Hel', 'lo'], finishReason: 'length', usage: USAGE }))
    const chunks = await collect(await client.chat.completions.create({ model, messages: hi, stream: true, stream_options: { include_usage: true } }))
    expect(t.upstream.chats.at(-1)?.body.stream_options).toEqual({ include_usage: true })
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toEqual(USAGE)
    // Every other chunk carries usage: null, as OpenAI's do; the one before the usage ends the text.
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length')
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello')

    // Not asked: no usage anywhere, and the provider is not asked for it.
    const plain = await collect(await client.chat.completions.create({ model, messages: hi, stream: true }))
    expect(t.upstream.chats.at(-1)?.body).not.toHaveProperty('stream_options')
    expect(plain.some((chunk) => 'usage' in chunk)).toBe(false)
    expect(plain.at(-1)?.choices[0]?.finish_reason).toBe('length')
    expect((await t.get(token, '/user/history/4')).json<Array<{ text: string, status: string }>>().map((r) => [r.text, r.status]))
      .toEqual([['hi', 'answered'], ['Hello', 'complete'], ['hi', 'answered'], ['Hello', 'complete']])
  })

  it('asked for usage a provider does not give, the stream ends without it, also when the provider leaves after the text', async () => {
    const { t, client, token, model } = await setUp()
    for (const afterFinish of ['done', 'end', 'reset'] as const) {
      t.upstream.behave(() => ({ kind: 'stream', chunks: ['all ', 'here'], afterFinish }))
      const chunks = await collect(await client.chat.completions.create({ model, messages: hi, stream: true, stream_options: { include_usage: true } }))
      expect(chunks.at(-1)?.choices[0]?.finish_reason, afterFinish).toBe('stop')
      expect(chunks.every((chunk) => chunk.usage === null), afterFinish).toBe(true)
      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('all here')
    }
    const records = (await t.get(token, '/user/history/6')).json<Array<{ type: string, text: string, status: string }>>()
    expect(records.filter((r) => r.type === 'ai').map((r) => [r.text, r.status])).toEqual(Array(3).fill(['all here', 'complete']))
  })

  it('takes the last count from a provider that counts as it goes, and none that may be short', async () => {
    const { t, client, model } = await setUp()
    const event = (body: unknown): string => `data: ${JSON.stringify(body)}\n\n`
    const piece = (content: string, usage?: unknown): string => event({ choices: [{ index: 0, delta: { content }, finish_reason: null }], ...(usage === undefined ? {} : { usage }) })
    const finish = (usage?: unknown): string => event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], ...(usage === undefined ? {} : { usage }) })
    const ask = async (body: string): Promise<OpenAI.ChatCompletionChunk[]> => {
      t.upstream.behave(() => ({ kind: 'raw', body }))
      return await collect(await client.chat.completions.create({ model, messages: hi, stream: true, stream_options: { include_usage: true } }))
    }
    const count = (n: number): unknown => ({ prompt_tokens: 5, completion_tokens: n, total_tokens: 5 + n })
    // A count on every chunk, the finish's the whole reply's.
    expect((await ask(`${piece('a', count(1))}${piece('b', count(2))}${finish(count(3))}data: [DONE]\n\n`)).at(-1)?.usage).toEqual(count(3))
    // Counts along the way and a last one after the finish.
    expect((await ask(`${piece('a', count(1))}${finish()}${event({ choices: [], usage: count(2) })}data: [DONE]\n\n`)).at(-1)?.usage).toEqual(count(2))
    // Counts along the way, none at or after the finish, then [DONE]: the last one is the whole.
    expect((await ask(`${piece('a', count(1))}${piece('b', count(2))}${finish()}data: [DONE]\n\n`)).at(-1)?.usage).toEqual(count(2))
    // The same with no [DONE]: the body just ends; no end was seen after the count, so none is given.
    const unsure = await ask(`${piece('a', count(1))}${piece('b', count(2))}${finish()}`)
    expect(unsure.every((chunk) => chunk.usage === null)).toBe(true)
    expect(unsure.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('ab')
  })

  it('a stream cut before its finish is still an error, usage asked or not', async () => {
    const { t, client, model } = await setUp()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['half', 'never'], failAfter: 1 }))
    const failed = await collect(await client.chat.completions.create({ model, messages: hi, stream: true, stream_options: { include_usage: true } })).catch((err: unknown) => err)
    expect(failed).toBeInstanceOf(OpenAI.APIError)
  })
})

describe('/v1 fields forwarded to the provider, refused or ignored', () => {
  it('forwards sampling as sent, max_tokens lowered to LLM_MAX_TOKENS; ignores the rest; the seed\'s endpoint sends none of it', async () => {
    const { t, client, token, model } = await setUp({ LLM_MAX_TOKENS: '300' })
    const sampling = { temperature: 0.3, top_p: 0.9, max_tokens: 50, stop: ['\n\n', 'END'], presence_penalty: -0.5, frequency_penalty: 1.5, seed: 42 }
    await client.chat.completions.create({
      model,
      messages: hi,
      ...sampling,
      user: 'end-user-7',
      metadata: { a: 'b' },
      logit_bias: { 1: 100 },
      tool_choice: 'none',
      logprobs: false,
      response_format: { type: 'text' },
      // Unknown fields, and provider-specific ones: never sent on (the provider's bill is the server's).
      ...({ provider: { order: ['x'] }, transforms: ['middle-out'], models: ['other/model'] } as object)
    })
    expect(t.upstream.chats.at(-1)?.body).toEqual({
      model,
      messages: [{ role: 'system', content: expect.any(String) }, { role: 'user', content: 'hi' }],
      stream: false,
      ...sampling
    })

    await client.chat.completions.create({ model, messages: hi, max_tokens: 100_000, temperature: null, stop: 'x' })
    expect(t.upstream.chats.at(-1)?.body).toEqual({ model, messages: expect.any(Array), stream: false, max_tokens: 300, stop: 'x' })
    await client.chat.completions.create({ model, messages: hi, max_completion_tokens: 20, max_tokens: 30 })
    expect(t.upstream.chats.at(-1)?.body.max_tokens).toBe(20)
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['x'] }))
    await collect(await client.chat.completions.create({ model, messages: hi, stream: true, max_completion_tokens: 1000, seed: 0 }))
    expect(t.upstream.chats.at(-1)?.body).toEqual({ model, messages: expect.any(Array), stream: true, max_tokens: 300, seed: 0 })

    t.upstream.behave(echo)
    expect((await t.chat(token, 'plain')).statusCode).toBe(200)
    expect(Object.keys(t.upstream.chats.at(-1)?.body ?? {}).sort()).toEqual(['max_tokens', 'messages', 'model', 'stream'])
    expect(t.upstream.chats.at(-1)?.body.max_tokens).toBe(300)
  })

  it('a smaller max_tokens leaves the prompt the rest of the window: middle-out keeps only the room asked for', async () => {
    const { t, client, model } = await setUp({ LLM_CONTEXT_TOKENS: '2000', LLM_MAX_TOKENS: '1000' })
    // About 1,400 tokens (two a word) and the system prompt: over the 1,000 left beside LLM_MAX_TOKENS, within the 1,900 beside 100.
    const long = [{ role: 'user' as const, content: 'hello '.repeat(700) }]
    const sent = (): string => (t.upstream.chats.at(-1)?.body.messages as Array<{ content: string }>).map((m) => m.content).join('')
    await client.chat.completions.create({ model, messages: long })
    expect(sent()).toContain(MIDDLE_OUT_MARKER)
    await client.chat.completions.create({ model, messages: long, max_tokens: 100 })
    expect(sent()).not.toContain(MIDDLE_OUT_MARKER)
    expect(t.upstream.chats.at(-1)?.body.max_tokens).toBe(100)
  })

  it('refuses what it would have to ignore to answer, and sampling outside OpenAI\'s ranges, storing nothing and asking no provider', async () => {
    const { t, client, token, model } = await setUp()
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ logprobs: true, top_logprobs: 2 }, 'logprobs'],
      [{ response_format: { type: 'json_object' } }, 'response_format'],
      [{ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }, 'response_format'],
      [{ modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
      [{ audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
      [{ functions: [{ name: 'f' }] }, 'functions'],
      [{ temperature: 2.5 }, 'temperature'],
      [{ temperature: -0.1 }, 'temperature'],
      [{ top_p: 1.01 }, 'top_p'],
      [{ max_tokens: 0 }, 'max_tokens'],
      [{ max_tokens: 1.5 }, 'max_tokens'],
      [{ max_completion_tokens: -3 }, 'max_completion_tokens'],
      [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
      [{ stop: '' }, 'stop'],
      [{ stop: [3] }, 'stop'],
      [{ presence_penalty: 2.01 }, 'presence_penalty'],
      [{ frequency_penalty: '1' }, 'frequency_penalty'],
      [{ seed: 2 ** 60 }, 'seed'],
      [{ seed: 'x' }, 'seed'],
      [{ stream_options: { include_usage: 'yes' } }, 'stream_options']
    ]
    for (const [fields, param] of refused) {
      const err = await client.chat.completions.create({ model, messages: hi, ...fields } as never).catch((e: unknown) => e)
      expect(err, JSON.stringify(fields)).toBeInstanceOf(OpenAI.BadRequestError)
      const body = (err as InstanceType<typeof OpenAI.BadRequestError>).error as { message: string, type: string }
      expect(body.type, JSON.stringify(fields)).toBe('invalid_request_error')
      expect(body.message, JSON.stringify(fields)).toContain(param)
    }
    // The reason is said in the client's language too.
    const zh = await t.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN' }, payload: { model, messages: hi, n: 2 } })
    expect(zh.json()).toMatchObject({ error: { message: '这里不支持 n：每次请求只生成一个回复。', code: 'unsupported_parameter', param: 'n' } })
    expect((await t.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${token}` }, payload: { model, messages: hi, n: 2 } })).json().error.message)
      .toBe('n is not supported here: one choice per request.')
    expect(t.upstream.chats).toHaveLength(0)
    expect((await t.get(token, '/user/history/5')).json()).toEqual([])
    expect((await t.get(token, '/user/status')).json()).toMatchObject({ chat_cnt: 0 })
  })
})
