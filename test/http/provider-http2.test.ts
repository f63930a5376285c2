import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gate, openStream, post, signUp, until } from '../helpers/http-client.js'
import { prepareServers } from '../helpers/servers.js'
import { selfSignedCertificate } from '../helpers/tls.js'

const RAISED = { DAILY_MESSAGE_LIMIT: '1000', BURST_MESSAGE_LIMIT: '1000' }

/**
 * The server process against an https provider with its own self-signed certificate, trusted the
 * way an operator trusts a private CA (NODE_EXTRA_CA_CERTS). `count` streaming chats are held at
 * the provider together, after one chat that opens the first connection; then all are let go.
 */
async function heldStreams (count: number, http2Offered: boolean, env: Record<string, string> = {}): Promise<{ versions: string[], connections: number }> {
  const cert = await selfSignedCertificate()
  const servers = await prepareServers('h2', {}, { tls: { ...cert, http2: http2Offered } })
  const caFile = join(servers.dataDir, 'provider-ca.pem')
  await writeFile(caFile, cert.cert)
  const { upstream } = servers
  const server = await servers.start({ ...RAISED, NODE_EXTRA_CA_CERTS: caFile, ...env })
  const token = await signUp(server.url, 'eric')
  expect((await post(server.url, '/llm/message', { message: 'warm up' }, token)).body.response).toBe('Echo: warm up')

  const held = gate()
  upstream.behave(() => ({ kind: 'wait', until: held.promise, then: { kind: 'stream', chunks: ['Hel', 'lo'] } }))
  const streams = await Promise.all(Array.from({ length: count }, (_, i) => openStream(server.url, token, `m${i}`)))
  await until(() => upstream.chats.length === count + 1)
  const seen = { versions: [...new Set(upstream.chats.map((c) => c.httpVersion))], connections: upstream.connections }
  held.open()
  for (const stream of streams) expect((await stream.events()).at(-1)).toEqual({ event: 'done', data: { response: 'Hello', conversation_id: expect.any(String) } })
  return seen
}

describe('HTTP/2 to the provider (undici allowH2 against node:http2 over TLS)', () => {
  it('carries many replies at once on a few HTTP/2 connections, 100 each', async () => {
    // After the warm-up the origin is known to speak h2: 150 at once need one connection more.
    const { versions, connections } = await heldStreams(150, true)
    expect(versions).toEqual(['2.0'])
    expect(connections).toBeLessThanOrEqual(3)
  })

  it('uses HTTP/1.1, one connection per reply, with LLM_HTTP2=false', async () => {
    const { versions, connections } = await heldStreams(10, true, { LLM_HTTP2: 'false' })
    expect(versions).toEqual(['1.1'])
    expect(connections).toBeGreaterThanOrEqual(10)
  })

  it('never pipelines replies on HTTP/1.1 when the provider does not offer HTTP/2', async () => {
    // Pipelined, the held replies would reach the provider one at a time and `until` would never hold.
    const { versions } = await heldStreams(10, false)
    expect(versions).toEqual(['1.1'])
  })
})
