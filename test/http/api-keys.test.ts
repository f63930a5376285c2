import { createHash } from 'node:crypto'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

async function app (): Promise<TestApp> {
  const t = await startTestApp()
  onTestFinished(() => t.close())
  return t
}

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` })
const createKey = (t: TestApp, token: string, payload: unknown) =>
  t.inject({ method: 'POST', url: '/user/api-keys', headers: bearer(token), payload: payload as Record<string, unknown> })

describe('personal API keys', () => {
  it('creates a key shown once, lists keys without it, and the key works where a token does until revoked', async () => {
    const t = await app()
    const token = await t.signUp('eric')
    const created = await createKey(t, token, { name: '  Open WebUI  ' })
    expect(created.statusCode).toBe(201)
    const body = created.json<{ id: string, name: string, key: string, created_at: string }>()
    expect(body).toEqual({ id: expect.any(String), name: 'Open WebUI', key: expect.stringMatching(/^sk-sc-[A-Za-z0-9_-]{43}$/), created_at: new Date(t.clock.now).toISOString() })

    // Only the hash is in the database, never the key.
    const { default: Sqlite } = await import('better-sqlite3')
    const db = new Sqlite(`${t.dataDir}/simple-chat.db`, { readonly: true })
    const rows = db.prepare('SELECT * FROM api_keys').all() as Array<Record<string, unknown>>
    db.close()
    expect(JSON.stringify(rows)).not.toContain(body.key.slice(6))
    expect(rows[0]?.key_hash).toBe(createHash('sha256').update(body.key).digest('hex'))

    const listed = await t.get(token, '/user/api-keys')
    expect(listed.json()).toEqual([{ id: body.id, name: 'Open WebUI', created_at: body.created_at }])
    expect(listed.body).not.toContain(body.key)

    expect((await t.chat(body.key, 'hello with a key')).statusCode).toBe(200)
    const history = await t.get(body.key, '/user/history/10')
    expect(history.json<Array<{ text: string }>>().map((r) => r.text)).toContain('hello with a key')

    // A key cannot manage keys: a leaked one cannot mint more or revoke the others.
    expect((await createKey(t, body.key, { name: 'more' })).statusCode).toBe(403)
    expect((await t.inject({ method: 'DELETE', url: `/user/api-keys/${body.id}`, headers: bearer(body.key) })).statusCode).toBe(403)

    expect((await t.inject({ method: 'DELETE', url: `/user/api-keys/${body.id}`, headers: bearer(token) })).statusCode).toBe(204)
    const revoked = await t.get(body.key, '/user/history/10')
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json()).toMatchObject({ error: 'invalid_token' })
    expect((await t.inject({ method: 'DELETE', url: `/user/api-keys/${body.id}`, headers: bearer(token) })).json()).toMatchObject({ error: 'api_key_not_found' })
    expect((await t.get(token, '/user/api-keys')).json()).toEqual([])
  })

  it('keeps users apart and refuses bad input without changing anything', async () => {
    const t = await app()
    const eric = await t.signUp('eric')
    const alice = await t.signUp('alice')
    const key = (await createKey(t, eric, { name: 'laptop' })).json<{ id: string, key: string }>()
    const theirs = await t.inject({ method: 'DELETE', url: `/user/api-keys/${key.id}`, headers: bearer(alice) })
    expect(theirs.statusCode).toBe(404)
    expect((await t.get(alice, '/user/api-keys')).json()).toEqual([])
    for (const payload of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 5 }, { name: '\uD800' }]) {
      const res = await createKey(t, eric, payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(422)
    }
    for (const id of ['abc', '0', '99999', 'ffffffffffffffffffffffff', '%7B%7D']) {
      expect((await t.inject({ method: 'DELETE', url: `/user/api-keys/${id}`, headers: bearer(eric) })).statusCode, id).toBe(404)
    }
    expect((await t.get(eric, '/user/api-keys')).json()).toHaveLength(1)
    // Guessed, truncated or altered keys are refused.
    for (const guess of ['sk-sc-', `${key.key}x`, key.key.slice(0, -1), key.key.replace('sk-sc-', 'sk-SC-')]) {
      expect((await t.get(guess, '/user/history/1')).statusCode, guess).toBe(401)
    }
  })

  it('goes with the account', async () => {
    const t = await app()
    const token = await t.signUp('eric')
    const key = (await createKey(t, token, { name: 'laptop' })).json<{ key: string }>()
    const deleted = await t.inject({ method: 'DELETE', url: '/user/', headers: bearer(token), payload: { password: 'correct horse battery' } })
    expect(deleted.statusCode).toBe(204)
    expect((await t.get(key.key, '/user/history/1')).statusCode).toBe(401)
    // The same name again: the old key names nobody.
    await t.signUp('eric')
    expect((await t.get(key.key, '/user/history/1')).statusCode).toBe(401)
  })
})
