import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { PAGE_CSP, VENDOR } from '../../src/http/plugins/web.js'
import { startTestApp, type TestApp } from '../helpers/app.js'

// How the page and its libraries are served: from this app only, compressed, revalidated by ETag,
// and only the files named (nothing else under node_modules). The chat's event stream is never
// compressed (a compressor would hold the pieces back).

let t: TestApp
afterEach(async () => { await t?.close() })

describe('serving the page', () => {
  it('serves each library as a JavaScript module or a stylesheet, compressed, with an ETag that answers 304', async () => {
    t = await startTestApp()
    for (const name of Object.keys(VENDOR)) {
      const res = await t.inject({ method: 'GET', url: `/vendor/${name}`, headers: { 'accept-encoding': 'br, gzip' } })
      expect(res.statusCode, name).toBe(200)
      expect(res.headers['content-type'], name).toMatch(name.endsWith('.js') ? /^(text|application)\/javascript/ : /^text\/css/)
      expect(res.headers['content-encoding'], name).toBe('br')
      const body = brotliDecompressSync(res.rawPayload).toString('utf8')
      expect(body.length, name).toBeGreaterThan(res.rawPayload.length)
      if (name.endsWith('.js')) expect(body, name).toMatch(/export\s*\{|export default/)
      const etag = res.headers.etag
      expect(etag, name).toBeTypeOf('string')
      const again = await t.inject({ method: 'GET', url: `/vendor/${name}`, headers: { 'if-none-match': String(etag) } })
      expect(again.statusCode, name).toBe(304)
    }
  })

  it('compresses the page itself (gzip for a client without brotli) and keeps its CSP', async () => {
    t = await startTestApp()
    const res = await t.inject({ method: 'GET', url: '/styles.css', headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(res.rawPayload).toString('utf8')).toContain(':root')
    const home = await t.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } })
    expect(home.headers['content-security-policy']).toBe(PAGE_CSP)
    expect(home.headers['content-encoding']).toBe('br')
  })

  it.each([
    '/vendor/package.json', '/vendor/..%2Fpackage.json', '/vendor/%2e%2e%2fmarked%2fpackage.json', '/vendor/toString',
    '/vendor/__proto__', '/node_modules/marked/package.json'
  ])('answers 404 in the contract\'s shape for %s', async (url) => {
    t = await startTestApp()
    const res = await t.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: expect.any(String), detail: expect.any(String) })
  })

  it('streams chat replies uncompressed, whatever the client accepts', async () => {
    t = await startTestApp()
    t.upstream.behave(() => ({ kind: 'stream', chunks: ['a'.repeat(3000), 'b'.repeat(3000)], delayMs: 1 }))
    const token = await t.signUp('zip')
    const res = await t.inject({
      method: 'POST',
      url: '/llm/message',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'accept-encoding': 'br, gzip' },
      payload: { message: 'hello' }
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.payload).toContain('event: done')
  })
})
