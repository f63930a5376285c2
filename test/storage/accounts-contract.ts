import { describe, expect, it } from 'vitest'
import type { AttemptScope, Store } from '../../src/storage/store.js'

/**
 * The accounts part of the storage contract (login and registration attempts), run by
 * `describeStoreContract` against every backend with the store of the running test.
 */

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const MINUTE = 60_000

const pair = (limit = 5, owner = 'eric'): AttemptScope => ({ key: `login:${owner}@127.0.0.2`, limit, windowMs: 15 * MINUTE, owner })
const address = (limit = 30): AttemptScope => ({ key: 'address:127.0.0.2', limit, windowMs: 15 * MINUTE })

export function describeAccountsContract (current: () => Store): void {
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
