import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Admission, QuotaWindow } from '../../src/domain/limits.js'
import type { Endpoint, NewMessage } from '../../src/domain/messages.js'
import type { Store } from '../../src/domain/store.js'
import type { User } from '../../src/domain/users.js'
import { describeAccountsContract } from './accounts-contract.js'
import { describeConversationsContract } from './conversations-contract.js'

/**
 * The storage contract: one suite, run against every backend (SQLite in `sqlite-contract.test.ts`,
 * MongoDB in `mongo-contract.test.ts`). It speaks only the `Store` interface, so a backend that
 * passes behaves as the service expects, limits and races included.
 */

export interface OpenedStore {
  store: Store
  /** Closes the store and removes what it stored (temp dir, test database). */
  dispose (): Promise<void>
}

const DAY = 86_400_000
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const DAY_START = Date.UTC(2026, 10, 25)

interface Limits { daily?: number, burst?: number, burstMs?: number, pendingMs?: number }

/** The window at `now`, as `createQuotaPolicy` builds it (UTC days). */
function windowAt (now: number, limits: Limits = {}): QuotaWindow {
  const burstMs = limits.burstMs ?? 30_000
  return {
    now,
    dayStart: Math.floor(now / DAY) * DAY,
    dailyLimit: limits.daily ?? 20,
    burstStart: now - burstMs + 1,
    burstLimit: limits.burst ?? 3,
    pendingSince: now - (limits.pendingMs ?? 120_000)
  }
}

function message (userId: string, createdAt: number, text = `hello at ${createdAt}`, endpoint: Endpoint = 'message'): NewMessage {
  return { userId, text, endpoint, createdAt }
}

function idOf (admission: Admission): string {
  if (!admission.admitted) throw new Error(`refused: ${admission.limit}`)
  return admission.messageId
}

export function describeStoreContract (name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store contract`, () => {
    let opened: OpenedStore
    let store: Store

    beforeEach(async () => {
      opened = await open()
      store = opened.store
    })
    afterEach(async () => {
      await opened.dispose()
    })

    async function user (username = 'eric'): Promise<User> {
      const created = await store.createUser(username, 'scrypt$hash', T0 - DAY)
      if (created === null) throw new Error(`could not create ${username}`)
      return created
    }

    /** The user's most recently used conversation, where messages without one go. */
    async function latest (userId: string): Promise<string> {
      const [newest] = await store.listConversations(userId, { limit: 1 })
      if (newest === undefined) throw new Error('no conversation')
      return newest.id
    }

    /** Admits and answers a message at `at`. */
    async function chat (userId: string, at: number, limits?: Limits): Promise<string> {
      const id = idOf(await store.admitMessage(message(userId, at), windowAt(at, limits)))
      await store.completeMessage(id, { text: `reply to ${at}`, createdAt: at + 500, status: 'complete' })
      return id
    }

    it('answers a ping (readiness) while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })

    describe('users', () => {
      it('creates a user and finds it by name, in any case', async () => {
        const created = await store.createUser('Eric', 'scrypt$hash', T0)
        expect(created).toEqual({ id: expect.any(String), username: 'Eric', passwordHash: 'scrypt$hash', createdAt: T0, tokenVersion: expect.any(String) })
        expect(await store.findUser('eric')).toEqual(created)
        expect(await store.findUser('ERIC')).toEqual(created)
        expect(await store.findUser('erik')).toBeNull()
      })

      it('refuses a name taken in another case', async () => {
        await user('Eric')
        expect(await store.createUser('eRIC', 'other', T0)).toBeNull()
        expect((await store.findUser('eric'))?.passwordHash).toBe('scrypt$hash')
      })

      it('creates exactly one of many simultaneous sign-ups of one name', async () => {
        const spellings = ['eric', 'Eric', 'ERIC', 'eRic', 'erIC', 'ErIc', 'eriC', 'ERic', 'eRIC', 'ErIC']
        const results = await Promise.all(spellings.map((name) => store.createUser(name, 'h', T0)))
        expect(results.filter((r) => r !== null)).toHaveLength(1)
      })

      it('takes operator-looking names as plain strings', async () => {
        const odd = ['{"$gt": ""}', '$gt', '$where', '$ne', "x' OR '1'='1", 'a.b', '__proto__', 'constructor']
        for (const name of odd) expect(await store.createUser(name, `hash of ${name}`, T0)).not.toBeNull()
        for (const name of odd) expect((await store.findUser(name))?.passwordHash).toBe(`hash of ${name}`)
        expect(await store.findUser('{"$gt": "a"}')).toBeNull()
        expect(await store.findUser('$exists')).toBeNull()
        // A non-string that reached the store by mistake never matches anyone (it may throw).
        for (const value of [{ $gt: '' }, { $ne: null }, ['eric'], { $regex: '.*' }]) {
          const found = await store.findUser(value as unknown as string).catch(() => null)
          expect(found).toBeNull()
        }
      })
    })

    describe('admission', () => {
      it('admits up to the burst limit, then refuses with the oldest of the window', async () => {
        const { id } = await user()
        const times = [T0, T0 + 1000, T0 + 2000]
        for (const at of times) await chat(id, at)
        expect(await store.admitMessage(message(id, T0 + 3000), windowAt(T0 + 3000)))
          .toEqual({ admitted: false, limit: 'burst', burstOldest: T0 })
        // The window is inclusive at its start: T0 is still inside at T0 + 29 999 ms...
        expect(await store.admitMessage(message(id, T0 + 29_999), windowAt(T0 + 29_999)))
          .toEqual({ admitted: false, limit: 'burst', burstOldest: T0 })
        // ...and out at T0 + 30 000 ms.
        expect((await store.admitMessage(message(id, T0 + 30_000), windowAt(T0 + 30_000))).admitted).toBe(true)
      })

      it('refuses past the daily limit, and daily wins when both refuse', async () => {
        const { id } = await user()
        for (let i = 0; i < 2; i++) await chat(id, T0 + i * 60_000, { daily: 3 })
        await chat(id, T0 + 120_000, { daily: 3 })
        // Both limits would refuse now (3 in the day, 3 in a 10-minute window): daily is reported.
        expect(await store.admitMessage(message(id, T0 + 121_000), windowAt(T0 + 121_000, { daily: 3, burstMs: 600_000 })))
          .toEqual({ admitted: false, limit: 'daily' })
        expect(await store.countToday(id, windowAt(T0 + 121_000, { daily: 3 }))).toBe(3)
        // The next day starts empty.
        const tomorrow = DAY_START + DAY + 1
        expect(await store.countToday(id, windowAt(tomorrow, { daily: 3 }))).toBe(0)
        expect((await store.admitMessage(message(id, tomorrow), windowAt(tomorrow, { daily: 3 }))).admitted).toBe(true)
      })

      it('counts yesterday\'s last messages in the burst window but not in today\'s count', async () => {
        const { id } = await user()
        const midnight = DAY_START + DAY
        for (const at of [midnight - 3000, midnight - 2000, midnight - 1000]) await chat(id, at)
        expect(await store.countToday(id, windowAt(midnight + 1000))).toBe(0)
        expect(await store.admitMessage(message(id, midnight + 1000), windowAt(midnight + 1000)))
          .toEqual({ admitted: false, limit: 'burst', burstOldest: midnight - 3000 })
      })

      it('records a refusal and changes nothing else', async () => {
        const { id } = await user()
        for (const at of [T0, T0 + 1, T0 + 2]) await chat(id, at)
        const before = await store.history(id, 100)
        const refused = await store.admitMessage(message(id, T0 + 3, 'refused text'), windowAt(T0 + 3))
        expect(refused.admitted).toBe(false)
        expect(await store.history(id, 100)).toEqual(before)
        expect(await store.countToday(id, windowAt(T0 + 3))).toBe(3)
        const report = await store.report(id, { since: DAY_START, until: DAY_START + DAY, offsets: [{ from: 0, offsetMs: 0 }], textChars: 10 }, () => true)
        expect(report.refusals).toEqual({ daily: 0, burst: 1 })
        expect(report.messagesSent).toBe(3)
      })

      it('admits exactly the burst limit of many simultaneous messages of one user', async () => {
        const { id } = await user()
        const other = await user('alice')
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
          store.admitMessage(message(i % 10 === 9 ? other.id : id, T0 + i), windowAt(T0 + 50))))
        const mine = results.filter((_, i) => i % 10 !== 9)
        expect(mine.filter((r) => r.admitted)).toHaveLength(3)
        expect(new Set(mine.filter((r) => !r.admitted).map((r) => !r.admitted && r.limit))).toEqual(new Set(['burst']))
        // Another user's messages were admitted on their own quota.
        expect(results.filter((r, i) => i % 10 === 9 && r.admitted)).toHaveLength(3)
        expect(await store.countToday(id, windowAt(T0 + 50))).toBe(3)
        expect((await store.history(id, 100)).filter((r) => r.type === 'user')).toHaveLength(3)
      })

      it('admits exactly the daily limit of many simultaneous messages of one user', async () => {
        const { id } = await user()
        const limits = { daily: 5, burst: 1000 }
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
          store.admitMessage(message(id, T0 + i), windowAt(T0 + 40, limits))))
        expect(results.filter((r) => r.admitted)).toHaveLength(5)
        expect(results.filter((r) => !r.admitted && r.limit === 'daily')).toHaveLength(35)
        expect(await store.countToday(id, windowAt(T0 + 40, limits))).toBe(5)
      })

      it('stops counting a failed message, in both limits, and keeps it in history', async () => {
        const { id } = await user()
        await chat(id, T0)
        await chat(id, T0 + 1000)
        const failed = idOf(await store.admitMessage(message(id, T0 + 2000, 'this one fails'), windowAt(T0 + 2000)))
        expect((await store.admitMessage(message(id, T0 + 2500), windowAt(T0 + 2500))).admitted).toBe(false)
        await store.failMessage(failed)
        expect(await store.countToday(id, windowAt(T0 + 3000))).toBe(2)
        expect((await store.admitMessage(message(id, T0 + 3000), windowAt(T0 + 3000))).admitted).toBe(true)
        const records = await store.history(id, 100)
        expect(records.find((r) => r.id === failed)).toMatchObject({ type: 'user', text: 'this one fails', status: 'failed' })
      })

      it('admits an exempt message over both limits and never counts it; it is in history, context and the report', async () => {
        const { id } = await user()
        const limits = { daily: 2 }
        await chat(id, T0, limits)
        await chat(id, T0 + 1000, limits)
        expect((await store.admitMessage(message(id, T0 + 2000), windowAt(T0 + 2000, limits))).admitted).toBe(false)
        const exempt = idOf(await store.admitMessage({ ...message(id, T0 + 3000, 'the crisis message'), exempt: true }, windowAt(T0 + 3000, limits)))
        await store.completeMessage(exempt, { text: 'the crisis reply', createdAt: T0 + 3001, status: 'complete' })
        expect(await store.countToday(id, windowAt(T0 + 4000, limits))).toBe(2)
        // Tomorrow, with room for exactly one message: the exempt one does not take it.
        const tomorrow = T0 + DAY
        await store.admitMessage({ ...message(id, tomorrow, 'exempt again'), exempt: true }, windowAt(tomorrow, { daily: 1 }))
        expect((await store.admitMessage(message(id, tomorrow + 1), windowAt(tomorrow + 1, { daily: 1 }))).admitted).toBe(true)
        const records = await store.history(id, 100)
        const crisis = records.findIndex((r) => r.id === exempt)
        expect(records[crisis]).toMatchObject({ type: 'user', text: 'the crisis message', status: 'answered' })
        expect(records[crisis + 1]).toMatchObject({ type: 'ai', text: 'the crisis reply' })
        expect((await store.promptHistory(id, await latest(id), 100)).map((r) => r.text)).toContain('the crisis message')
        const report = await store.report(id, { since: T0 - DAY, until: T0 + DAY, offsets: [{ from: 0, offsetMs: 0 }], textChars: 100 }, () => true)
        expect(report.messagesSent).toBe(3)
        expect(report.refusals.daily).toBe(1)
      })

      it('counts a pending message until pendingSince passes it; an answered one for the whole day', async () => {
        const { id } = await user()
        await chat(id, T0)
        const pending = idOf(await store.admitMessage(message(id, T0 + 1000), windowAt(T0 + 1000)))
        expect(await store.countToday(id, windowAt(T0 + 2000))).toBe(2)
        // Abandoned (older than pendingSince): no longer counted, anywhere.
        const later = T0 + 10_000
        const abandoning: Limits = { pendingMs: 5000, burst: 2, burstMs: 60_000 }
        expect(await store.countToday(id, windowAt(later, abandoning))).toBe(1)
        expect((await store.admitMessage(message(id, later), windowAt(later, abandoning))).admitted).toBe(true)
        // pendingSince exactly at its creation still counts it.
        expect(await store.countToday(id, { ...windowAt(later), pendingSince: T0 + 1000 })).toBe(3)
        const records = await store.history(id, 100)
        expect(records.find((r) => r.id === pending)).toMatchObject({ status: 'pending' })
      })

      it('counts a late answer to an abandoned message again', async () => {
        const { id } = await user()
        const slow = idOf(await store.admitMessage(message(id, T0), windowAt(T0)))
        const later = T0 + 600_000
        expect(await store.countToday(id, windowAt(later))).toBe(0)
        await store.completeMessage(slow, { text: 'finally', createdAt: later, status: 'complete' })
        expect(await store.countToday(id, windowAt(later))).toBe(1)
      })
    })

    describe('messages and history', () => {
      it('keeps questions and answers in order, oldest first, with their fields', async () => {
        const { id } = await user()
        const first = idOf(await store.admitMessage({ userId: id, text: 'hi, my name is Eric', endpoint: 'message', createdAt: T0 }, windowAt(T0)))
        await store.completeMessage(first, { text: 'Hi Eric, what can I do for you!', createdAt: T0 + 10, status: 'complete' })
        const second = idOf(await store.admitMessage({ userId: id, text: 'I feel low', endpoint: 'advanced', createdAt: T0 + 20, mood: 'sadness' }, windowAt(T0 + 20)))
        await store.completeMessage(second, { text: 'I am sorry to hear', createdAt: T0 + 30, status: 'incomplete' })

        const records = await store.history(id, 10)
        const conversationId = await latest(id)
        expect(records).toEqual([
          { id: first, conversationId, type: 'user', text: 'hi, my name is Eric', createdAt: T0, endpoint: 'message', status: 'answered' },
          { id: expect.any(String), conversationId, type: 'ai', text: 'Hi Eric, what can I do for you!', createdAt: T0 + 10, endpoint: 'message', status: 'complete' },
          { id: second, conversationId, type: 'user', text: 'I feel low', createdAt: T0 + 20, endpoint: 'advanced', status: 'answered', mood: 'sadness' },
          { id: expect.any(String), conversationId, type: 'ai', text: 'I am sorry to hear', createdAt: T0 + 30, endpoint: 'advanced', status: 'incomplete' }
        ])
        expect(new Set(records.map((r) => r.id)).size).toBe(4)
        expect((await store.history(id, 2)).map((r) => r.text)).toEqual(['I feel low', 'I am sorry to hear'])
        expect((await store.history(id, 1)).map((r) => r.text)).toEqual(['I am sorry to hear'])
        expect(await store.history(id, 1000)).toEqual(records)
      })

      it('orders records as they were stored when replies interleave', async () => {
        const { id } = await user()
        const a = idOf(await store.admitMessage(message(id, T0, 'question a'), windowAt(T0)))
        const b = idOf(await store.admitMessage(message(id, T0 + 1, 'question b'), windowAt(T0 + 1)))
        await store.completeMessage(b, { text: 'answer b', createdAt: T0 + 2, status: 'complete' })
        await store.completeMessage(a, { text: 'answer a', createdAt: T0 + 3, status: 'complete' })
        expect((await store.history(id, 10)).map((r) => r.text)).toEqual(['question a', 'question b', 'answer b', 'answer a'])
        expect((await store.history(id, 1)).map((r) => r.text)).toEqual(['answer a'])
        expect((await store.history(id, 3)).map((r) => r.text)).toEqual(['question b', 'answer b', 'answer a'])
      })

      it('shows a failed message without a reply, and keeps text exactly as typed', async () => {
        const { id } = await user()
        const texts = ['{"$set": {"status": "answered"}}', '$status', '$$ROOT', 'emoji 🎉 and 中文', '  spaced  ']
        for (const [i, text] of texts.entries()) {
          const mid = idOf(await store.admitMessage(message(id, T0 + i * 60_000, text), windowAt(T0 + i * 60_000)))
          await store.failMessage(mid)
        }
        const records = await store.history(id, 10)
        expect(records.map((r) => [r.type, r.text, r.status])).toEqual(texts.map((t) => ['user', t, 'failed']))
      })

      it('keeps users\' histories apart', async () => {
        const eric = await user('eric')
        const alice = await user('alice')
        await chat(eric.id, T0)
        await chat(alice.id, T0 + 1)
        await chat(eric.id, T0 + 2)
        expect((await store.history(eric.id, 100)).map((r) => r.text)).toEqual([`hello at ${T0}`, `reply to ${T0}`, `hello at ${T0 + 2}`, `reply to ${T0 + 2}`])
        expect((await store.history(alice.id, 100)).map((r) => r.text)).toEqual([`hello at ${T0 + 1}`, `reply to ${T0 + 1}`])
        expect(await store.countToday(alice.id, windowAt(T0 + 3))).toBe(1)
      })

      it('answers empty for a user with nothing, or an id that names nobody', async () => {
        const { id } = await user()
        expect(await store.history(id, 10)).toEqual([])
        expect(await store.countToday(id, windowAt(T0))).toBe(0)
        for (const nobody of ['999999', 'ffffffffffffffffffffffff', '{"$gt": ""}']) {
          expect(await store.history(nobody, 10)).toEqual([])
          expect(await store.countToday(nobody, windowAt(T0))).toBe(0)
        }
      })

      it('completes only a pending message', async () => {
        const { id } = await user()
        const done = await chat(id, T0)
        await expect(store.completeMessage(done, { text: 'twice', createdAt: T0 + 1, status: 'complete' })).rejects.toThrow()
        const failed = idOf(await store.admitMessage(message(id, T0 + 60_000), windowAt(T0 + 60_000)))
        await store.failMessage(failed)
        await expect(store.completeMessage(failed, { text: 'late', createdAt: T0 + 60_001, status: 'complete' })).rejects.toThrow()
        expect((await store.history(id, 10)).filter((r) => r.type === 'ai')).toHaveLength(1)
      })

      it('gives the provider\'s context: answered messages and their replies only, newest n, oldest first', async () => {
        const { id } = await user()
        const a = idOf(await store.admitMessage(message(id, T0, 'question a'), windowAt(T0)))
        const b = idOf(await store.admitMessage(message(id, T0 + 1, 'question b'), windowAt(T0 + 1)))
        const failed = idOf(await store.admitMessage(message(id, T0 + 2, 'question failed'), windowAt(T0 + 2)))
        await store.completeMessage(b, { text: 'answer b', createdAt: T0 + 3, status: 'complete' })
        await store.failMessage(failed)
        await store.completeMessage(a, { text: 'answer a', createdAt: T0 + 4, status: 'incomplete' })
        idOf(await store.admitMessage(message(id, T0 + 5, 'question pending'), windowAt(T0 + 5)))

        const conversation = await latest(id)
        expect(await store.promptHistory(id, conversation, 10)).toEqual([
          { type: 'user', text: 'question a' },
          { type: 'user', text: 'question b' },
          { type: 'ai', text: 'answer b' },
          { type: 'ai', text: 'answer a' }
        ])
        expect((await store.promptHistory(id, conversation, 3)).map((r) => r.text)).toEqual(['question b', 'answer b', 'answer a'])
        expect(await store.promptHistory(id, conversation, 0)).toEqual([])
        expect(await store.promptHistory('999999', conversation, 10)).toEqual([])
        expect(await store.promptHistory(id, '999999', 10)).toEqual([])
      })
    })

    describeConversationsContract(() => store)

    describe('report', () => {
      it('aggregates the user\'s own records in the range, in local time', async () => {
        const eric = await user('eric')
        const alice = await user('alice')
        const H = 3_600_000
        const base = DAY_START // 00:00 UTC
        const wide: Limits = { daily: 1000, burst: 1000 }
        const send = async (at: number, text: string, endpoint: Endpoint, fail = false, mood?: string): Promise<void> => {
          const mid = idOf(await store.admitMessage({ userId: eric.id, text, endpoint, createdAt: at, ...(mood === undefined ? {} : { mood }) }, windowAt(at, wide)))
          if (fail) await store.failMessage(mid)
          else await store.completeMessage(mid, { text: `re ${text}`, createdAt: at + 1000, status: 'complete' })
        }
        await send(base - 1, 'before the range', 'message')
        await send(base + 1 * H, 'python question', 'message') // local (+2 h) 03:00 on day 0
        await send(base + 23 * H, 'python again 🎉', 'advanced', false, 'joy') // local 01:00 day 1 (+2 h)
        await send(base + 30 * H, 'exam worries', 'advanced', true, 'anxiety') // after the change (+1 h): 07:00 day 1
        await send(base + 31 * H, 'exam', 'message') // 08:00 day 1
        await chat(alice.id, base + 2 * H)
        // A refusal of each kind inside the range, one outside.
        expect((await store.admitMessage(message(eric.id, base + 32 * H), { ...windowAt(base + 32 * H, wide), dailyLimit: 0 })).admitted).toBe(false)
        expect((await store.admitMessage(message(eric.id, base + 31 * H + 1), windowAt(base + 31 * H + 1, { daily: 1000, burst: 1 }))).admitted).toBe(false)
        expect((await store.admitMessage(message(eric.id, base + 60 * H), { ...windowAt(base + 60 * H, wide), dailyLimit: 0 })).admitted).toBe(false)

        const range = {
          since: base,
          until: base + 48 * H,
          offsets: [{ from: 0, offsetMs: 2 * H }, { from: base + 24 * H, offsetMs: 1 * H }],
          textChars: 14
        }
        const texts: string[] = []
        const report = await store.report(eric.id, range, (text) => texts.push(text) > 0)
        // Newest first, each cut to 14 characters (code points: the emoji is one).
        expect(texts).toEqual(['exam', 'exam worries', 'python again 🎉', 'python questio'])
        const two: string[] = []
        expect(await store.report(eric.id, range, (text) => two.push(text) < 2)).toEqual(report)
        expect(two).toEqual(['exam', 'exam worries'])
        const days0 = Math.floor((base + 2 * H) / DAY)
        expect(report).toEqual({
          messagesSent: 4,
          failedMessages: 1,
          // The reply to the message just before the range was created inside it.
          repliesReceived: 4,
          firstActivity: base + 1 * H,
          lastActivity: base + 31 * H,
          perDay: [{ day: days0, messages: 1 }, { day: days0 + 1, messages: 3 }],
          perHour: [{ hour: 1, messages: 1 }, { hour: 3, messages: 1 }, { hour: 7, messages: 1 }, { hour: 8, messages: 1 }],
          byEndpoint: { message: 2, advanced: 2 },
          // Lengths in code points: 15, 14, 12, 4 → mean 11.25, median (12 + 14) / 2.
          averageLength: 11.25,
          medianLength: 13,
          refusals: { daily: 1, burst: 1 },
          moods: [{ mood: 'anxiety', messages: 1 }, { mood: 'joy', messages: 1 }]
        })
      })

      it('reports nothing for a user without records', async () => {
        const { id } = await user()
        const texts: string[] = []
        expect(await store.report(id, { since: 0, until: T0 * 2, offsets: [{ from: 0, offsetMs: 0 }], textChars: 5 }, (text) => texts.push(text) > 0)).toEqual({
          messagesSent: 0,
          failedMessages: 0,
          repliesReceived: 0,
          firstActivity: null,
          lastActivity: null,
          perDay: [],
          perHour: [],
          byEndpoint: { message: 0, advanced: 0 },
          averageLength: null,
          medianLength: null,
          refusals: { daily: 0, burst: 0 },
          moods: []
        })
        expect(texts).toEqual([])
      })
    })

    describeAccountsContract(() => store)
  })
}
