/**
 * The benchmark's helper processes, one role each: `upstream [delay-ms]` (an OpenAI-compatible
 * server answering at once, or after the delay, as a real provider would) and `passthrough` (a
 * bare Fastify server forwarding /llm/message to the upstream with no auth, limits or storage: the
 * floor the gateway is compared against). Prints `ready <url>`.
 */
import { createServer, type ServerResponse } from 'node:http'
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
  console.error('usage: servers.ts upstream [delay-ms] | passthrough <upstream-url>')
  process.exitCode = 2
}
