import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createReportService } from '../../src/report/report-service.js'
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { QuotaWindow } from '../../src/domain/limits.js'
import type { Endpoint } from '../../src/domain/messages.js'
import type { Store } from '../../src/domain/store.js'

// Admits every message sent in time order (the fixture decides what is refused), cheaply: the
// limits only look at messages from `at` on, of which there are none yet.
const open = (at: number): QuotaWindow => ({ now: at, dayStart: at, dailyLimit: 1e9, burstStart: at, burstLimit: 1, pendingSince: 0 })

interface Sent { at: string, text: string, endpoint?: Endpoint, mood?: string, failed?: boolean }

async function send (store: Store, userId: string, m: Sent): Promise<void> {
  const createdAt = Date.parse(m.at)
  const admission = await store.admitMessage(
    { userId, text: m.text, endpoint: m.endpoint ?? 'message', createdAt, ...(m.mood === undefined ? {} : { mood: m.mood }) },
    open(createdAt))
  if (!admission.admitted) throw new Error('fixture message refused')
  if (m.failed === true) await store.failMessage(admission.messageId)
  else await store.completeMessage(admission.messageId, { text: `re: ${m.text}`, createdAt: createdAt + 1000, status: 'complete' })
}

async function refuse (store: Store, userId: string, at: string, limit: 'daily' | 'burst'): Promise<void> {
  const createdAt = Date.parse(at)
  // Daily: a limit of 0. Burst: one message allowed in a window reaching back to the start of time.
  const window = limit === 'daily' ? { ...open(createdAt), dailyLimit: 0 } : { ...open(createdAt), burstStart: 0 }
  const admission = await store.admitMessage({ userId, text: 'refused', endpoint: 'advanced', createdAt }, window)
  expect(admission).toMatchObject({ admitted: false, limit })
}

describe('SQLite behaviour report', () => {
  let dir: string
  let store: Store

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'simple-chat-report-'))
    store = createSqliteStore(join(dir, 'x.db'))
  })

  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('matches a hand-computed report across local days, a DST change, both endpoints and refusals', async () => {
    const alice = await store.createUser('alice', 'hash', 0)
    const bob = await store.createUser('bob', 'hash', 0)
    if (alice === null || bob === null) throw new Error('users not created')

    // New York: EST (-05:00) until 2024-03-10 02:00, then EDT (-04:00). Local times below.
    await send(store, alice.id, { at: '2024-03-07T23:59:00-05:00', text: 'outside window python' })
    await send(store, alice.id, { at: '2024-03-08T00:00:00-05:00', text: 'Python tips please' }) // 18 chars
    await send(store, alice.id, { at: '2024-03-09T23:30:00-05:00', text: 'I am worried about my Python exam', endpoint: 'advanced', mood: 'anxiety' }) // 33, 03-10 in UTC
    await send(store, alice.id, { at: '2024-03-10T01:59:00-05:00', text: '学习Python很难' }) // 10
    await send(store, alice.id, { at: '2024-03-10T03:15:00-04:00', text: '我今天很难过', endpoint: 'advanced', mood: 'sadness', failed: true }) // 6, hour 3 after the change
    await send(store, alice.id, { at: '2024-03-11T12:00:00-04:00', text: 'Exam passed 🎉', endpoint: 'advanced', mood: 'joy' }) // 13 code points
    await send(store, alice.id, { at: '2024-03-13T09:00:00-04:00', text: 'python exam results' }) // 19
    await send(store, alice.id, { at: '2024-03-13T09:05:00-04:00', text: 'thanks', endpoint: 'advanced', mood: 'neutral' }) // 6
    await refuse(store, alice.id, '2024-03-07T12:00:00-05:00', 'daily')
    await refuse(store, alice.id, '2024-03-12T10:00:00-04:00', 'daily')
    await refuse(store, alice.id, '2024-03-13T09:06:00-04:00', 'burst')

    // Bob talks on the same days, about other things; none of it may show in Alice's report.
    for (const at of ['2024-03-09T10:00:00-05:00', '2024-03-12T10:00:00-04:00', '2024-03-14T08:00:00-04:00']) {
      await send(store, bob.id, { at, text: 'rust borrow checker rust', endpoint: 'advanced', mood: 'anger' })
    }
    await refuse(store, bob.id, '2024-03-12T11:00:00-04:00', 'daily')

    const service = createReportService({ store, timeZone: 'America/New_York', clock: () => Date.parse('2024-03-14T12:00:00-04:00'), topics: 5 })
    const report = await service.report({ id: alice.id, username: 'alice' }, 7)

    const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, messages: 0 }))
    for (const [hour, messages] of [[0, 1], [1, 1], [3, 1], [9, 2], [12, 1], [23, 1]] as const) hours[hour] = { hour, messages }
    expect(report).toEqual({
      username: 'alice',
      summary: {
        language: 'en',
        text: 'In the last 7 days you sent 7 messages on 5 days. You wrote most around 09:00, and your busiest day was 10 March (2 messages). ' +
          'Your longest run was 4 days in a row. You talked most about “python”, “exam” and “passed”. ' +
          'The feeling that came up most was sadness (1 of 4 messages); 1 read as calm. 2 messages were refused by a limit.'
      },
      window: { days: 7, time_zone: 'America/New_York', since: '2024-03-08T05:00:00.000Z', until: '2024-03-15T04:00:00.000Z' },
      totals: {
        messages_sent: 7,
        replies_received: 6,
        failed_messages: 1,
        days_active: 5,
        first_activity: '2024-03-08T05:00:00.000Z',
        last_activity: '2024-03-13T13:05:00.000Z'
      },
      activity: {
        per_day: [
          { date: '2024-03-08', messages: 1 },
          { date: '2024-03-09', messages: 1 },
          { date: '2024-03-10', messages: 2 },
          { date: '2024-03-11', messages: 1 },
          { date: '2024-03-12', messages: 0 },
          { date: '2024-03-13', messages: 2 },
          { date: '2024-03-14', messages: 0 }
        ],
        per_hour: hours,
        busiest_day: { date: '2024-03-10', messages: 2 },
        busiest_hour: { hour: 9, messages: 2 },
        longest_streak: { days: 4, start: '2024-03-08', end: '2024-03-11' }
      },
      habits: {
        // (18 + 33 + 10 + 6 + 13 + 19 + 6) / 7 = 15; sorted 6 6 10 13 18 19 33.
        average_length: 15,
        median_length: 13,
        messages_by_endpoint: { message: 3, advanced: 4 },
        advanced_share: 0.5714,
        plain_share: 0.4286
      },
      limits: { daily: 1, burst: 1, total: 2 },
      topics: [
        { term: 'python', count: 4 },
        { term: 'exam', count: 3 },
        { term: 'passed', count: 1 },
        { term: 'results', count: 1 },
        { term: 'tips', count: 1 }
      ],
      mood: {
        readings: 4,
        distribution: { despair: 0, sadness: 1, anxiety: 1, loneliness: 0, anger: 0, joy: 1, neutral: 1 },
        prevailing: 'sadness'
      }
    })
  })

  it('reports an empty window without nulls where numbers are due', async () => {
    const user = await store.createUser('quiet', 'hash', 0)
    if (user === null) throw new Error('user not created')
    const service = createReportService({ store, timeZone: 'UTC', clock: () => Date.parse('2024-06-01T12:00:00Z') })
    const report = await service.report({ id: user.id, username: 'quiet' }, 3)

    expect(report.totals).toEqual({ messages_sent: 0, replies_received: 0, failed_messages: 0, days_active: 0, first_activity: null, last_activity: null })
    expect(report.activity.per_day).toEqual([
      { date: '2024-05-30', messages: 0 }, { date: '2024-05-31', messages: 0 }, { date: '2024-06-01', messages: 0 }
    ])
    expect(report.activity.busiest_day).toBeNull()
    expect(report.activity.busiest_hour).toBeNull()
    expect(report.activity.longest_streak).toEqual({ days: 0, start: null, end: null })
    expect(report.habits).toEqual({ average_length: null, median_length: null, messages_by_endpoint: { message: 0, advanced: 0 }, advanced_share: null, plain_share: null })
    expect(report.limits).toEqual({ daily: 0, burst: 0, total: 0 })
    expect(report.topics).toEqual([])
    expect(report.mood.readings).toBe(0)
    expect(report.mood.prevailing).toBeNull()
  })

  it('takes the median of an even count as the mean of the middle two, in code points', async () => {
    const user = await store.createUser('even', 'hash', 0)
    if (user === null) throw new Error('user not created')
    for (const [i, text] of ['ab', '😀😀😀😀', 'abcdefg', '一二三四五六七八九十'].entries()) {
      await send(store, user.id, { at: `2024-06-01T0${i}:00:00Z`, text })
    }
    const service = createReportService({ store, timeZone: 'UTC', clock: () => Date.parse('2024-06-01T12:00:00Z') })
    const { habits } = await service.report({ id: user.id, username: 'even' }, 1)
    // Lengths 2, 4, 7, 10.
    expect(habits.median_length).toBe(5.5)
    expect(habits.average_length).toBe(5.75)
  })

  it('buckets by local hour in a zone with a half-hour offset', async () => {
    const user = await store.createUser('kolkata', 'hash', 0)
    if (user === null) throw new Error('user not created')
    // 18:45 UTC is 00:15 the next day in India (+05:30).
    await send(store, user.id, { at: '2024-06-01T18:45:00Z', text: 'late night' })
    const service = createReportService({ store, timeZone: 'Asia/Kolkata', clock: () => Date.parse('2024-06-02T12:00:00Z') })
    const { activity } = await service.report({ id: user.id, username: 'kolkata' }, 2)
    expect(activity.per_day).toEqual([{ date: '2024-06-01', messages: 0 }, { date: '2024-06-02', messages: 1 }])
    expect(activity.busiest_hour).toEqual({ hour: 0, messages: 1 })
  })

  it('reports 10,000 messages over a year from the database', async () => {
    const user = await store.createUser('busy', 'hash', 0)
    const other = await store.createUser('other', 'hash', 0)
    if (user === null || other === null) throw new Error('users not created')
    const now = Date.parse('2024-12-31T12:00:00Z')
    const start = Date.parse('2024-01-02T00:00:00Z')
    const step = Math.floor((now - start) / 10_000)
    for (let i = 0; i < 10_000; i++) {
      await send(store, user.id, {
        at: new Date(start + i * step).toISOString(),
        text: `message ${i % 7 === 0 ? 'python' : 'typescript'} 第${i}条 学习`,
        endpoint: i % 4 === 0 ? 'advanced' : 'message',
        ...(i % 4 === 0 ? { mood: 'joy' } : {})
      })
    }
    await send(store, other.id, { at: new Date(now - 1000).toISOString(), text: 'someone else entirely' })

    const service = createReportService({ store, timeZone: 'Europe/Berlin', clock: () => now })
    const started = performance.now()
    const report = await service.report({ id: user.id, username: 'busy' }, 365)
    const elapsed = performance.now() - started
    console.log(`report of 10,000 messages over 365 days: ${elapsed.toFixed(1)} ms`)

    const sum = (xs: Array<{ messages: number }>): number => xs.reduce((s, x) => s + x.messages, 0)
    expect(report.totals.messages_sent).toBe(10_000)
    expect(report.totals.replies_received).toBe(10_000)
    expect(report.activity.per_day).toHaveLength(365)
    expect(sum(report.activity.per_day)).toBe(10_000)
    expect(sum(report.activity.per_hour)).toBe(10_000)
    expect(report.totals.days_active).toBe(report.activity.per_day.filter((d) => d.messages > 0).length)
    expect(report.habits.messages_by_endpoint).toEqual({ message: 7500, advanced: 2500 })
    expect(report.mood.distribution.joy).toBe(2500)
    expect(report.topics.slice(0, 4)).toEqual([
      { term: 'message', count: 10_000 },
      { term: '学习', count: 10_000 },
      { term: 'typescript', count: 8571 },
      { term: 'python', count: 1429 }
    ])
    expect(report.topics.map((t) => t.term)).not.toContain('someone')
  })
})
