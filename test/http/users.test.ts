import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeEach(async () => { t = await startTestApp() })
afterEach(async () => { await t.close() })

describe('POST /user/', () => {
  it('creates a user and answers 201 with the name as registered, never the password', async () => {
    const res = await t.inject({ method: 'POST', url: '/user/', payload: { username: 'Eric', password: 'correct horse battery' } })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toEqual({ username: 'Eric', created_at: new Date(t.clock.now).toISOString() })
    expect(res.body).not.toContain('correct horse')
  })

  it('refuses a taken name regardless of case with 409', async () => {
    await t.signUp('Eric')
    for (const name of ['Eric', 'eric', 'ERIC']) {
      const res = await t.inject({ method: 'POST', url: '/user/', payload: { username: name, password: 'another password' } })
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ error: 'username_taken' })
      expect(res.json().detail).toMatch(/try another/)
    }
  })

  it.each([
    ['missing password', { username: 'eric' }],
    ['missing username', { password: 'correct horse battery' }],
    ['short username', { username: 'ab', password: 'correct horse battery' }],
    ['long username', { username: 'a'.repeat(33), password: 'correct horse battery' }],
    ['username with a space', { username: 'er ic', password: 'correct horse battery' }],
    ['non-ASCII username', { username: 'érïc', password: 'correct horse battery' }],
    ['short password', { username: 'eric', password: 'short' }],
    ['long password', { username: 'eric', password: 'x'.repeat(257) }],
    ['operator object as username', { username: { $gt: '' }, password: 'correct horse battery' }],
    ['number as password', { username: 'eric', password: 12345678 }],
    ['array as username', { username: ['eric'], password: 'correct horse battery' }],
    ['null body fields', { username: null, password: null }],
    ['a JSON array', [1, 2, 3]]
  ])('answers 422 for %s and creates nothing', async (_name, payload) => {
    const res = await t.inject({ method: 'POST', url: '/user/', payload: payload as object })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({ error: 'validation_error', detail: expect.any(String) })
    const login = await t.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: 'correct horse battery' } })
    expect(login.statusCode).toBe(401)
  })

  it('answers 400 for a body that is not JSON, 415 for an unknown type, 413 for a huge body', async () => {
    const bad = await t.inject({ method: 'POST', url: '/user/', headers: { 'content-type': 'application/json' }, payload: '{"username": "eric",' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'invalid_json' })

    const scalar = await t.inject({ method: 'POST', url: '/user/', headers: { 'content-type': 'application/json' }, payload: '"eric"' })
    expect(scalar.statusCode).toBe(422)

    const empty = await t.inject({ method: 'POST', url: '/user/', headers: { 'content-type': 'application/json' }, payload: '' })
    expect(empty.statusCode).toBe(400)

    const xml = await t.inject({ method: 'POST', url: '/user/', headers: { 'content-type': 'application/xml' }, payload: '<user/>' })
    expect(xml.statusCode).toBe(415)
    expect(xml.json()).toMatchObject({ error: 'unsupported_media_type' })

    const huge = await t.inject({ method: 'POST', url: '/user/', payload: { username: 'eric', password: 'x'.repeat(5 * 1024 * 1024) } })
    expect(huge.statusCode).toBe(413)
    expect(huge.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('refuses a prototype-poisoning body with a 4xx', async () => {
    const res = await t.inject({ method: 'POST', url: '/user/', headers: { 'content-type': 'application/json' }, payload: '{"username":"eric","password":"correct horse battery","__proto__":{"admin":true}}' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toHaveProperty('error')
  })

  it('answers unknown paths with a JSON 404', async () => {
    const res = await t.inject({ method: 'GET', url: '/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: 'not_found' })
  })
})
