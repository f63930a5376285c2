import fc from 'fast-check'
import { ObjectId } from 'mongodb'
import { describe, expect, it } from 'vitest'
import { newestRecords, parseId, type MessageDoc, type QuotaDoc, type Slot } from '../../src/storage/mongo/documents.js'
import { messagesInRange, refusalsInRange, repliesInRange, reportPipeline } from '../../src/storage/mongo/mongo-report.js'
import {
  admissionOf,
  admissionUpdate,
  answerUpdate,
  answeredSlotUpdate,
  byIdFilter,
  countToday,
  FAIL_UPDATE,
  historyQueries,
  newMessageDoc,
  newUserDoc,
  pendingMessageFilter,
  releaseSlotUpdate,
  repairSlotsUpdate,
  SLOT_RETENTION_MS,
  staleSlots,
  userByNameFilter
} from '../../src/storage/mongo/queries.js'
import { INDEXES } from '../../src/storage/mongo/indexes.js'
import type { QuotaWindow } from '../../src/domain/limits.js'
import { applyUpdate, matches, project, upsertSeed, type Doc } from '../helpers/mongo-eval.js'

// The MongoDB backend's documents as pure data: their shape (values only where input goes, the
// indexes they need), and what they do, run through the test evaluator (test/helpers/mongo-eval.ts).

const DAY = 86_400_000
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const user = new ObjectId('65a000000000000000000001')

function windowAt (now: number, over: Partial<QuotaWindow> = {}): QuotaWindow {
  return { now, dayStart: Math.floor(now / DAY) * DAY, dailyLimit: 20, burstStart: now - 30_000 + 1, burstLimit: 3, pendingSince: now - 120_000, ...over }
}

function slot (at: number, answered = true, id = new ObjectId()): Slot {
  return { id, at, answered }
}

/** One admission against a quota document (or none yet), as the server would run it. */
function admit (doc: QuotaDoc | null, at: number, window: QuotaWindow): { doc: QuotaDoc, outcome: ReturnType<typeof admissionOf>, id: ObjectId } {
  const id = new ObjectId()
  const next = applyUpdate((doc ?? upsertSeed({ _id: user })) as Doc, admissionUpdate(id, at, window)) as unknown as QuotaDoc
  return { doc: next, outcome: admissionOf(next, id), id }
}

/**
 * Ids and numbers in a pipeline outside `$literal` (the code's own 0 and 1 aside): where an input
 * value would sit unprotected. Strings outside `$literal` are the code's field paths and names.
 */
function unwrappedValues (node: unknown, path: string[] = []): string[] {
  if (node instanceof ObjectId || (typeof node === 'number' && node !== 0 && node !== 1)) return [`${path.join('.')} = ${String(node)}`]
  if (Array.isArray(node)) return node.flatMap((n, i) => unwrappedValues(n, [...path, String(i)]))
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).flatMap(([k, v]) => k === '$literal' || k === 'sortBy' ? [] : unwrappedValues(v, [...path, k]))
  }
  return []
}

describe('MongoDB queries: input is only ever a value', () => {
  it('compares names with $eq, case-folded, whatever they look like', () => {
    expect(userByNameFilter('Eric')).toEqual({ usernameKey: { $eq: 'eric' } })
    expect(userByNameFilter('{"$gt": ""}')).toEqual({ usernameKey: { $eq: '{"$gt": ""}' } })
    expect(userByNameFilter('$where')).toEqual({ usernameKey: { $eq: '$where' } })
    // $eq takes an object operand literally, so even a non-string could not become an operator;
    // the backend never gets that far: folding the case of a non-string throws.
    expect(() => userByNameFilter({ $gt: '' } as unknown as string)).toThrow(TypeError)
  })

  it('matches only the exact name, through the evaluator', () => {
    const docs = ['eric', '{"$gt": ""}', '$gt'].map((name) => newUserDoc(new ObjectId(), name, 'h', 0) as unknown as Doc)
    for (const doc of docs) {
      expect(docs.filter((d) => matches(d, userByNameFilter(doc.username as string)))).toEqual([doc])
    }
    expect(docs.filter((d) => matches(d, userByNameFilter('anything')))).toEqual([])
  })

  it('reads ids only as 24 hex digits', () => {
    expect(parseId('65a000000000000000000001')?.toHexString()).toBe('65a000000000000000000001')
    for (const bad of ['', '123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '65a00000000000000000000', '{"$gt": ""}', 'twelve chars']) {
      expect(parseId(bad)).toBeNull()
    }
    expect(parseId({ $ne: null } as unknown as string)).toBeNull()
  })

  it('filters by id and status with $eq', () => {
    const id = new ObjectId()
    expect(byIdFilter(id)).toEqual({ _id: { $eq: id } })
    expect(pendingMessageFilter(id)).toEqual({ _id: { $eq: id }, status: { $eq: 'pending' } })
    expect(releaseSlotUpdate(id)).toEqual({ $pull: { slots: { id: { $eq: id } } } })
  })

  it('wraps every value in the pipeline updates in $literal', () => {
    const window = windowAt(T0, { dailyLimit: 17, burstLimit: 5 })
    expect(unwrappedValues(admissionUpdate(new ObjectId(), T0, window))).toEqual([])
    expect(unwrappedValues(answeredSlotUpdate(new ObjectId(), T0))).toEqual([])
    expect(unwrappedValues(repairSlotsUpdate([new ObjectId()], [new ObjectId()]))).toEqual([])
  })

  it('stores text, mood and replies as plain values of classic updates and inserts', () => {
    const id = new ObjectId()
    const text = '{"$set": {"status": "answered"}}'
    const conversation = new ObjectId()
    const doc = newMessageDoc(id, user, conversation, 7, { userId: user.toHexString(), text, endpoint: 'advanced', createdAt: T0, mood: '$$ROOT' })
    expect(doc).toEqual({ _id: id, userId: user, conversationId: conversation, seq: 7, endpoint: 'advanced', status: 'pending', text, createdAt: T0, mood: '$$ROOT' })
    const replyId = new ObjectId()
    const answered = applyUpdate(doc as unknown as Doc, answerUpdate(replyId, 8, { text: '$text', createdAt: T0 + 1, status: 'complete' }))
    expect(answered).toEqual({ ...doc, status: 'answered', reply: { _id: replyId, seq: 8, text: '$text', createdAt: T0 + 1, status: 'complete' } })
    expect(applyUpdate(doc as unknown as Doc, FAIL_UPDATE)).toEqual({ ...doc, status: 'failed' })
  })
})

describe('MongoDB admission: one atomic pipeline update', () => {
  it('admits into a new quota document, taking the first history position', () => {
    const { doc, outcome, id } = admit(null, T0, windowAt(T0))
    expect(outcome).toEqual({ admitted: true, seq: 1 })
    expect(doc).toEqual({ _id: user, seq: 1, slots: [{ id, at: T0, answered: false }], admission: { id, limit: null, burstOldest: null } })
  })

  it('refuses the burst with the oldest of the newest three, and changes nothing else', () => {
    const slots = [slot(T0 - 20_000), slot(T0 - 10_000), slot(T0 - 5000, false)]
    const before: QuotaDoc = { _id: user, seq: 9, slots }
    const { doc, outcome } = admit(before, T0, windowAt(T0))
    expect(outcome).toEqual({ admitted: false, limit: 'burst', burstOldest: T0 - 20_000 })
    expect(doc.slots).toEqual(slots)
    expect(doc.seq).toBe(9)
  })

  it('refuses the day first when both limits refuse', () => {
    const slots = [slot(T0 - 3000), slot(T0 - 2000), slot(T0 - 1000)]
    const { outcome } = admit({ _id: user, seq: 3, slots }, T0, windowAt(T0, { dailyLimit: 3 }))
    expect(outcome).toEqual({ admitted: false, limit: 'daily' })
  })

  it('does not count an abandoned pending slot, but does count an old answered one', () => {
    const window = windowAt(T0, { burstStart: T0 - DAY, burstLimit: 2 })
    const abandoned = admit({ _id: user, seq: 2, slots: [slot(T0 - 200_000, false), slot(T0 - 300_000, true)] }, T0, window)
    expect(abandoned.outcome).toEqual({ admitted: true, seq: 3 })
    const answered = admit({ _id: user, seq: 2, slots: [slot(T0 - 200_000, true), slot(T0 - 300_000, true)] }, T0, window)
    expect(answered.outcome).toEqual({ admitted: false, limit: 'burst', burstOldest: T0 - 300_000 })
  })

  it('keeps slots from two days before the window on, and drops older ones', () => {
    const window = windowAt(T0)
    const keep = slot(window.dayStart - SLOT_RETENTION_MS)
    const drop = slot(window.dayStart - SLOT_RETENTION_MS - 1)
    const { doc } = admit({ _id: user, seq: 2, slots: [drop, keep] }, T0, window)
    expect(doc.slots?.map((s) => s.at)).toEqual([keep.at, T0])
  })

  it('agrees with the SQLite rules on any slots and window', () => {
    // The rules as the SQLite backend states them in SQL, over every message ever sent.
    const reference = (slots: Slot[], w: QuotaWindow) => {
      const counted = slots.filter((s) => s.answered || s.at >= w.pendingSince).map((s) => s.at).sort((a, b) => b - a)
      const today = counted.filter((at) => at >= w.dayStart).length
      const oldest = counted[w.burstLimit - 1]
      if (today >= w.dailyLimit) return { admitted: false, limit: 'daily' }
      if (oldest !== undefined && oldest >= w.burstStart) return { admitted: false, limit: 'burst', burstOldest: oldest }
      return { admitted: true }
    }
    const H = 3_600_000
    fc.assert(fc.property(
      fc.array(fc.record({ at: fc.integer({ min: T0 - 4 * DAY, max: T0 }), answered: fc.boolean() }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 25 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 48 * H }),
      fc.integer({ min: 0, max: 4 * H }),
      fc.integer({ min: -14, max: 12 }),
      (raw, dailyLimit, burstLimit, burstMs, pendingMs, zoneHours) => {
        const slots = raw.map((s) => slot(s.at, s.answered))
        const dayStart = Math.floor((T0 + zoneHours * H) / DAY) * DAY - zoneHours * H
        const w: QuotaWindow = { now: T0, dayStart, dailyLimit, burstStart: T0 - burstMs + 1, burstLimit, pendingSince: T0 - pendingMs }
        const { outcome, doc } = admit({ _id: user, seq: raw.length, slots }, T0, w)
        const expected = reference(slots, w)
        expect(outcome.admitted).toBe(expected.admitted)
        if (!outcome.admitted) expect(outcome).toEqual(expected)
        expect(doc.seq).toBe(raw.length + (expected.admitted ? 1 : 0))
        // Whatever was dropped could not have counted, today or in the burst window.
        expect(countToday(doc.slots, w)).toBe(countToday(slots, w) + (expected.admitted ? 1 : 0))
      }), { numRuns: 500 })
  })

  it('reports a document that did not record this admission', () => {
    const id = new ObjectId()
    expect(() => admissionOf(null, id)).toThrow()
    expect(() => admissionOf({ _id: user, admission: { id: new ObjectId(), limit: null, burstOldest: null } }, id)).toThrow()
  })
})

describe('MongoDB completion and failure', () => {
  it('marks the slot answered', () => {
    const id = new ObjectId()
    const other = slot(T0 - 1000, false)
    const doc = applyUpdate({ _id: user, seq: 4, slots: [other, { id, at: T0, answered: false }] }, answeredSlotUpdate(id, T0))
    expect(doc).toEqual({ _id: user, seq: 4, slots: [other, { id, at: T0, answered: true }] })
  })

  it('puts back a slot that was dropped, answered', () => {
    const id = new ObjectId()
    expect(applyUpdate({ _id: user, seq: 4, slots: [] }, answeredSlotUpdate(id, T0))).toEqual({ _id: user, seq: 4, slots: [{ id, at: T0, answered: true }] })
    expect(applyUpdate(upsertSeed({ _id: user }), answeredSlotUpdate(id, T0))).toEqual({ _id: user, slots: [{ id, at: T0, answered: true }] })
  })

  it('repairs stale slots: answered ones count, the others go, recent ones stay as they are', () => {
    const w = windowAt(T0)
    const answered = slot(w.pendingSince - 1, false)
    const failed = slot(w.pendingSince - 2, false)
    const recent = slot(w.pendingSince, false)
    const counted = slot(w.pendingSince - 3)
    const slots = [answered, failed, recent, counted]
    expect(staleSlots(slots, w)).toEqual([answered, failed])
    expect(applyUpdate({ _id: user, slots }, repairSlotsUpdate([answered.id], [failed.id])))
      .toEqual({ _id: user, slots: [{ ...answered, answered: true }, recent, counted] })
  })

  it('releases exactly the failed message\'s slot', () => {
    const keep = slot(T0 - 1000)
    const gone = slot(T0, false)
    expect(applyUpdate({ _id: user, slots: [keep, gone] }, releaseSlotUpdate(gone.id))).toEqual({ _id: user, slots: [keep] })
  })

  it('counts today\'s slots that are answered, or pending and recent', () => {
    const w = windowAt(T0)
    expect(countToday(undefined, w)).toBe(0)
    expect(countToday([slot(T0), slot(T0 - 1, false), slot(w.pendingSince - 1, false), slot(w.dayStart - 1)], w)).toBe(2)
  })
})

describe('MongoDB history', () => {
  const message = (seq: number, reply?: number): MessageDoc => ({
    _id: new ObjectId(),
    userId: user,
    seq,
    endpoint: 'message',
    status: reply === undefined ? 'pending' : 'answered',
    text: `q${seq}`,
    createdAt: T0 + seq,
    ...(reply === undefined ? {} : { reply: { _id: new ObjectId(), seq: reply, text: `a${seq}`, createdAt: T0 + reply, status: 'complete' as const } })
  })

  it('merges messages and replies by position, oldest first, without duplicates', () => {
    const a = message(1, 4)
    const b = message(2, 3)
    const c = message(5)
    const docs = [c, b, a, a, b]
    expect(newestRecords(docs, 10).map((r) => r.text)).toEqual(['q1', 'q2', 'a2', 'a1', 'q5'])
    expect(newestRecords(docs, 2).map((r) => r.text)).toEqual(['a1', 'q5'])
    expect(newestRecords(docs, 0)).toEqual([])
  })

  it('reads through the two history indexes', () => {
    const [byMessage, byReply] = historyQueries({ userId: user }, 20)
    expect(byMessage).toEqual({ filter: { userId: { $eq: user } }, sort: { seq: -1 }, limit: 20 })
    expect(byReply).toEqual({ filter: { userId: { $eq: user }, 'reply.seq': { $gte: 0 } }, sort: { 'reply.seq': -1 }, limit: 20 })
  })

  it('reads only texts and positions for the context', () => {
    const docs = [message(1, 4), message(2, 3), message(5)]
    for (const query of historyQueries({ userId: user }, 20, { answeredOnly: true })) {
      const projected = docs.filter((d) => matches(d as unknown as Doc, query.filter)).map((d) => project(d as unknown as Doc, query.projection ?? {}))
      for (const doc of projected) {
        expect(Object.keys(doc).sort()).toEqual(['_id', 'reply', 'seq', 'text', 'userId'])
        expect(Object.keys(doc.reply as Doc).sort()).toEqual(['_id', 'seq', 'text'])
      }
      expect(newestRecords(projected as unknown as MessageDoc[], 10).map((r) => [r.type, r.text])).toEqual(
        newestRecords(docs.filter((d) => d.status === 'answered'), 10).map((r) => [r.type, r.text]))
    }
  })
})

describe('MongoDB indexes', () => {
  const keysOf = (collection: keyof typeof INDEXES) => INDEXES[collection].map((i) => JSON.stringify(i.key))

  it('makes usernames unique by their case-folded key', () => {
    expect(INDEXES.users).toEqual([{ key: { usernameKey: 1 }, name: 'users_username_key', unique: true }])
  })

  it('has an index for every query: equality on the user, then the sort or range field', () => {
    const [byMessage, byReply] = historyQueries({ userId: user }, 5)
    expect(keysOf('messages')).toContain(JSON.stringify({ userId: 1, ...byMessage?.sort as object }))
    expect(keysOf('messages')).toContain(JSON.stringify({ userId: 1, ...byReply?.sort as object }))
    const range = { since: 0, until: 1, offsets: [{ from: 0, offsetMs: 0 }], textChars: 5 }
    expect(Object.keys(messagesInRange(user, range))).toEqual(['userId', 'createdAt'])
    expect(keysOf('messages')).toContain(JSON.stringify({ userId: 1, createdAt: 1, seq: 1 })) // texts sort by (createdAt, seq)
    expect(Object.keys(repliesInRange(user, range))).toEqual(['userId', 'reply.createdAt'])
    expect(keysOf('messages')).toContain(JSON.stringify({ userId: 1, 'reply.createdAt': 1 }))
    expect(Object.keys(refusalsInRange(user, range))).toEqual(['userId', 'createdAt'])
    expect(keysOf('refusals')).toContain(JSON.stringify({ userId: 1, createdAt: 1 }))
    // The report's aggregation starts with that indexed $match.
    expect(reportPipeline(user, range)[0]).toEqual({ $match: messagesInRange(user, range) })
  })
})
