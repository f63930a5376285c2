import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { createSecureServer } from 'node:http2'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/** One request the upstream received, body parsed. */
export interface UpstreamRequest {
  method: string
  path: string
  /** '1.1', or '2.0' when it came over HTTP/2. */
  httpVersion: string
  headers: IncomingHttpHeaders
  body: {
    model?: string
    max_tokens?: number
    stream?: boolean
    messages?: Array<{ role: string, content: string }>
    stream_options?: { include_usage?: boolean }
    /** The sampling fields a client may set, and anything else sent. */
    [field: string]: unknown
  }
}

/** What the upstream does with one chat-completions request. */
export type Behaviour =
  /** `after`, when given, is awaited before the reply is sent; `finishReason` (default `stop`) and `usage` as sent. */
  | { kind: 'reply', text: string, after?: Promise<unknown>, finishReason?: string | null, usage?: unknown }
  | { kind: 'status', status: number, body?: unknown, headers?: Record<string, string> }
  | { kind: 'raw', status?: number, body: string }
  | { kind: 'hang' }
  | { kind: 'reset' }
  /**
   * SSE chunks; `fragment` writes the whole stream in pieces of that many bytes instead (frames split
   * anywhere, even inside a character); `failAfter`/`stallAfter` reset or go silent after that many chunks;
   * `holdBefore[i]` is awaited before chunk i is written, so a test sees each step without racing a timer.
   * The last chunk has `finishReason` (default `stop`); `usage` follows it in a chunk of its own when the
   * request asked for it (`stream_options.include_usage`), as OpenAI does, then `afterFinish` decides
   * the end: `[DONE]` (default), the body simply ending, or the connection reset.
   */
  | { kind: 'stream', chunks: string[], delayMs?: number, failAfter?: number, stallAfter?: number, fragment?: number, holdBefore?: Record<number, Promise<unknown>>, finishReason?: string, usage?: unknown, afterFinish?: 'done' | 'end' | 'reset' }
  /**
   * A reply that never ends (`bytes` unset) or is `bytes` long, written `piece` by `piece`, every
   * `delayMs` (else as fast as the socket takes it): a JSON completion whose content goes on, or SSE
   * frames; `declare` sends a Content-Length of `bytes` up front.
   */
  | { kind: 'flood', format: 'json' | 'sse', bytes?: number, piece?: number, delayMs?: number, declare?: boolean }
  /** Holds the request, sending nothing, until `until` settles; then does `then`. */
  | { kind: 'wait', until: Promise<unknown>, then: Behaviour }

/** How the upstream is served: plain HTTP/1.1 (the default), or TLS with HTTP/2 offered or not. */
export interface UpstreamOptions {
  tls?: { key: string, cert: string, http2: boolean }
}

export interface Upstream {
  /** Base URL to use as LLM_BASE_URL. */
  url: string
  requests: UpstreamRequest[]
  /** Chat requests only, in arrival order. */
  readonly chats: UpstreamRequest[]
  /** How many responses the client closed before they were complete. */
  readonly aborted: number
  /** How many connections clients opened. */
  readonly connections: number
  /** Sets what the next chat requests get; the default replies "Echo: <last user message>". */
  behave (fn: (request: UpstreamRequest) => Behaviour): void
  /** The model list served at GET /models. */
  models: Array<{ id: string, context_length?: number }>
  close (): Promise<void>
}

export function echo (request: UpstreamRequest): Behaviour {
  const last = request.body.messages?.at(-1)?.content ?? ''
  return { kind: 'reply', text: `Echo: ${last.slice(0, 100)}` }
}

/**
 * A small OpenAI-compatible server on 127.0.0.1: records every request and answers
 * chat completions as told (replies, errors, hangs, resets, malformed bodies, SSE streams).
 * With `tls` it serves https, over HTTP/2 when the client offers it and `tls.http2` is set (the
 * compatibility API: the same handler serves both versions).
 */
export async function startUpstream (options: UpstreamOptions = {}): Promise<Upstream> {
  let behaviour: (request: UpstreamRequest) => Behaviour = echo
  const requests: UpstreamRequest[] = []
  const sockets = new Set<Socket>()
  let models: Upstream['models'] = []
  let aborted = 0
  let connections = 0

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: Error) => res.destroy(err))
  }
  const { tls } = options
  const server = tls === undefined
    ? createServer(onRequest)
    : tls.http2
      // The compatibility request and response have the members the handler uses.
      ? createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, onRequest as never)
      : createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest)
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = (req.url ?? '').split('?')[0] as string
    const request: UpstreamRequest = { method: req.method ?? '', path, httpVersion: req.httpVersion, headers: req.headers, body: raw === '' ? {} : JSON.parse(raw) }
    requests.push(request)

    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, { data: models })
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return json(res, 404, { error: { message: 'not found' } })

    await answer(req, res, request, behaviour(request))
  }

  async function answer (req: IncomingMessage, res: ServerResponse, request: UpstreamRequest, b: Behaviour): Promise<void> {
    switch (b.kind) {
      case 'reply':
        await b.after
        return json(res, 200, {
          id: 'chatcmpl-test',
          object: 'chat.completion',
          model: request.body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: b.text }, finish_reason: b.finishReason === undefined ? 'stop' : b.finishReason }],
          ...(b.usage === undefined ? {} : { usage: b.usage })
        })
      case 'status':
        return json(res, b.status, b.body ?? { error: { message: `upstream says ${b.status}` } }, b.headers)
      case 'raw':
        res.writeHead(b.status ?? 200, { 'content-type': 'application/json' })
        res.end(b.body)
        return
      case 'hang':
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'stream':
        return stream(res, request, b)
      case 'flood':
        return flood(res, b)
      case 'wait':
        await b.until
        return answer(req, res, request, b.then)
    }
  }

  async function flood (res: ServerResponse, b: Extract<Behaviour, { kind: 'flood' }>): Promise<void> {
    const piece = b.piece ?? 16 * 1024
    const sse = b.format === 'sse'
    res.writeHead(200, {
      'content-type': sse ? 'text/event-stream' : 'application/json',
      ...(b.declare === true && b.bytes !== undefined ? { 'content-length': String(b.bytes) } : {})
    })
    res.once('close', () => { if (!res.writableFinished) aborted++ })
    // Each SSE piece is one whole frame; JSON is one string value that never closes.
    const frame = sse
      ? `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x'.repeat(Math.max(1, piece - 64)) }, finish_reason: null }] })}\n\n`
      : 'x'.repeat(piece)
    let sent = 0
    if (!sse) {
      res.write('{"choices":[{"message":{"role":"assistant","content":"')
      sent += 50
    }
    while (!res.destroyed && (b.bytes === undefined || sent < b.bytes)) {
      const chunk = b.bytes === undefined ? frame : frame.slice(0, b.bytes - sent)
      sent += Buffer.byteLength(chunk)
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')])
      await new Promise((resolve) => (b.delayMs === undefined ? setImmediate(resolve) : setTimeout(resolve, b.delayMs)))
    }
    if (!res.destroyed) res.end()
  }

  async function stream (res: ServerResponse, request: UpstreamRequest, b: Extract<Behaviour, { kind: 'stream' }>): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.once('close', () => { if (!res.writableFinished) aborted++ })
    const frame = (content: string): string => `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', model: request.body.model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`
    const usage = b.usage !== undefined && request.body.stream_options?.include_usage === true
      ? `data: ${JSON.stringify({ id: 'chatcmpl-test', choices: [], usage: b.usage })}\n\n`
      : ''
    const ending = `data: ${JSON.stringify({ id: 'chatcmpl-test', choices: [{ index: 0, delta: {}, finish_reason: b.finishReason ?? 'stop' }] })}\n\n${usage}${b.afterFinish === undefined || b.afterFinish === 'done' ? 'data: [DONE]\n\n' : ''}`
    if (b.fragment !== undefined) {
      const bytes = Buffer.from(`: keep-alive comment\n\n${b.chunks.map(frame).join('')}${ending}`)
      for (let at = 0; at < bytes.length; at += b.fragment) {
        res.write(bytes.subarray(at, at + b.fragment))
        await new Promise((resolve) => setImmediate(resolve))
      }
      res.end()
      return
    }
    for (const [i, piece] of b.chunks.entries()) {
      if (b.failAfter === i) {
        res.socket?.destroy()
        return
      }
      if (b.stallAfter === i) return
      await b.holdBefore?.[i]
      if (res.destroyed) return
      res.write(frame(piece))
      if (b.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, b.delayMs))
    }
    if (b.afterFinish === 'reset') {
      res.write(ending, () => res.socket?.destroy())
      return
    }
    res.end(ending)
  }

  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    // The test certificate names localhost.
    url: tls === undefined ? `http://127.0.0.1:${port}/v1` : `https://localhost:${port}/v1`,
    requests,
    get chats () { return requests.filter((r) => r.path === '/v1/chat/completions') },
    get aborted () { return aborted },
    get connections () { return connections },
    behave (fn) { behaviour = fn },
    get models () { return models },
    set models (list) { models = list },
    async close () {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    }
  }
}

function json (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
