import { Client } from 'undici'
import { describe, expect, it } from 'vitest'
import { signUp, until } from '../helpers/http-client.js'
import { prepareServers } from '../helpers/servers.js'

const TOKEN = 'metrics-token-0123456789'

describe('WORKERS=2: one scrape of /metrics sees the whole server', () => {
  it('sums every worker\'s counts', { timeout: 240_000 }, async () => {
    const servers = await prepareServers('cluster-metrics', { WORKERS: '2', METRICS_TOKEN: TOKEN, BURST_MESSAGE_LIMIT: '100' })
    const server = await servers.start()
    await until(() => server.logs.filter((line) => line.includes('Server listening at')).length === 2, 120_000)
    const token = await signUp(server.url, 'eric')

    // A new connection each: the primary hands connections to the workers in turn.
    const send = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number, text: string }> => {
      const client = new Client(server.url)
      try {
        const res = await client.request({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) })
        return { status: res.statusCode, text: await res.body.text() }
      } finally {
        await client.close()
      }
    }
    for (let i = 0; i < 6; i++) {
      expect((await send('POST', '/llm/message', { authorization: `Bearer ${token}` }, { message: `hello ${i}` })).status).toBe(200)
    }
    // Both workers answered some (their pids are in the request lines).
    const pids = new Set(server.logs.filter((line) => line.includes('"route":"/llm/message"')).map((line) => (JSON.parse(line) as { pid: number }).pid))
    expect(pids.size).toBe(2)

    for (let scrape = 0; scrape < 2; scrape++) {
      const res = await send('GET', '/metrics', { authorization: `Bearer ${TOKEN}` })
      expect(res.status).toBe(200)
      expect(res.text).toContain('simplechat_chat_messages_total{endpoint="message",outcome="answered"} 6')
      expect(res.text).toContain('http_request_duration_seconds_count{method="POST",route="/llm/message",status_code="200"} 6')
    }
  })
})
