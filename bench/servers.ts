/**
 * The benchmark's helper processes, one role each: `upstream [delay-ms]` (an OpenAI-compatible
 * server answering at once, or after the delay, as a real provider would), `slow <pieces> <ms>`
 * (one that writes each reply as a real LLM does: a piece every <ms>, over https with HTTP/2 and
 * HTTP/1.1 offered, its key and certificate in TLS_KEY_FILE and TLS_CERT_FILE) and `passthrough` (a
 * bare Fastify server forwarding /llm/message to the upstream with no auth, limits or storage: the
 * floor the gateway is compared against). Prints `ready <url>`.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createSecureServer } from 'node:http2'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { Pool } from 'undici'

const [role, arg] = process.argv.slice(2)

if (role === 'upstream') {
  const reply = JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }] })
  const delayMs = Number(arg ?? 0)
  const answer = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) })
    res.end(reply)
  }
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (delayMs > 0) setTimeout(answer, delayMs, res)
      else answer(res)
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => console.log(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))
} else if (role === 'slow') {
  slowUpstream(Number(arg), Number(process.argv[4]))
} else if (role === 'passthrough') {
  const base = new URL(`${arg}/`)
  const pool = new Pool(base.origin, { connections: 128 })
  const path = new URL('chat/completions', base).pathname
  const app = Fastify()
  app.post<{ Body: { message: string } }>('/llm/message', async (request) => {
    const res = await pool.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 1024, messages: [{ role: 'user', content: request.body.message }] })
    })
    const body = await res.body.json() as { choices: Array<{ message: { content: string } }> }
    return { response: body.choices[0]?.message.content }
  })
  app.listen({ host: '127.0.0.1', port: 0 }).then((url) => console.log(`ready ${url}`), (err: unknown) => { console.error(err); process.exit(1) })
} else {
  console.error('usage: servers.ts upstream [delay-ms] | slow <pieces> <ms> | passthrough <upstream-url>')
  process.exitCode = 2
}

/**
 * Streams `pieces` pieces, one every `intervalMs` (the first after one interval), then ends; a
 * non-streaming request gets the whole reply at that time. `GET /v1/stats` counts the connections
 * opened and the chat requests per HTTP version.
 */
function slowUpstream (pieces: number, intervalMs: number): void {
  let connections = 0
  const versions: Record<string, number> = {}
  const chunk = (content: string): string => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`
  const ending = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`
  const answer = (req: IncomingMessage, res: ServerResponse, stream: boolean): void => {
    if (req.url === '/v1/stats' || req.url === '/v1/models') {
      res.end(JSON.stringify(req.url === '/v1/stats' ? { connections, versions } : { data: [] }))
      return
    }
    versions[req.httpVersion] = (versions[req.httpVersion] ?? 0) + 1
    if (stream) res.writeHead(200, { 'content-type': 'text/event-stream' })
    let sent = 0
    const next = (): void => {
      if (res.destroyed) return
      sent++
      if (stream) res.write(chunk(`word${sent} `))
      if (sent < pieces) setTimeout(next, intervalMs)
      else if (stream) res.end(ending)
      else {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'word '.repeat(pieces) }, finish_reason: 'stop' }] }))
      }
    }
    setTimeout(next, intervalMs)
  }
  const server = createSecureServer({ key: readFileSync(process.env.TLS_KEY_FILE ?? ''), cert: readFileSync(process.env.TLS_CERT_FILE ?? ''), allowHTTP1: true }, (req, res) => {
    const body: Buffer[] = []
    req.on('data', (data: Buffer) => body.push(data))
    req.on('end', () => {
      const stream = body.length > 0 && (JSON.parse(Buffer.concat(body).toString()) as { stream?: boolean }).stream === true
      answer(req as unknown as IncomingMessage, res as unknown as ServerResponse, stream)
    })
  })
  server.on('connection', () => { connections++ })
  server.listen(0, '127.0.0.1', () => console.log(`ready https://localhost:${(server.address() as AddressInfo).port}/v1`))
}
