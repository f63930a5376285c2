import { createSigner } from 'fast-jwt'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'

const SECRET = 'a-jwt-secret-shared-by-two-databases-000'
const PASSWORD = 'correct horse battery'

async function app (env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp({ env: { JWT_SECRET: SECRET, ...env } })
  onTestFinished(() => t.close())
  return t
}

const changePassword = (t: TestApp, token: string, body: unknown) =>
  t.inject({ method: 'POST', url: '/user/password', headers: { authorization: `Bearer ${token}` }, payload: body as Record<string, unknown> })
const deleteAccount = (t: TestApp, token: string, body: unknown) =>
  t.inject({ method: 'DELETE', url: '/user/', headers: { authorization: `Bearer ${token}` }, payload: body as Record<string, unknown> })
const login = (t: TestApp, username: string, password: string) =>
  t.inject({ method: 'POST', url: '/token', payload: { username, password } })

/** Every operation the OpenAPI document marks as Bearer, with its path parameters filled in. */
async function bearerOperations (t: TestApp): Promise<Array<{ method: string, url: string }>> {
  const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>> }>()
  // /metrics takes the operator's METRICS_TOKEN, not a user's token.
  const operations = Object.entries(doc.paths).filter(([path]) => path !== '/metrics').flatMap(([path, methods]) => Object.entries(methods)
    .filter(([, op]) => (op.security ?? []).some((scheme) => 'bearer' in scheme))
    .map(([method]) => ({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, '5') })))
  // chat (2), history, status, report, password, deletion: 7 today; new ones are covered as they come.
  expect(operations.length).toBeGreaterThanOrEqual(7)
  return operations
}

/** The token answers 401 `invalid_token` on every Bearer endpoint, never 200 or 500. */
async function expectDeadEverywhere (t: TestApp, token: string): Promise<void> {
  for (const { method, url } of await bearerOperations(t)) {
    const res = await t.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(method === 'GET' ? {} : { payload: { message: 'hello', password: PASSWORD, current_password: PASSWORD, new_password: 'a new password' } })
    })
    expect(res.statusCode, `${method} ${url}`).toBe(401)
    // /v1 answers in OpenAI's error shape, with the same code.
    const expected = url.startsWith('/v1/') ? { error: { code: 'invalid_token' } } : { error: 'invalid_token' }
    expect(res.json(), `${method} ${url}`).toMatchObject(expected)
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
  }
}

describe('POST /user/password', () => {
  it('changes the password and ends every older token', async () => {
    const t = await app()
    const first = await t.signUp('eric', PASSWORD)
    const second = (await login(t, 'eric', PASSWORD)).json().access_token as string
    const res = await changePassword(t, first, { current_password: PASSWORD, new_password: 'a much better password' })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
    await expectDeadEverywhere(t, first)
    await expectDeadEverywhere(t, second)
    expect((await login(t, 'eric', PASSWORD)).statusCode).toBe(401)
    const fresh = (await login(t, 'eric', 'a much better password')).json().access_token as string
    expect((await t.get(fresh, '/user/status')).statusCode).toBe(200)
  })

  it('refuses a wrong current password or a weak new one, and changes nothing', async () => {
    const t = await app()
    const token = await t.signUp('eric', PASSWORD)
    const wrong = await changePassword(t, token, { current_password: 'not it at all', new_password: 'a much better password' })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toEqual({ error: 'invalid_credentials', detail: 'The password is not right.' })
    for (const body of [{ current_password: PASSWORD, new_password: 'short' }, { current_password: PASSWORD }, {}, { current_password: 5, new_password: 'a much better password' }]) {
      expect((await changePassword(t, token, body)).statusCode, JSON.stringify(body)).toBe(422)
    }
    expect((await t.get(token, '/user/status')).statusCode).toBe(200)
    expect((await login(t, 'eric', PASSWORD)).statusCode).toBe(200)
  })

  it('is throttled with logins: a stolen token cannot guess the password', async () => {
    const t = await app()
    const token = await t.signUp('eric', PASSWORD)
    for (let i = 0; i < 5; i++) expect((await changePassword(t, token, { current_password: `guess ${i}`, new_password: 'attacker password' })).statusCode).toBe(401)
    const refused = await changePassword(t, token, { current_password: PASSWORD, new_password: 'attacker password' })
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['retry-after']).toBe('900')
  })
})

describe('DELETE /user/', () => {
  it('deletes the account and everything of it; the token dies, the name is free', async () => {
    const t = await app()
    const token = await t.signUp('eric', PASSWORD)
    expect((await t.chat(token, 'remember me')).statusCode).toBe(200)
    const other = await t.signUp('alice', PASSWORD)
    expect((await t.chat(other, 'alice was here')).statusCode).toBe(200)

    const wrong = await deleteAccount(t, token, { password: 'not it at all' })
    expect(wrong.statusCode).toBe(401)
    expect((await t.get(token, '/user/history/10')).json()).toHaveLength(2)
    expect((await deleteAccount(t, token, {})).statusCode).toBe(422)

    const res = await deleteAccount(t, token, { password: PASSWORD })
    expect(res.statusCode).toBe(204)
    await expectDeadEverywhere(t, token)
    expect((await login(t, 'eric', PASSWORD)).statusCode).toBe(401)

    // A new account of the same name (in SQLite it may even get the same id) starts empty.
    const again = await t.signUp('Eric', 'another good password')
    expect((await t.get(again, '/user/history/10')).json()).toEqual([])
    expect((await t.get(again, '/user/status')).json()).toMatchObject({ username: 'Eric', chat_cnt: 0 })
    expect((await t.get(again, '/conversations')).json()).toEqual([])
    await expectDeadEverywhere(t, token)
    // Nobody else's data went.
    expect((await t.get(other, '/user/history/10')).json()).toHaveLength(2)
  })
})

describe('a token is good only for a live account in this database', () => {
  it('is refused after the database is reset, though the same secret signed it and the id exists again', async () => {
    const before = await app()
    const old = await before.signUp('eric', PASSWORD)
    const reset = await app()
    const current = await reset.signUp('eric', PASSWORD)
    // Same secret, same name, and (SQLite) the same user id: still another account.
    const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { sub: string }
    if (reset.config.MONGODB_URI === undefined) expect(claims(old).sub).toBe(claims(current).sub)
    await expectDeadEverywhere(reset, old)
    expect((await reset.get(current, '/user/status')).statusCode).toBe(200)
  })

  it('refuses validly signed tokens of users that do not exist, with 401 and never 500', async () => {
    const t = await app()
    await t.signUp('eric', PASSWORD)
    const sign = createSigner({ key: SECRET, algorithm: 'HS256', noTimestamp: true })
    const exp = Math.floor(t.clock.now / 1000) + 600
    const base = { name: 'eric', iss: 'simple-chat', aud: 'simple-chat-api', exp, ver: 'x' }
    for (const sub of ['999', '1', '0', '-1', 'abc', 'ffffffffffffffffffffffff', '']) {
      await expectDeadEverywhere(t, sign({ ...base, sub }))
    }
    // A token from before token versions (no `ver`) is refused too: log in again.
    const { ver: _ver, ...unversioned } = base
    await expectDeadEverywhere(t, sign({ ...unversioned, sub: '1' }))
  })
})
