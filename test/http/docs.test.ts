import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => { t = await startTestApp() })
afterAll(async () => { await t.close() })

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document describing every endpoint of the SPEC', async () => {
    const res = await t.inject({ method: 'GET', url: '/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/user/', '/token', '/llm/message', '/llm/message/advanced', '/user/history/{last_n}', '/user/status', '/healthz'
    ]))
    const message = doc.paths['/llm/message'].post
    expect(Object.keys(message.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '413', '422', '502', '503', '504']))
    expect(message.security).toEqual([{ bearer: [] }])
    expect(doc.components.securitySchemes.bearer.flows.password.tokenUrl).toBe('/token')
  })

  it('serves Swagger UI at /docs from the app itself', async () => {
    const page = await t.inject({ method: 'GET', url: '/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]+\.[a-z]/i)
    const asset = await t.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' })
    expect(asset.statusCode).toBe(200)
  })
})
