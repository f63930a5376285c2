import { describe, expect, it, onTestFinished } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { gate, openStream, post, signUp, tally, until, type JsonResponse } from '../helpers/http-client.js'
import { echo, type Behaviour, type UpstreamRequest } from '../helpers/upstream.js'

const RAISED = { DAILY_MESSAGE_LIMIT: '1000', BURST_MESSAGE_LIMIT: '1000' }

async function start (env: Record<string, string>): Promise<{ t: TestApp, url: string, token: string }> {
  const t = await startTestApp({ env: { ...RAISED, ...env } })
  onTestFinished(() => t.close())
  const url = await t.listen()
  return { t, url, token: await signUp(url, 'eric') }
}

async function get (url: string, path: string, token: string): Promise<unknown> {
  return await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()
}

/** The echo reply, streamed when the request asks for a stream. */
function echoEither (request: UpstreamRequest): Behaviour {
  const reply = echo(request)
  return request.body.stream === true && reply.kind === 'reply' ? { kind: 'stream', chunks: [reply.text] } : reply
}

function expectBusy (status: number, body: JsonResponse['body'] | undefined, retryAfter: string | null): void {
  expect(status).toBe(503)
  expect(body?.error).toBe('llm_busy')
  expect(typeof body?.detail).toBe('string')
  expect(body?.retry_after).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBe(String(body?.retry_after))
}

describe('LLM_MAX_CONCURRENT: a saturated provider is answered, not queued', () => {
  it('answers the chats beyond the cap 503 llm_busy while the others are still being written, using no quota', async () => {
    const { t, url, token } = await start({ LLM_MAX_CONCURRENT: '3' })
    const held = gate()
    t.upstream.behave((request) => ({ kind: 'wait', until: held.promise, then: echoEither(request) }))

    const writing = [post(url, '/llm/message', { message: 'first' }, token), post(url, '/llm/message', { message: 'second' }, token)]
    const streaming = await openStream(url, token, 'third')
    await until(() => t.upstream.chats.length === 3)

    // The three are held at the provider: every answer below comes while they wait.
    const refusedJson = await Promise.all(['x1', 'x2', 'x3'].map(async (message) => {
      const res = await fetch(`${url}/llm/message`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ message }) })
      return { status: res.status, body: await res.json() as JsonResponse['body'], retryAfter: res.headers.get('retry-after') }
    }))
    for (const r of refusedJson) expectBusy(r.status, r.body, r.retryAfter)
    const refusedStreams = await Promise.all(['y1', 'y2'].map((message) => openStream(url, token, message, '/llm/message/advanced')))
    for (const r of refusedStreams) expectBusy(r.status, r.json, r.headers.get('retry-after'))
    expect(t.upstream.chats).toHaveLength(3)

    // Refused messages were never admitted: not counted, not in history.
    expect(await get(url, '/user/status', token)).toMatchObject({ chat_cnt: 3 })
    held.open()
    expect(tally(await Promise.all(writing))).toEqual({ 200: 2 })
    expect((await streaming.events()).at(-1)).toMatchObject({ event: 'done', data: { response: 'Echo: third' } })

    // The slots came back: the next chat is written.
    expect((await post(url, '/llm/message', { message: 'after' }, token)).status).toBe(200)
    const history = await get(url, '/user/history/50', token) as Array<{ text: string }>
    expect(history.map((r) => r.text).filter((text) => /^(x|y)\d$/.test(text))).toEqual([])
    expect(await get(url, '/user/status', token)).toMatchObject({ chat_cnt: 4 })
  })

  it('sends a waiting stream its headers before the provider has said anything', async () => {
    const { t, url, token } = await start({})
    const held = gate()
    t.upstream.behave(() => ({ kind: 'wait', until: held.promise, then: { kind: 'stream', chunks: ['Hel', 'lo'] } }))

    const stream = await openStream(url, token, 'hello?')
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    await until(() => t.upstream.chats.length === 1)
    held.open()
    const events = await stream.events()
    expect(events.map((e) => e.event)).toEqual(['delta', 'delta', 'done'])
    expect(events.at(-1)?.data).toEqual({ response: 'Hello', conversation_id: expect.any(String) })
  })

  it('gives the slot back however a turn ends: refused by the limits, failed, finished or abandoned', async () => {
    const { t, url, token } = await start({ LLM_MAX_CONCURRENT: '1', BURST_MESSAGE_LIMIT: '1' })
    const chat = async (message: string): Promise<JsonResponse> => await post(url, '/llm/message', { message }, token)

    expect((await chat('one')).status).toBe(200)
    expect((await chat('two')).body.error).toBe('burst_limit_exceeded')
    t.clock.advance(31_000)
    t.upstream.behave(() => ({ kind: 'status', status: 500 }))
    expect((await chat('three')).status).toBe(502)
    t.clock.advance(31_000)

    // A stream the client leaves mid-reply.
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['a', 'b', 'c'], stallAfter: 1 }))
    const controller = new AbortController()
    const res = await fetch(`${url}/llm/message`, { method: 'POST', signal: controller.signal, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ message: 'four' }) })
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    let text = ''
    while (!text.includes('event: delta')) text += new TextDecoder().decode((await reader.read()).value)
    controller.abort()
    await until(async () => (await get(url, '/user/history/1', token) as Array<{ status: string }>)[0]?.status === 'incomplete')
    t.clock.advance(31_000)

    // Still one slot: a chat is written (a leaked slot would answer llm_busy for ever).
    t.upstream.behave(echo)
    let last: JsonResponse | undefined
    await until(async () => {
      last = await chat('five')
      return last.status !== 503
    })
    expect(last?.status).toBe(200)
  })

  it('still gives the crisis reply, which needs no provider, when every slot is taken', async () => {
    const { t, url, token } = await start({ LLM_MAX_CONCURRENT: '1' })
    const held = gate()
    t.upstream.behave((request) => ({ kind: 'wait', until: held.promise, then: echo(request) }))
    const writing = post(url, '/llm/message', { message: 'hello' }, token)
    await until(() => t.upstream.chats.length === 1)

    expect((await post(url, '/llm/message', { message: 'hello again' }, token)).body.error).toBe('llm_busy')
    const crisis = await post(url, '/llm/message/advanced', { message: "I'm suicidal" }, token)
    expect(crisis.status).toBe(200)
    expect(crisis.body.response).toContain('https://findahelpline.com')
    // The plain endpoint too: its acute message cannot wait for a slot, so it gets the crisis reply.
    const plain = await post(url, '/llm/message', { message: 'i want to kill myself' }, token)
    expect(plain.status).toBe(200)
    expect(plain.body.response).toMatch(/^Thank you for telling me[^]*findahelpline\.com/)
    held.open()
    expect((await writing).status).toBe(200)
  })
})
