import { describe, expect, it } from 'vitest'
import { MAX_EMPTY_CONVERSATIONS } from '../../src/domain/conversations.js'
import type { Admission, QuotaWindow } from '../../src/domain/limits.js'
import type { MiddleOutReport, NewMessage } from '../../src/domain/messages.js'
import type { Store } from '../../src/domain/store.js'

/**
 * The conversations part of the storage contract, run by `describeStoreContract` against every
 * backend with the store of the running test.
 */

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const DAY = 86_400_000
const window = (now: number, limits: { daily?: number, burst?: number } = {}): QuotaWindow =>
  ({ now, dayStart: Math.floor(now / DAY) * DAY, dailyLimit: limits.daily ?? 20, burstStart: now - 30_000 + 1, burstLimit: limits.burst ?? 3, pendingSince: now - 120_000 })

const CUT: MiddleOutReport = { promptTokens: 13_064, removedTokens: 4_872, messageRemovedTokens: 4_872, removedMessages: 0, budget: 7_168, contextTokens: 8_192 }

export function describeConversationsContract (current: () => Store): void {
  async function user (store: Store, name = 'eric'): Promise<string> {
    const created = await store.createUser(name, 'scrypt$hash', T0 - DAY)
    if (created === null) throw new Error(`could not create ${name}`)
    return created.id
  }
  function admitted (admission: Admission): { messageId: string, conversationId: string } {
    if (!admission.admitted) throw new Error(`refused: ${admission.limit}`)
    return admission
  }
  /** Admits and answers a message at `at`, in `conversationId` if given. */
  async function say (store: Store, userId: string, at: number, text: string, conversationId?: string): Promise<{ messageId: string, conversationId: string }> {
    const message: NewMessage = { userId, text, title: text, endpoint: 'message', createdAt: at, ...(conversationId === undefined ? {} : { conversationId }) }
    const done = admitted(await store.admitMessage(message, window(at, { daily: 1000, burst: 1000 })))
    await store.completeMessage(done.messageId, { text: `re ${text}`, createdAt: at + 1, status: 'complete' })
    return done
  }

  describe('conversations', () => {
    it('creates conversations and lists them most recently used first, with their counts', async () => {
      const store = current()
      const id = await user(store)
      const named = await store.createConversation(id, 'Python exam', T0)
      expect(named).toEqual({ id: expect.any(String), title: 'Python exam', createdAt: T0, updatedAt: T0, messageCount: 0 })
      const untitled = await store.createConversation(id, '', T0 + 1000)
      expect(untitled?.title).toBe('')
      expect((await store.listConversations(id, { limit: 10 })).map((c) => c.id)).toEqual([untitled?.id, named?.id])

      // A message in the older one makes it the most recently used; the title it was given stays.
      await say(store, id, T0 + 2000, 'what is a decorator?', named?.id)
      const list = await store.listConversations(id, { limit: 10 })
      expect(list.map((c) => c.id)).toEqual([named?.id, untitled?.id])
      expect(list[0]).toEqual({ id: named?.id, title: 'Python exam', createdAt: T0, updatedAt: T0 + 2000, messageCount: 2 })
      expect(await store.findConversation(id, named?.id ?? '')).toEqual(list[0])
      expect(await store.listConversations(id, { limit: 1 })).toEqual([list[0]])

      // The untitled one is named by its first message; a second message does not rename it.
      await say(store, id, T0 + 3000, 'plan a trip to Kyoto', untitled?.id)
      await say(store, id, T0 + 4000, 'and Osaka?', untitled?.id)
      expect(await store.findConversation(id, untitled?.id ?? '')).toMatchObject({ title: 'plan a trip to Kyoto', updatedAt: T0 + 4000, messageCount: 4 })
    })

    it('puts a message without a conversation in the most recently used one, or a new one', async () => {
      const store = current()
      const id = await user(store)
      const first = await say(store, id, T0, 'hello')
      expect(await store.listConversations(id, { limit: 10 })).toEqual([
        { id: first.conversationId, title: 'hello', createdAt: T0, updatedAt: T0, messageCount: 2 }
      ])
      const second = await say(store, id, T0 + 1000, 'again')
      expect(second.conversationId).toBe(first.conversationId)
      const fresh = await store.createConversation(id, '', T0 + 2000)
      expect((await say(store, id, T0 + 3000, 'in the new one')).conversationId).toBe(fresh?.id)
      expect((await store.history(id, 100)).map((r) => [r.conversationId, r.text])).toEqual([
        [first.conversationId, 'hello'], [first.conversationId, 're hello'],
        [first.conversationId, 'again'], [first.conversationId, 're again'],
        [fresh?.id, 'in the new one'], [fresh?.id, 're in the new one']
      ])
    })

    it('gives each conversation its own history and context, with what middle-out cut', async () => {
      const store = current()
      const id = await user(store)
      const a = await store.createConversation(id, 'a', T0)
      const b = await store.createConversation(id, 'b', T0)
      await say(store, id, T0 + 1000, 'a1', a?.id)
      await say(store, id, T0 + 2000, 'b1', b?.id)
      const cut = admitted(await store.admitMessage({ userId: id, conversationId: a?.id ?? '', text: 'a2', endpoint: 'message', createdAt: T0 + 3000 }, window(T0 + 3000)))
      await store.completeMessage(cut.messageId, { text: 're a2', createdAt: T0 + 3001, status: 'complete', middleOut: CUT })

      expect((await store.promptHistory(id, a?.id ?? '', 10)).map((r) => r.text)).toEqual(['a1', 're a1', 'a2', 're a2'])
      expect((await store.promptHistory(id, b?.id ?? '', 10)).map((r) => r.text)).toEqual(['b1', 're b1'])
      const history = await store.conversationHistory(id, a?.id ?? '', 10)
      expect(history?.map((r) => [r.conversationId, r.text])).toEqual([[a?.id, 'a1'], [a?.id, 're a1'], [a?.id, 'a2'], [a?.id, 're a2']])
      expect(history?.[2]).toMatchObject({ type: 'user', text: 'a2', middleOut: CUT })
      expect(history?.[0]).not.toHaveProperty('middleOut')
      expect((await store.conversationHistory(id, a?.id ?? '', 1))?.map((r) => r.text)).toEqual(['re a2'])
      expect((await store.history(id, 100)).find((r) => r.text === 'a2')).toMatchObject({ middleOut: CUT })
    })

    it("never lets a user see, name, rename or delete another user's conversation", async () => {
      const store = current()
      const eric = await user(store, 'eric')
      const alice = await user(store, 'alice')
      const hers = await store.createConversation(alice, 'private', T0)
      await say(store, alice, T0, 'secret', hers?.id)
      const theirs = hers?.id ?? ''
      expect(await store.findConversation(eric, theirs)).toBeNull()
      expect(await store.conversationHistory(eric, theirs, 10)).toBeNull()
      expect(await store.promptHistory(eric, theirs, 10)).toEqual([])
      expect(await store.renameConversation(eric, theirs, 'mine now')).toBeNull()
      expect(await store.deleteConversation(eric, theirs, T0)).toBe(false)
      // Refused before the limits are even looked at: nothing is stored, not even a refusal.
      await expect(store.admitMessage({ userId: eric, conversationId: theirs, text: 'hi', endpoint: 'message', createdAt: T0 }, window(T0, { daily: 0 })))
        .rejects.toMatchObject({ code: 'conversation_not_found', status: 404 })
      expect(await store.history(eric, 10)).toEqual([])
      expect((await store.report(eric, { since: 0, until: T0 + DAY, offsets: [{ from: 0, offsetMs: 0 }], textChars: 10 }, () => true)).refusals).toEqual({ daily: 0, burst: 0 })
      expect(await store.findConversation(alice, theirs)).toMatchObject({ title: 'private', messageCount: 2 })
      for (const bad of ['', 'abc', '0', '-1', '1.5', '99999999', 'ffffffffffffffffffffffff', '{"$gt": ""}', ' 1']) {
        expect(await store.findConversation(alice, bad), bad).toBeNull()
        expect(await store.conversationHistory(alice, bad, 10), bad).toBeNull()
        expect(await store.deleteConversation(alice, bad, T0), bad).toBe(false)
        await expect(store.admitMessage({ userId: alice, conversationId: bad, text: 'x', endpoint: 'message', createdAt: T0 }, window(T0)), bad)
          .rejects.toMatchObject({ code: 'conversation_not_found' })
      }
    })

    it('renames, without moving it in the list', async () => {
      const store = current()
      const id = await user(store)
      const old = await store.createConversation(id, 'old', T0)
      const newer = await store.createConversation(id, '', T0 + 1000)
      expect(await store.renameConversation(id, old?.id ?? '', 'Renamed 🎉')).toEqual({ ...old, title: 'Renamed 🎉' })
      expect((await store.listConversations(id, { limit: 10 })).map((c) => c.id)).toEqual([newer?.id, old?.id])
      // A renamed, still empty conversation keeps its name when its first message comes.
      await store.renameConversation(id, newer?.id ?? '', 'Chosen')
      await say(store, id, T0 + 2000, 'first words', newer?.id)
      expect((await store.findConversation(id, newer?.id ?? ''))?.title).toBe('Chosen')
    })

    it('searches titles by substring, whatever the case, taking every character literally', async () => {
      const store = current()
      const id = await user(store)
      const titles = ['Python Exam', 'python decorators', '学习 Python', 'a.b (c) $d [e] *f* ^g? \\h', 'Ünïcödé ÉTÉ', 'other']
      for (const [i, title] of titles.entries()) await store.createConversation(id, title, T0 + i)
      const search = async (text: string) => (await store.listConversations(id, { limit: 10, search: text })).map((c) => c.title).sort()
      expect(await search('python')).toEqual(['Python Exam', 'python decorators', '学习 Python'].sort())
      expect(await search('PYTHON EX')).toEqual(['Python Exam'])
      expect(await search('学习')).toEqual(['学习 Python'])
      expect(await search('été')).toEqual(['Ünïcödé ÉTÉ'])
      for (const literal of ['.', '(c)', '$d', '[e]', '*f*', '^g?', '\\h']) expect(await search(literal), literal).toEqual(['a.b (c) $d [e] *f* ^g? \\h'])
      for (const none of ['.*', 'x|python', 'p.thon', '^python', '[a-z]', '{"$gt": ""}']) expect(await search(none), none).toEqual([])
      expect(await store.listConversations(id, { limit: 2, search: 'python' })).toHaveLength(2)
    })

    it('deletes a conversation and its records; what its messages used of the limits stays used', async () => {
      const store = current()
      const id = await user(store)
      const keep = await say(store, id, T0, 'keep me')
      const doomed = await store.createConversation(id, 'doomed', T0 + 1000)
      await say(store, id, T0 + 1000, 'gone 1', doomed?.id)
      const pending = admitted(await store.admitMessage({ userId: id, conversationId: doomed?.id ?? '', text: 'gone 2', endpoint: 'message', createdAt: T0 + 2000 }, window(T0 + 2000)))
      const before = await store.countToday(id, window(T0 + 3000))
      expect(before).toBe(3)

      expect(await store.deleteConversation(id, doomed?.id ?? '', T0 + 3000)).toBe(true)
      expect(await store.deleteConversation(id, doomed?.id ?? '', T0 + 3000)).toBe(false)
      expect(await store.findConversation(id, doomed?.id ?? '')).toBeNull()
      expect(await store.conversationHistory(id, doomed?.id ?? '', 10)).toBeNull()
      expect(await store.promptHistory(id, doomed?.id ?? '', 10)).toEqual([])
      expect((await store.history(id, 100)).map((r) => r.text)).toEqual(['keep me', 're keep me'])
      expect((await store.listConversations(id, { limit: 10 })).map((c) => c.id)).toEqual([keep.conversationId])
      // The reply to the message in flight has nowhere to go: it is dropped, not an error.
      await store.completeMessage(pending.messageId, { text: 'too late', createdAt: T0 + 3500, status: 'complete' })
      await store.failMessage(pending.messageId)
      expect((await store.history(id, 100)).map((r) => r.text)).toEqual(['keep me', 're keep me'])

      // Today's count and the burst window still hold all three.
      expect(await store.countToday(id, window(T0 + 4000))).toBe(before)
      expect(await store.admitMessage({ userId: id, text: 'fourth', endpoint: 'message', createdAt: T0 + 4000 }, window(T0 + 4000)))
        .toEqual({ admitted: false, limit: 'burst', burstOldest: T0 })
      expect((await store.admitMessage({ userId: id, text: 'fifth', endpoint: 'message', createdAt: T0 + 5000 }, window(T0 + 5000, { daily: 3, burst: 100 }))).admitted).toBe(false)
      // Still counted after the pending ones would have been abandoned, and gone the next day.
      const later = T0 + 600_000
      expect(await store.countToday(id, window(later))).toBe(3)
      expect(await store.countToday(id, window(T0 + DAY))).toBe(0)
    })

    it(`refuses a new conversation while the user has ${MAX_EMPTY_CONVERSATIONS} empty ones`, async () => {
      const store = current()
      const id = await user(store)
      const made = []
      for (let i = 0; i < MAX_EMPTY_CONVERSATIONS; i++) made.push(await store.createConversation(id, `c${i}`, T0 + i))
      await expect(store.createConversation(id, 'one more', T0 + 100)).rejects.toMatchObject({ code: 'too_many_conversations', status: 409 })
      await say(store, id, T0 + 200, 'now it has a message', made[0]?.id)
      expect(await store.createConversation(id, 'one more', T0 + 300)).toMatchObject({ title: 'one more' })
      expect(await store.listConversations(id, { limit: 1000 })).toHaveLength(MAX_EMPTY_CONVERSATIONS + 1)
      expect(await store.createConversation('ffffffffffffffffffffffff', 'nobody', T0)).toBeNull()
      expect(await store.createConversation('99999999', 'nobody', T0)).toBeNull()
    })
  })
}
