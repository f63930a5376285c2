import { createSigner } from 'fast-jwt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => { t = await startTestApp() })
afterEach(async () => { await t.close() })

const status = (token: string) => t.get(token, '/user/status')

describe('POST /token', () => {
  it('logs in with the OAuth2 password form and with JSON, in either spelling of the name', async () => {
    await t.signUp('Eric', 'correct horse battery')
    const form = await t.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=password&username=eric&password=correct+horse+battery'
    })
    expect(form.statusCode).toBe(200)
    const body = form.json()
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 })
    expect((await status(body.access_token)).json()).toEqual({ username: 'Eric', chat_cnt: 0, daily_limit: 20, burst_limit: 3, burst_window_seconds: 30, model: 'mistralai/mistral-7b-instruct' })

    const json = await t.inject({ method: 'POST', url: '/token', payload: { username: 'ERIC', password: 'correct horse battery' } })
    expect(json.statusCode).toBe(200)
  })

  it('answers a wrong password and an unknown user alike: 401, WWW-Authenticate, same body', async () => {
    await t.signUp('eric')
    const wrong = await t.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'wrong password' } })
    const unknown = await t.inject({ method: 'POST', url: '/token', payload: { username: 'nobody', password: 'wrong password' } })
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401)
      expect(res.headers['www-authenticate']).toBe('Bearer')
    }
    expect(wrong.json()).toEqual(unknown.json())
    expect(wrong.json()).toEqual({ error: 'invalid_credentials', detail: 'Incorrect username or password.' })
  })

  it('answers 422 for a form missing a field', async () => {
    const res = await t.inject({ method: 'POST', url: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=eric' })
    expect(res.statusCode).toBe(422)
  })
})

describe('Bearer tokens', () => {
  it('refuses a missing or malformed Authorization header with 401 and WWW-Authenticate', async () => {
    for (const authorization of [undefined, '', 'Bearer', 'Basic abc', 'Bearer a b', 'Bearer \u00e9']) {
      const res = await t.inject({ method: 'GET', url: '/user/status', headers: authorization === undefined ? {} : { authorization } })
      expect(res.statusCode, String(authorization)).toBe(401)
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
      expect(res.json()).toHaveProperty('error')
    }
  })

  it('refuses tampered, re-signed, unsigned, foreign-audience and expired tokens', async () => {
    const token = await t.signUp('eric')
    expect((await status(token)).statusCode).toBe(200)

    const [header, payload, signature] = token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, name: 'admin' })).toString('base64url')
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`
    const wrongKey = createSigner({ key: 'another-secret-that-is-long-enough-to-sign', algorithm: 'HS256', noTimestamp: true })(claims)
    const secret = t.config.JWT_SECRET
    expect(secret).toBeUndefined() // generated into the data dir
    const { readFileSync } = await import('node:fs')
    const realKey = readFileSync(`${t.dataDir}/jwt-secret`, 'utf8')
    const hs512 = createSigner({ key: realKey, algorithm: 'HS512', noTimestamp: true })(claims)
    const otherAudience = createSigner({ key: realKey, algorithm: 'HS256', noTimestamp: true })({ ...claims, aud: 'something-else' })
    const expired = createSigner({ key: realKey, algorithm: 'HS256', noTimestamp: true })({ ...claims, exp: Math.floor(t.clock.now / 1000) - 10 })
    const stillGood = createSigner({ key: realKey, algorithm: 'HS256', noTimestamp: true })(claims)
    expect((await status(stillGood)).statusCode).toBe(200)

    for (const [name, bad] of Object.entries({
      tampered: `${header}.${forged}.${signature}`,
      unsigned,
      wrongKey,
      hs512,
      otherAudience,
      expired,
      truncated: token.slice(0, -4)
    })) {
      const res = await status(bad)
      expect(res.statusCode, name).toBe(401)
      expect(res.json(), name).toMatchObject({ error: 'invalid_token' })
    }
  })

  it('issues tokens that expire after ACCESS_TOKEN_TTL_MINUTES', async () => {
    await t.signUp('eric')
    const res = await t.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'correct horse battery' } })
    const token = res.json().access_token
    t.clock.advance(60 * 60_000 - 1000)
    expect((await status(token)).statusCode).toBe(200)
    t.clock.advance(1000)
    expect((await status(token)).statusCode).toBe(401)
  })
})
