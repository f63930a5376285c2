import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { post, postStream, signUp, until, type SseEvent } from '../helpers/http-client.js'
import { prepareServers } from '../helpers/servers.js'

describe('SIGTERM drains', () => {
  it('lets a reply in flight finish, stops an open stream with its error event, stores both, exits 0', { timeout: 300_000 }, async () => {
    // The open stream is stopped 1 s before the grace runs out, so the test waits that long; the
    // plain reply must be stored before then, on however loaded a machine: 10 s (4 s was a race).
    const servers = await prepareServers('shutdown', { SHUTDOWN_GRACE_SECONDS: '10', BURST_MESSAGE_LIMIT: '10' })
    const server = await servers.start()
    const token = await signUp(server.url, 'eric')

    // A stream that sends one piece, then nothing: only the shutdown can end it.
    servers.upstream.behave(() => ({ kind: 'stream', chunks: ['half a ', 'reply'], stallAfter: 1 }))
    let firstPiece = false
    const streamed = postStream(server.url, token, 'tell me a long story', { onEvent: (e: SseEvent) => { firstPiece ||= e.event === 'delta' } })
    await until(() => firstPiece)

    // A plain request whose provider answers only after the signal.
    let answer = (): void => {}
    const answered = new Promise<void>((resolve) => { answer = resolve })
    servers.upstream.behave(() => ({ kind: 'reply', text: 'a whole reply', after: answered }))
    const plain = post(server.url, '/llm/message', { message: 'a short question' }, token)
    await until(() => servers.upstream.chats.length === 2)

    const exited = once(server.child, 'exit')
    server.child.kill('SIGTERM')
    await until(() => server.logs.some((line) => line.includes('"msg":"closing"')))
    // No new connections once closing.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    answer()

    expect(await plain).toMatchObject({ status: 200, body: { response: 'a whole reply' } })
    const stream = await streamed
    expect(stream.events.map((e) => e.event)).toEqual(['delta', 'error'])
    expect(stream.events[1]?.data).toEqual({ error: 'shutting_down', detail: 'The server is restarting; try again in a moment.' })
    const [code, signal] = await exited as [number | null, string | null]
    expect({ code, signal }).toEqual({ code: 0, signal: null })

    // Both are kept: the finished reply, and what arrived of the stopped one.
    const again = await servers.start()
    const history = await (await fetch(`${again.url}/user/history/10`, { headers: { authorization: `Bearer ${token}` } })).json()
    // (In the order they were stored: the stopped reply last.)
    expect(history).toMatchObject([
      { type: 'user', text: 'tell me a long story', status: 'answered' },
      { type: 'user', text: 'a short question', status: 'answered' },
      { type: 'ai', text: 'a whole reply', status: 'complete' },
      { type: 'ai', text: 'half a ', status: 'incomplete' }
    ])
  })
})
