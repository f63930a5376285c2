import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
afterEach(async () => { await t?.close() })

const login = (password: string, username = 'eric') => t.inject({ method: 'POST', url: '/token', payload: { username, password } })

describe('security', () => {
  it('throttles repeated failed logins for one username, and only failures count', async () => {
    t = await startTestApp()
    await t.signUp('eric', 'the right password')
    for (let i = 0; i < 3; i++) expect((await login('the right password')).statusCode).toBe(200)
    for (let i = 0; i < 5; i++) expect((await login(`guess ${i}`)).statusCode).toBe(401)
    const throttled = await login('the right password', 'ERIC')
    expect(throttled.statusCode).toBe(429)
    expect(throttled.json()).toMatchObject({ error: 'too_many_login_attempts', retry_after: 900 })
    expect(throttled.headers['retry-after']).toBe('900')
    // Other names are unaffected; the lock lifts when the window ends.
    await t.signUp('alice')
    expect((await login('correct horse battery', 'alice')).statusCode).toBe(200)
    t.clock.advance(15 * 60_000)
    expect((await login('the right password')).statusCode).toBe(200)
  })

  // The stored hash's format and salting are checked in test/auth/password.test.ts, whatever the store.
  it('lets two users with the same password each log in with it, and with nothing else', async () => {
    t = await startTestApp()
    await t.signUp('eric', 'same password')
    await t.signUp('alice', 'same password')
    for (const username of ['eric', 'alice']) {
      expect((await login('same password', username)).statusCode).toBe(200)
      expect((await login('same passwore', username)).statusCode).toBe(401)
    }
  })

  it('sends standard security headers, and no CORS headers unless configured', async () => {
    t = await startTestApp()
    const res = await t.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } })
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'")
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await t.inject({ method: 'OPTIONS', url: '/llm/message', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('allows the configured CORS origins only', async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://chat.example, https://other.example' } })
    const allowed = await t.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://chat.example' } })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://chat.example')
    const refused = await t.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } })
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
  })
})
