import { describe, expect, it, onTestFinished } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { post, tally, type JsonResponse } from '../helpers/http-client.js'
import { prepareServers } from '../helpers/servers.js'

// Real sockets: the attacker connects from 127.0.0.2, the owner from 127.0.0.3 (both loopback).
const ATTACKER = '127.0.0.2'
const OWNER = '127.0.0.3'
const PASSWORD = 'the owner password'

const login = (url: string, username: string, password: string, source: string) => post(url, '/token', { username, password }, undefined, source)
const register = (url: string, username: string, source: string, password = PASSWORD) => post(url, '/user/', { username, password }, undefined, source)

async function app (env: Record<string, string> = {}): Promise<{ t: TestApp, url: string }> {
  const t = await startTestApp({ env })
  onTestFinished(() => t.close())
  return { t, url: await t.listen() }
}

function expectThrottled (res: JsonResponse): void {
  expect(res.status).toBe(429)
  expect(res.body).toMatchObject({ error: 'too_many_login_attempts', retry_after: expect.any(Number) })
  const wait = Number(res.headers.get('retry-after'))
  expect(wait).toBe(res.body.retry_after)
  expect(wait).toBeGreaterThan(0)
  expect(wait).toBeLessThanOrEqual(15 * 60)
}

/** 100 simultaneous guesses at the owner's password, the right one among them (at `right`). */
async function guessInParallel (url: string, right: number): Promise<{ results: JsonResponse[], checked: number }> {
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => login(url, 'owner', i === right ? PASSWORD : `guess number ${i}`, ATTACKER)))
  // Every answer that is not a 429 had its password checked.
  const checked = results.filter((r) => r.status !== 429).length
  return { results, checked }
}

/** The attack scenarios of the issue, against one server (in-process or WORKERS=2). */
async function underAttack (url: string): Promise<void> {
  expect((await register(url, 'owner', OWNER)).status).toBe(201)

  const { results, checked } = await guessInParallel(url, 57)
  expect(checked).toBeLessThanOrEqual(5)
  for (const res of results.filter((r) => r.status === 429)) expectThrottled(res)
  // The right password got in only if it was among those checked; now it is refused from there.
  const right = results[57] as JsonResponse
  expect([200, 429]).toContain(right.status)
  if (right.status !== 200) expectThrottled(await login(url, 'owner', PASSWORD, ATTACKER))

  // 50 more failures from the attacker's address change nothing for the owner at theirs.
  for (let i = 0; i < 50; i++) expect((await login(url, 'owner', `more ${i}`, ATTACKER)).status).toBe(429)
  expect((await login(url, 'owner', PASSWORD, OWNER)).status).toBe(200)

  // Spraying one password over 60 usernames from one address: refused once the address has had 30
  // failures (the attacker's failures at "owner" above count too).
  const sprayed = await Promise.all(Array.from({ length: 60 }, (_, i) => login(url, `user${i}`, 'Winter2026!', '127.0.0.4')))
  expect(tally(sprayed)).toEqual({ 401: 30, 429: 30 })
  for (const res of sprayed.filter((r) => r.status === 429)) expectThrottled(res)
  expect((await login(url, 'user61', 'Winter2026!', '127.0.0.4')).status).toBe(429)
  // ...and only that address.
  expect((await login(url, 'user61', 'Winter2026!', '127.0.0.5')).status).toBe(401)
}

// Real processes and hundreds of requests on a shared 2-core machine: generous time.
describe('login throttling on real sockets', { timeout: 300_000 }, () => {
  it('checks at most 5 of 100 simultaneous guesses, never locks the owner out, stops spraying', async () => {
    const { url } = await app()
    await underAttack(url)
  })

  it('does the same with WORKERS=2', async () => {
    const { start } = await prepareServers('throttle-workers', { WORKERS: '2' })
    const server = await start()
    await underAttack(server.url)
  })

  it('holds across a restart (the counts are in the database)', async () => {
    const { start } = await prepareServers('throttle-restart')
    const first = await start()
    expect((await register(first.url, 'owner', OWNER)).status).toBe(201)
    for (let i = 0; i < 5; i++) expect((await login(first.url, 'owner', `guess ${i}`, ATTACKER)).status).toBe(401)
    await first.stop()
    const second = await start()
    expectThrottled(await login(second.url, 'owner', PASSWORD, ATTACKER))
    expect((await login(second.url, 'owner', PASSWORD, OWNER)).status).toBe(200)
  })

  it('refuses the right password when it comes after the limit', async () => {
    const { url } = await app()
    expect((await register(url, 'owner', OWNER)).status).toBe(201)
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => login(url, 'owner', `guess ${i}`, ATTACKER)))
    expect(tally(guesses)).toEqual({ 401: 5, 429: 15 })
    expectThrottled(await login(url, 'owner', PASSWORD, ATTACKER))
  })
})

describe('login throttling rules', () => {
  it('forgets the failures of a username at an address when the right password comes, not the address\'s', async () => {
    const { url } = await app({ LOGIN_MAX_FAILURES_PER_ADDRESS: '8' })
    await register(url, 'owner', OWNER)
    for (let i = 0; i < 4; i++) expect((await login(url, 'owner', `typo ${i}`, OWNER)).status).toBe(401)
    expect((await login(url, 'owner', PASSWORD, OWNER)).status).toBe(200)
    // Four more typos are fine again for the pair; the address still holds the first four.
    for (let i = 0; i < 4; i++) expect((await login(url, 'owner', `typo ${i}`, OWNER)).status).toBe(401)
    expectThrottled(await login(url, 'someone-else', 'whatever', OWNER))
    // A success never frees the address's slots: an attacker with an account cannot reset them.
    expect((await login(url, 'owner', PASSWORD, OWNER)).status).toBe(429)
  })

  it('takes its limits and window from the configuration', async () => {
    const { t } = await app({ LOGIN_MAX_FAILURES: '2', LOGIN_WINDOW_MINUTES: '1' })
    await t.signUp('owner', PASSWORD)
    const attempt = (password: string) => t.inject({ method: 'POST', url: '/token', payload: { username: 'owner', password } })
    for (let i = 0; i < 2; i++) expect((await attempt('wrong')).statusCode).toBe(401)
    const refused = await attempt(PASSWORD)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['retry-after']).toBe('60')
    t.clock.advance(30_000)
    expect((await attempt(PASSWORD)).headers['retry-after']).toBe('30')
    t.clock.advance(30_000)
    expect((await attempt(PASSWORD)).statusCode).toBe(200)
  })

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const spoofed = async (t: TestApp, n: number) => (await t.inject({
      method: 'POST', url: '/token', payload: { username: 'owner', password: `guess ${n}` }, headers: { 'x-forwarded-for': `203.0.113.${n}` }
    })).statusCode
    const { t: direct } = await app()
    const statuses = []
    for (let n = 0; n < 7; n++) statuses.push(await spoofed(direct, n))
    // A client cannot pose as a new address per guess.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])

    const { t: proxied } = await app({ TRUST_PROXY: '127.0.0.1' })
    const behindProxy = []
    for (let n = 0; n < 7; n++) behindProxy.push(await spoofed(proxied, n))
    // Behind a trusted proxy each forwarded address is its own client.
    expect(behindProxy).toEqual([401, 401, 401, 401, 401, 401, 401])
  })

  it('counts an IPv6 client by its /64, and IPv4-mapped IPv6 as IPv4', async () => {
    const { clientAddress } = await import('../../src/http/client-address.js')
    expect(clientAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(clientAddress('2001:db8:1:2::1'))
    expect(clientAddress('2001:db8:1:2::1')).not.toBe(clientAddress('2001:db8:1:3::1'))
    expect(clientAddress('::ffff:192.0.2.7')).toBe('192.0.2.7')
    expect(clientAddress('192.0.2.7')).toBe('192.0.2.7')
    expect(clientAddress('not an address')).toBe('not an address')
  })
})

describe('registration limit', () => {
  it('allows REGISTRATIONS_PER_ADDRESS_PER_HOUR new accounts per address per hour', async () => {
    const { url } = await app({ REGISTRATIONS_PER_ADDRESS_PER_HOUR: '3' })
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => register(url, `new${i}`, ATTACKER)))
    expect(tally(results)).toEqual({ 201: 3, 429: 7 })
    const refused = results.find((r) => r.status === 429) as JsonResponse
    expect(refused.body).toMatchObject({ error: 'too_many_registrations', retry_after: 3600 })
    expect(refused.headers.get('retry-after')).toBe('3600')
    // Another address is not affected; a refused registration changed nothing.
    expect((await register(url, 'new9', OWNER)).status).toBe(201)
  })

  it('counts taken names too, so the cap also bounds probing for names', async () => {
    const { url } = await app({ REGISTRATIONS_PER_ADDRESS_PER_HOUR: '2' })
    expect((await register(url, 'taken', OWNER)).status).toBe(201)
    expect((await register(url, 'taken', ATTACKER)).status).toBe(409)
    expect((await register(url, 'taken', ATTACKER)).status).toBe(409)
    expect((await register(url, 'taken', ATTACKER)).status).toBe(429)
    // Invalid bodies are refused before they count.
    for (let i = 0; i < 3; i++) expect((await register(url, 'x', OWNER)).status).toBe(422)
    expect((await register(url, 'fresh', OWNER)).status).toBe(201)
  })
})
