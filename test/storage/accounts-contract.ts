import { describe, expect, it } from 'vitest'
import type { AttemptScope, QuotaWindow } from '../../src/domain/limits.js'
import type { Store } from '../../src/domain/store.js'

/**
 * The accounts part of the storage contract (login and registration attempts), run by
 * `describeStoreContract` against every backend with the store of the running test.
 */

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const MINUTE = 60_000

const pair = (limit = 5, owner = 'eric'): AttemptScope => ({ key: `login:${owner}@127.0.0.2`, limit, windowMs: 15 * MINUTE, owner })
const address = (limit = 30): AttemptScope => ({ key: 'address:127.0.0.2', limit, windowMs: 15 * MINUTE })
const DAY = 86_400_000
const window = (now: number, burstLimit = 3): QuotaWindow => ({ now, dayStart: Math.floor(now / DAY) * DAY, dailyLimit: 20, burstStart: now - 30_000 + 1, burstLimit, pendingSince: now - 120_000 })
const ALL_TIME = { since: 0, until: T0 + DAY, offsets: [{ from: 0, offsetMs: 0 }], textChars: 100 }

export function describeAccountsContract (current: () => Store): void {
  /** A user with answered messages, a refusal and a failed login attempt under their name. */
  async function busyUser (store: Store, username: string): Promise<string> {
    const user = await store.createUser(username, 'scrypt$hash', T0 - DAY)
    if (user === null) throw new Error(`could not create ${username}`)
    for (let i = 0; i < 3; i++) {
      const at = T0 + i * 1000
      const admitted = await store.admitMessage({ userId: user.id, text: `${username} ${i}`, endpoint: 'message', createdAt: at }, window(at))
      if (!admitted.admitted) throw new Error('refused')
      await store.completeMessage(admitted.messageId, { text: `reply ${i}`, createdAt: at + 500, status: 'complete' })
    }
    expect((await store.admitMessage({ userId: user.id, text: 'refused', endpoint: 'message', createdAt: T0 + 3000 }, window(T0 + 3000))).admitted).toBe(false)
    expect((await store.reserveAttempt([pair(1, username.toLowerCase()), address(100)], T0)).reserved).toBe(true)
    expect(await store.createApiKey(user.id, 'laptop', `hash of ${username}`, T0)).not.toBeNull()
    expect(await store.createConversation(user.id, 'empty', T0)).not.toBeNull()
    return user.id
  }

  describe('accounts', () => {
    it('gives each user a token version of its own, and finds users by id', async () => {
      const store = current()
      const eric = await store.createUser('Eric', 'h1', T0)
      const alice = await store.createUser('alice', 'h2', T0)
      expect(eric?.tokenVersion).toMatch(/^\S{16,}$/)
      expect(alice?.tokenVersion).not.toBe(eric?.tokenVersion)
      expect(await store.findUserById(eric?.id ?? '')).toEqual(eric)
      expect(await store.findUser('ERIC')).toEqual(eric)
      for (const nobody of ['', 'abc', '0', '-1', '1.5', '1e3', '99999999', 'ffffffffffffffffffffffff', '{"$gt": ""}', ' 1']) {
        expect(await store.findUserById(nobody), nobody).toBeNull()
      }
    })

    it('changes the password hash and the token version together', async () => {
      const store = current()
      const before = await store.createUser('eric', 'old hash', T0)
      const after = await store.changePassword(before?.id ?? '', 'new hash')
      expect(after).toEqual({ ...before, passwordHash: 'new hash', tokenVersion: expect.any(String) })
      expect(after?.tokenVersion).not.toBe(before?.tokenVersion)
      expect(await store.findUserById(before?.id ?? '')).toEqual(after)
      expect(await store.changePassword('ffffffffffffffffffffffff', 'x')).toBeNull()
      expect(await store.changePassword('99999999', 'x')).toBeNull()
    })

    it('deletes a user and everything of theirs, and nothing of anyone else', async () => {
      const store = current()
      const eric = await busyUser(store, 'Eric')
      const alice = await busyUser(store, 'alice')
      const aliceBefore = { history: await store.history(alice, 100), report: await store.report(alice, ALL_TIME, () => true), conversations: await store.listConversations(alice, { limit: 10 }) }
      const ericConversations = await store.listConversations(eric, { limit: 10 })
      expect(ericConversations).toHaveLength(2)

      expect(await store.deleteUser(eric)).toBe(true)
      expect(await store.findUser('eric')).toBeNull()
      expect(await store.findUserById(eric)).toBeNull()
      expect(await store.history(eric, 100)).toEqual([])
      for (const { id } of ericConversations) {
        expect(await store.promptHistory(eric, id, 100)).toEqual([])
        expect(await store.findConversation(eric, id)).toBeNull()
      }
      expect(await store.listConversations(eric, { limit: 10 })).toEqual([])
      expect(await store.countToday(eric, window(T0 + 4000))).toBe(0)
      const report = await store.report(eric, ALL_TIME, () => true)
      expect([report.messagesSent, report.repliesReceived, report.refusals.daily + report.refusals.burst]).toEqual([0, 0, 0])
      // Eric's failed login is gone; the address's count (not his) stays.
      expect((await store.reserveAttempt([pair(1, 'eric')], T0)).reserved).toBe(true)
      expect((await store.reserveAttempt([pair(1, 'alice')], T0)).reserved).toBe(false)
      expect(await store.findApiKey('hash of Eric')).toBeNull()
      expect(await store.listApiKeys(eric)).toEqual([])
      expect(await store.findApiKey('hash of alice')).toMatchObject({ userId: alice, name: 'laptop' })

      expect(await store.history(alice, 100)).toEqual(aliceBefore.history)
      expect(await store.report(alice, ALL_TIME, () => true)).toEqual(aliceBefore.report)
      expect(await store.listConversations(alice, { limit: 10 })).toEqual(aliceBefore.conversations)
      expect(await store.deleteUser(eric)).toBe(false)
      expect(await store.deleteUser('not an id')).toBe(false)

      // The name is free again, for a new account that starts empty.
      const again = await store.createUser('eric', 'another hash', T0 + 5000)
      expect(again).not.toBeNull()
      expect(await store.history(again?.id ?? '', 100)).toEqual([])
      expect((await store.admitMessage({ userId: again?.id ?? '', text: 'hi', endpoint: 'message', createdAt: T0 + 5000 }, window(T0 + 5000))).admitted).toBe(true)
    })
  })

  describe('api keys', () => {
    it('stores, finds by hash, lists newest first and deletes only the owner\'s keys', async () => {
      const store = current()
      const eric = (await store.createUser('eric', 'h', T0))?.id ?? ''
      const alice = (await store.createUser('alice', 'h', T0))?.id ?? ''
      const first = await store.createApiKey(eric, 'laptop', 'a'.repeat(64), T0)
      const second = await store.createApiKey(eric, 'Open WebUI 🙂', 'b'.repeat(64), T0 + 1)
      expect(first).toEqual({ id: expect.any(String), userId: eric, name: 'laptop', createdAt: T0 })
      expect(await store.findApiKey('b'.repeat(64))).toEqual(second)
      expect(await store.findApiKey('c'.repeat(64))).toBeNull()
      expect(await store.listApiKeys(eric)).toEqual([second, first])
      expect(await store.listApiKeys(alice)).toEqual([])
      // The same hash twice is refused (the database's unique index), never two owners of one key.
      await expect(store.createApiKey(alice, 'copy', 'a'.repeat(64), T0)).rejects.toThrow()
      expect(await store.deleteApiKey(alice, first?.id ?? '')).toBe(false)
      expect(await store.findApiKey('a'.repeat(64))).toEqual(first)
      expect(await store.deleteApiKey(eric, first?.id ?? '')).toBe(true)
      expect(await store.deleteApiKey(eric, first?.id ?? '')).toBe(false)
      expect(await store.findApiKey('a'.repeat(64))).toBeNull()
      expect(await store.listApiKeys(eric)).toEqual([second])
      for (const nobody of ['', 'abc', '0', '99999999', 'ffffffffffffffffffffffff', '{"$gt": ""}']) {
        expect(await store.createApiKey(nobody, 'x', nobody + 'd'.repeat(64), T0), nobody).toBeNull()
        expect(await store.deleteApiKey(eric, nobody), nobody).toBe(false)
        expect(await store.listApiKeys(nobody), nobody).toEqual([])
      }
    })
  })

  describe('an api key\'s conversation', () => {
    it('links once: the first link wins, a stale link is replaced only as it was read; gone with the key', async () => {
      const store = current()
      const eric = (await store.createUser('eric', 'h', T0))?.id ?? ''
      const key = await store.createApiKey(eric, 'sdk', 'e'.repeat(64), T0)
      if (key === null) throw new Error('no key')
      const [a, b, c] = await Promise.all(['one', 'two', 'three'].map(async (title) => (await store.createConversation(eric, title, T0))?.id ?? ''))
      expect(await store.findApiKey('e'.repeat(64))).toEqual(key)
      expect(key).not.toHaveProperty('conversationId')
      // Two first messages at once: both ask to link from "none"; the second gets the first's.
      expect(await store.linkApiKeyConversation(key.id, a as string, null)).toBe(a)
      expect(await store.linkApiKeyConversation(key.id, b as string, null)).toBe(a)
      expect(await store.findApiKey('e'.repeat(64))).toEqual({ ...key, conversationId: a })
      expect(await store.listApiKeys(eric)).toEqual([{ ...key, conversationId: a }])
      // Replacing a deleted one: only from the link as it was read.
      expect(await store.linkApiKeyConversation(key.id, c as string, b as string)).toBe(a)
      expect(await store.linkApiKeyConversation(key.id, c as string, a as string)).toBe(c)
      expect((await store.findApiKey('e'.repeat(64)))?.conversationId).toBe(c)
      for (const bad of ['', 'abc', '{"$gt": ""}']) {
        expect(await store.linkApiKeyConversation(bad, a as string, null), bad).toBeNull()
        expect(await store.linkApiKeyConversation(key.id, bad, null), bad).toBeNull()
      }
      expect(await store.deleteApiKey(eric, key.id)).toBe(true)
      expect(await store.linkApiKeyConversation(key.id, a as string, c as string)).toBeNull()
    })
  })

  describe('attempts', () => {
    it('reserves up to the limit, then refuses until the oldest leaves the window', async () => {
      const store = current()
      for (let i = 0; i < 3; i++) expect((await store.reserveAttempt([pair(3)], T0 + i * MINUTE)).reserved).toBe(true)
      expect(await store.reserveAttempt([pair(3)], T0 + 3 * MINUTE)).toEqual({ reserved: false, retryAt: T0 + 15 * MINUTE })
      // One millisecond before the first expires, still full; at its expiry, room for one.
      expect((await store.reserveAttempt([pair(3)], T0 + 15 * MINUTE - 1)).reserved).toBe(false)
      expect((await store.reserveAttempt([pair(3)], T0 + 15 * MINUTE)).reserved).toBe(true)
      expect(await store.reserveAttempt([pair(3)], T0 + 15 * MINUTE)).toEqual({ reserved: false, retryAt: T0 + 16 * MINUTE })
    })

    it('takes a slot in every scope or in none, and waits for the last full one', async () => {
      const store = current()
      const other = (n: number): AttemptScope => ({ ...pair(5, `user${n}`) })
      for (let n = 0; n < 2; n++) expect((await store.reserveAttempt([other(n), address(2)], T0 + n * MINUTE)).reserved).toBe(true)
      // The address is full: the new pair gets nothing, so it still has all its slots afterwards.
      expect(await store.reserveAttempt([other(2), address(2)], T0 + 2 * MINUTE)).toEqual({ reserved: false, retryAt: T0 + 15 * MINUTE })
      for (let i = 0; i < 5; i++) expect((await store.reserveAttempt([other(2)], T0 + 3 * MINUTE)).reserved).toBe(true)
      // Both full: the answer is when both have room.
      expect(await store.reserveAttempt([address(2), other(2)], T0 + 4 * MINUTE)).toEqual({ reserved: false, retryAt: T0 + 18 * MINUTE })
    })

    it('reserves exactly the limit of many simultaneous attempts', async () => {
      const store = current()
      const results = await Promise.all(Array.from({ length: 60 }, () => store.reserveAttempt([pair(5), address(30)], T0)))
      expect(results.filter((r) => r.reserved)).toHaveLength(5)
      const spread = await Promise.all(Array.from({ length: 60 }, (_, n) => store.reserveAttempt([pair(5, `u${n}`), address(30)], T0)))
      // Five of the address's thirty went to eric above.
      expect(spread.filter((r) => r.reserved)).toHaveLength(25)
    })

    it('gives a released attempt back, and forgets a cleared scope entirely', async () => {
      const store = current()
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const r = await store.reserveAttempt([pair(3), address(4)], T0)
        if (r.reserved) ids.push(r.id)
      }
      expect(ids).toHaveLength(3)
      // A success: its own slots come back in both scopes, and the pair's failures are forgotten...
      await store.releaseAttempt(ids[2] as string, [pair().key, address().key], [pair().key])
      for (let i = 0; i < 3; i++) expect((await store.reserveAttempt([pair(3)], T0 + 1)).reserved).toBe(true)
      // ...but not the address's: it still holds the two failures, so room for two more.
      for (let i = 0; i < 2; i++) expect((await store.reserveAttempt([address(4)], T0 + 1)).reserved).toBe(true)
      expect((await store.reserveAttempt([address(4)], T0 + 1)).reserved).toBe(false)
      // Releasing an unknown id or key changes nothing and does not throw.
      await store.releaseAttempt('no-such-attempt', ['no-such-scope'], ['nor-this'])
      expect((await store.reserveAttempt([address(4)], T0 + 1)).reserved).toBe(false)
    })

    it('keeps scopes apart, keys taken literally', async () => {
      const store = current()
      const odd = ['{"$gt": ""}', '$where', 'a.b', '__proto__', 'login:eric@127.0.0.2 ']
      for (const key of odd) expect((await store.reserveAttempt([{ key, limit: 1, windowMs: MINUTE }], T0)).reserved).toBe(true)
      expect((await store.reserveAttempt([pair(1)], T0)).reserved).toBe(true)
      for (const key of odd) expect((await store.reserveAttempt([{ key, limit: 1, windowMs: MINUTE }], T0)).reserved).toBe(false)
    })
  })
}
