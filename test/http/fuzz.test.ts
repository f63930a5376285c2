import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
let token: string
let operations: Array<{ method: string, path: string }>

beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: 'silent', MAX_MESSAGE_CHARS: '2000' } })
  token = await t.signUp('fuzzer')
  const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> }
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })))
})
afterAll(async () => { await t.close() })

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '0', '-1', '1e9', 'null', '%00', '../..', '{"$gt":""}', '\u0000', '😀'))
const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ username: fc.oneof(text, fc.jsonValue()), password: fc.oneof(text, fc.jsonValue()), message: fc.oneof(text, fc.jsonValue()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom('', '{', '[]', 'null', '{"__proto__": {"x": 1}}', '{"constructor": {"prototype": {}}}', 'username=a&password=b&username=c')
)
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/json; charset=latin1')
const authorization = fc.oneof(fc.constant(undefined), text.map((s) => `Bearer ${s}`), fc.constant('valid'), text)

describe('hostile input, generated from the OpenAPI document', () => {
  it('never answers 5xx, always answers errors as JSON {error, detail}, on every documented operation', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(7)
    const exercised = new Set<string>()
    await fc.assert(fc.asyncProperty(
      fc.nat(), text, fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }), body, contentType, authorization, fc.boolean(),
      async (pick, param, query, payload, type, auth, stream) => {
        const op = operations[pick % operations.length] as { method: string, path: string }
        const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(param))
        const qs = new URLSearchParams(query).toString()
        const headers: Record<string, string> = {}
        if (type !== '') headers['content-type'] = type
        if (auth !== undefined) headers.authorization = auth === 'valid' ? `Bearer ${token}` : auth
        if (stream) headers.accept = 'text/event-stream'
        const res = await t.inject({
          method: op.method as 'GET',
          url: qs === '' ? path : `${path}?${qs}`,
          headers,
          ...(op.method === 'GET' ? {} : { payload })
        })
        exercised.add(`${op.method} ${op.path}`)
        expect(res.statusCode, `${op.method} ${path} → ${res.body.slice(0, 200)}`).toBeLessThan(500)
        if (res.statusCode >= 400) {
          // /v1 answers in OpenAI's error shape (README "OpenAI-compatible API").
          expect(res.json()).toEqual(path.startsWith('/v1/')
            ? { error: expect.objectContaining({ message: expect.any(String), type: expect.any(String), code: expect.any(String) }) }
            : expect.objectContaining({ error: expect.any(String), detail: expect.any(String) }))
          expect(res.body).not.toMatch(/\bat .+\.(ts|js):\d+/)
        }
        t.clock.advance(31_000) // keep the burst limit out of the way
      }
    ), { numRuns: 1500 })
    expect([...exercised].sort()).toEqual(operations.map((op) => `${op.method} ${op.path}`).sort())
    const health = await t.inject({ method: 'GET', url: '/healthz' })
    expect(health.statusCode).toBe(200)
  })

  it('survives oversize payloads and odd encodings', async () => {
    for (const [payload, type] of [
      ['x'.repeat(3 * 1024 * 1024), 'application/json'],
      [Buffer.from([0xff, 0xfe, 0x00, 0x7b]), 'application/json'],
      [JSON.stringify({ message: 'x'.repeat(100_000) }), 'application/json'],
      ['{"message": "\\ud800"}', 'application/json']
    ] as const) {
      const res = await t.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload })
      expect(res.statusCode).toBeLessThan(500)
      expect(res.json()).toHaveProperty('error')
      t.clock.advance(31_000)
    }
  })
})
