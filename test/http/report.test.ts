import { afterEach, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { echo } from '../helpers/upstream.js'

/**
 * `GET /user/report` against hand-computed fixtures, driven through the real HTTP API with the
 * hand-moved clock. Every expected figure below is a literal worked out from the fixture table by
 * hand (comments say how), never by calling the app's own report functions.
 *
 * Both apps run with DAILY_MESSAGE_LIMIT=4 and BURST_MESSAGE_LIMIT=2 per 30 s, and a 30-day token
 * (expiry is checked against the test clock, which the fixtures move across a week).
 */

let t: TestApp
afterEach(async () => { await t?.close() })

type Outcome =
  | 'answered' // 200
  | 'failed' // the provider answers 500: 502 to the client, the message is stored as failed
  | 'burst' // refused by the burst limit (401)
  | 'daily' // refused by the daily limit (401)

/** One message of a fixture: when (local time with its UTC offset, written out), who, where, what, and what must happen. */
interface Row { at: string, user?: 'bob', endpoint: 'message' | 'advanced', text: string, outcome: Outcome }

const LIMITS = { DAILY_MESSAGE_LIMIT: '4', BURST_MESSAGE_LIMIT: '2', BURST_WINDOW_SECONDS: '30', ACCESS_TOKEN_TTL_MINUTES: '43200' }

/** Sends every row at its time, checking each outcome as the fixture says. */
async function play (rows: readonly Row[], tokens: Record<'eric' | 'bob', string>): Promise<void> {
  for (const [i, row] of rows.entries()) {
    t.clock.now = Date.parse(row.at)
    t.upstream.behave(row.outcome === 'failed' ? () => ({ kind: 'status', status: 500 }) : echo)
    const res = await t.chat(tokens[row.user ?? 'eric'], row.text, row.endpoint === 'advanced' ? '/llm/message/advanced' : '/llm/message')
    const label = `row ${i}: ${row.at} ${row.text}`
    switch (row.outcome) {
      case 'answered':
        expect(res.statusCode, label).toBe(200)
        break
      case 'failed':
        expect(res.statusCode, label).toBe(502)
        expect(res.json().error, label).toBe('llm_error')
        break
      case 'burst':
      case 'daily':
        expect(res.statusCode, label).toBe(401)
        expect(res.json().error, label).toBe(`${row.outcome}_limit_exceeded`)
        break
    }
  }
  t.upstream.behave(echo)
}

/** The 24 local hours, zero-filled, with the given counts. */
function hours (counts: Record<number, number>): Array<{ hour: number, messages: number }> {
  return Array.from({ length: 24 }, (_, hour) => ({ hour, messages: counts[hour] ?? 0 }))
}

async function report (token: string, days: number) {
  const res = await t.get(token, `/user/report?days=${days}`)
  expect(res.statusCode).toBe(200)
  return res.json()
}

describe('GET /user/report against a hand-computed fixture', () => {
  it('Asia/Shanghai (UTC+8): local days and hours, limits, a failed reply, topics, mood, another user', async () => {
    // Report asked on 2026-03-08 20:00 local, days=7: the local days 03-02 … 03-08,
    // [03-02 00:00+08:00, 03-09 00:00+08:00) = [03-01T16:00Z, 03-08T16:00Z).
    // len = characters (code points). Mood = the lexicon reading, stored for both endpoints.
    const rows: Row[] = [
      // Before the window (03-01 local): none of it may count, "kiwi" never shows.
      { at: '2026-03-01T12:00:00+08:00', endpoint: 'message', text: 'kiwi smoothie', outcome: 'answered' },
      { at: '2026-03-01T12:00:05+08:00', endpoint: 'message', text: 'kiwi smoothie', outcome: 'answered' },
      { at: '2026-03-01T12:00:06+08:00', endpoint: 'advanced', text: 'kiwi again', outcome: 'burst' }, // a refusal outside the window
      { at: '2026-03-01T23:59:59+08:00', endpoint: 'message', text: 'kiwi before midnight', outcome: 'answered' }, // 1 s before `since`

      // #1 exactly at `since` (UTC date 03-01): len 20, python exam tomorrow, neutral
      { at: '2026-03-02T00:00:00+08:00', endpoint: 'message', text: 'Python exam tomorrow', outcome: 'answered' },
      // #2 (UTC 15:59:59Z): len 8, 担心 考试 (今天 stop word, 我 很 single), anxiety (很担心)
      { at: '2026-03-02T23:59:59+08:00', endpoint: 'advanced', text: '今天我很担心考试', outcome: 'answered' },
      // #3 (UTC date 03-02): len 25, coffee first python (then: stop word), neutral
      { at: '2026-03-03T07:30:00+08:00', endpoint: 'message', text: 'Coffee first, then Python', outcome: 'answered' },
      // 03-04: nothing.
      // #4 len 21 code points (22 UTF-16 units: 😊 is astral), happy (i am so today: dropped), joy
      { at: '2026-03-05T09:00:00+08:00', endpoint: 'message', text: 'I am so happy today 😊', outcome: 'answered' },
      // Bob, between Eric's messages: his quota is his own.
      { at: '2026-03-05T09:00:05+08:00', user: 'bob', endpoint: 'message', text: 'zebra zebra giraffe', outcome: 'answered' },
      // #5 len 5, 咖啡 考试 (和 single), neutral
      { at: '2026-03-05T09:00:10+08:00', endpoint: 'advanced', text: '咖啡和考试', outcome: 'answered' },
      // Eric's 3rd within 30 s (09:00:00, 09:00:10 counted): burst.
      { at: '2026-03-05T09:00:20+08:00', endpoint: 'message', text: 'third in thirty seconds', outcome: 'burst' },
      { at: '2026-03-05T10:00:00+08:00', user: 'bob', endpoint: 'advanced', text: 'zebra angry', outcome: 'answered' },
      { at: '2026-03-05T10:00:05+08:00', user: 'bob', endpoint: 'advanced', text: 'zebra angry', outcome: 'answered' },
      { at: '2026-03-05T10:00:06+08:00', user: 'bob', endpoint: 'message', text: 'zebra again', outcome: 'burst' },
      // #7 the provider fails: stored and counted as a failed message, no reply, uses no quota. len 21, neutral
      { at: '2026-03-05T12:00:00+08:00', endpoint: 'advanced', text: 'Python keeps crashing', outcome: 'failed' },
      // #8 3rd counted today. len 11, 考试 紧张 (我们 今天 stop words, 了 好 single), anxiety (好紧张)
      { at: '2026-03-05T21:00:00+08:00', endpoint: 'message', text: '我们今天考试了，好紧张', outcome: 'answered' },
      // #9 4th counted today (the failed #7 does not count). len 9, lonely, loneliness
      { at: '2026-03-05T21:00:10+08:00', endpoint: 'advanced', text: 'so lonely', outcome: 'answered' },
      // Daily full (4) and burst full (21:00:00, 21:00:10): the daily limit is the one recorded.
      { at: '2026-03-05T21:00:15+08:00', endpoint: 'message', text: 'refused by both limits', outcome: 'daily' },
      { at: '2026-03-05T23:30:00+08:00', endpoint: 'advanced', text: 'one more please', outcome: 'daily' },
      // #12 a new local day, though still 03-05 in UTC (22:00Z), where 4 were already counted. len 17, python coffee, neutral
      { at: '2026-03-06T06:00:00+08:00', endpoint: 'message', text: 'Python and coffee', outcome: 'answered' },
      // #13 len 7, 开心 (今天 真的 stop words, 很 single), joy (很开心)
      { at: '2026-03-06T18:00:00+08:00', endpoint: 'advanced', text: '今天真的很开心', outcome: 'answered' },
      // #14 last activity (UTC 15:59:59Z). len 12, exam passed, neutral
      { at: '2026-03-07T23:59:59+08:00', endpoint: 'advanced', text: 'Exam passed!', outcome: 'answered' }
      // 03-08 (today): nothing.
    ]

    t = await startTestApp({ env: { DAY_TIMEZONE: 'Asia/Shanghai', ...LIMITS } })
    t.clock.now = Date.parse('2026-03-01T09:00:00+08:00')
    const tokens = { eric: await t.signUp('eric'), bob: await t.signUp('bob') }
    await play(rows, tokens)
    t.clock.now = Date.parse('2026-03-08T20:00:00+08:00')

    const eric = await report(tokens.eric, 7)
    expect(eric).toEqual({
      username: 'eric',
      // The figures below in words; most of Eric's messages are English.
      summary: {
        language: 'en',
        text: 'In the last 7 days you sent 11 messages on 5 days. You wrote most around 09:00, and your busiest day was 5 March (5 messages). ' +
          'Your longest run was 3 days in a row. You talked most about “python”, “考试” and “coffee”. ' +
          'The feeling that came up most was worry (2 of 11 messages); 6 read as calm. 3 messages were refused by a limit.'
      },
      window: { days: 7, time_zone: 'Asia/Shanghai', since: '2026-03-01T16:00:00.000Z', until: '2026-03-08T16:00:00.000Z' },
      totals: {
        // #1 #2 #3 #4 #5 #7 #8 #9 #12 #13 #14; refusals are not messages.
        messages_sent: 11,
        // every one but the failed #7
        replies_received: 10,
        failed_messages: 1,
        days_active: 5,
        first_activity: '2026-03-01T16:00:00.000Z', // #1, 03-02 00:00+08:00
        last_activity: '2026-03-07T15:59:59.000Z'
      },
      activity: {
        per_day: [
          { date: '2026-03-02', messages: 2 }, // #1 #2 (by UTC date: one on 03-01, one on 03-02)
          { date: '2026-03-03', messages: 1 }, // #3 (by UTC date: 03-02)
          { date: '2026-03-04', messages: 0 },
          { date: '2026-03-05', messages: 5 }, // #4 #5 #7(failed) #8 #9
          { date: '2026-03-06', messages: 2 }, // #12 #13
          { date: '2026-03-07', messages: 1 }, // #14
          { date: '2026-03-08', messages: 0 }
        ],
        // local hours: #1 0, #12 6, #3 7, #4 #5 9, #7 12, #13 18, #8 #9 21, #2 #14 23
        per_hour: hours({ 0: 1, 6: 1, 7: 1, 9: 2, 12: 1, 18: 1, 21: 2, 23: 2 }),
        busiest_day: { date: '2026-03-05', messages: 5 },
        // 9, 21 and 23 tie at 2: the earliest
        busiest_hour: { hour: 9, messages: 2 },
        // runs: 03-02…03-03 (2), 03-05…03-07 (3)
        longest_streak: { days: 3, start: '2026-03-05', end: '2026-03-07' }
      },
      habits: {
        // 20 + 8 + 25 + 21 + 5 + 21 + 11 + 9 + 17 + 7 + 12 = 156; 156 / 11 = 14.1818… (in UTF-16 units: 157 / 11 = 14.27)
        average_length: 14.18,
        // sorted 5 7 8 9 11 [12] 17 20 21 21 25
        median_length: 12,
        // message: #1 #3 #4 #8 #12; advanced: #2 #5 #7 #9 #13 #14
        messages_by_endpoint: { message: 5, advanced: 6 },
        advanced_share: 0.5455, // 6 / 11 = 0.54545…
        plain_share: 0.4545 // 5 / 11 = 0.45454…
      },
      // burst: 09:00:20 (the one on 03-01 is outside); daily: 21:00:15, 23:30. Bob's burst is his.
      limits: { daily: 2, burst: 1, total: 3 },
      // python: #1 #3 #7 #12; 考试: #2 #5 #8; coffee: #3 #12; exam: #1 #14; then the ones alphabetically,
      // cut at 10: crashing first happy keeps lonely passed (tomorrow 咖啡 开心 担心 紧张 left out).
      // Were stop words kept, 今天 (×3), so (×2), am and and would have made the list.
      topics: [
        { term: 'python', count: 4 },
        { term: '考试', count: 3 },
        { term: 'coffee', count: 2 },
        { term: 'exam', count: 2 },
        { term: 'crashing', count: 1 },
        { term: 'first', count: 1 },
        { term: 'happy', count: 1 },
        { term: 'keeps', count: 1 },
        { term: 'lonely', count: 1 },
        { term: 'passed', count: 1 }
      ],
      mood: {
        // all 11 messages, both endpoints, the failed one too
        readings: 11,
        // anxiety: #2 #8; loneliness: #9; joy: #4 #13; neutral: #1 #3 #5 #7 #12 #14
        distribution: { despair: 0, sadness: 0, anxiety: 2, loneliness: 1, anger: 0, joy: 2, neutral: 6 },
        // anxiety and joy tie at 2: distress before joy
        prevailing: 'anxiety'
      }
    })
    for (const word of ['kiwi', 'zebra', 'giraffe', 'angry']) expect(JSON.stringify(eric)).not.toContain(word)

    // days=6 starts at 03-03 00:00+08:00 (03-02T16:00Z): #2, one second before, is out with #1.
    const six = await report(tokens.eric, 6)
    expect(six.window).toEqual({ days: 6, time_zone: 'Asia/Shanghai', since: '2026-03-02T16:00:00.000Z', until: '2026-03-08T16:00:00.000Z' })
    expect(six.totals).toEqual({ messages_sent: 9, replies_received: 8, failed_messages: 1, days_active: 4, first_activity: '2026-03-02T23:30:00.000Z', last_activity: '2026-03-07T15:59:59.000Z' })
    expect(six.activity.per_day.map((d: { messages: number }) => d.messages)).toEqual([1, 0, 5, 2, 1, 0])

    // Bob's report has his data only: 3 messages, his burst refusal, his words and moods.
    const bob = await report(tokens.bob, 7)
    expect(bob.totals).toEqual({ messages_sent: 3, replies_received: 3, failed_messages: 0, days_active: 1, first_activity: '2026-03-05T01:00:05.000Z', last_activity: '2026-03-05T02:00:05.000Z' })
    expect(bob.limits).toEqual({ daily: 0, burst: 1, total: 1 })
    expect(bob.topics).toEqual([{ term: 'zebra', count: 4 }, { term: 'angry', count: 2 }, { term: 'giraffe', count: 1 }])
    expect(bob.mood).toEqual({ readings: 3, distribution: { despair: 0, sadness: 0, anxiety: 0, loneliness: 0, anger: 2, joy: 0, neutral: 1 }, prevailing: 'anger' })
  })

  it('America/New_York across the 2026-11-01 fall-back: 25-hour day, repeated hour, local midnights', async () => {
    // EDT (-04:00) until 2026-11-01 02:00 local (06:00Z), then EST (-05:00); 11-01 lasts 25 hours.
    // Report asked on 2026-11-05 12:00 EST, days=7: local days 10-30 … 11-05,
    // [10-30 00:00-04:00, 11-06 00:00-05:00) = [10-30T04:00Z, 11-06T05:00Z).
    const rows: Row[] = [
      // 1 min before `since`, though on 10-30 in UTC.
      { at: '2026-10-29T23:59:00-04:00', endpoint: 'message', text: 'outside kiwi', outcome: 'answered' },
      // N1 at `since`: len 15, garden tomatoes, neutral
      { at: '2026-10-30T00:00:00-04:00', endpoint: 'message', text: 'garden tomatoes', outcome: 'answered' },
      // N2 (10-31 in UTC): len 24, worried garden (about the: stop words), anxiety
      { at: '2026-10-30T20:30:00-04:00', endpoint: 'advanced', text: 'worried about the garden', outcome: 'answered' },
      // 10-31: nothing.
      // N3 len 10, rain (again: stop word), neutral
      { at: '2026-11-01T00:15:00-04:00', endpoint: 'message', text: 'rain again', outcome: 'answered' },
      // N4 the first 01:30 (EDT): len 11, garden rain, neutral
      { at: '2026-11-01T01:30:00-04:00', endpoint: 'message', text: 'garden rain', outcome: 'answered' },
      // N5 the second 01:30 (EST), an hour later, also hour 1: len 18, tomatoes happy, joy
      { at: '2026-11-01T01:30:00-05:00', endpoint: 'advanced', text: 'tomatoes are happy', outcome: 'answered' },
      // N6 4th of the local day 11-01 (11-02T04:30Z in UTC): len 18, sad tomatoes, sadness
      { at: '2026-11-01T23:30:00-05:00', endpoint: 'advanced', text: 'sad about tomatoes', outcome: 'answered' },
      // 5th of the local day: daily (a UTC day would hold only N6).
      { at: '2026-11-01T23:45:00-05:00', endpoint: 'message', text: 'one more garden question', outcome: 'daily' },
      // N8 local midnight: a new day. len 4, rain, neutral
      { at: '2026-11-02T00:00:00-05:00', endpoint: 'message', text: 'rain', outcome: 'answered' },
      // N9 len 13, garden ×2, neutral
      { at: '2026-11-02T00:00:10-05:00', endpoint: 'advanced', text: 'garden garden', outcome: 'answered' },
      // 3rd within 30 s: burst.
      { at: '2026-11-02T00:00:20-05:00', endpoint: 'advanced', text: 'too fast', outcome: 'burst' },
      // 11-03: nothing.
      // len 8, tomatoes, neutral
      { at: '2026-11-04T09:00:00-05:00', endpoint: 'message', text: 'tomatoes', outcome: 'answered' },
      // len 12, happy garden, joy
      { at: '2026-11-04T09:10:00-05:00', endpoint: 'advanced', text: 'happy garden', outcome: 'answered' },
      // len 9, rain ×2, neutral
      { at: '2026-11-04T14:00:00-05:00', endpoint: 'message', text: 'rain rain', outcome: 'answered' },
      // len 7, compost, neutral (4th today: the limit, not over it)
      { at: '2026-11-04T14:10:00-05:00', endpoint: 'message', text: 'compost', outcome: 'answered' },
      // len 11, sad compost, sadness
      { at: '2026-11-05T11:00:00-05:00', endpoint: 'advanced', text: 'sad compost', outcome: 'answered' },
      // last activity: len 16, compost tea bags, neutral
      { at: '2026-11-05T11:30:00-05:00', endpoint: 'message', text: 'compost tea bags', outcome: 'answered' }
    ]

    t = await startTestApp({ env: { DAY_TIMEZONE: 'America/New_York', ...LIMITS } })
    t.clock.now = Date.parse('2026-10-29T12:00:00-04:00')
    const tokens = { eric: await t.signUp('eric'), bob: await t.signUp('bob') }
    await play(rows, tokens)
    t.clock.now = Date.parse('2026-11-05T12:00:00-05:00')

    expect(await report(tokens.eric, 7)).toEqual({
      username: 'eric',
      summary: {
        language: 'en',
        text: 'In the last 7 days you sent 14 messages on 5 days. You wrote most around 00:00, and your busiest day was 1 November (4 messages). ' +
          'Your longest run was 2 days in a row. You talked most about “garden”, “rain” and “tomatoes”. ' +
          'The feeling that came up most was sadness (2 of 14 messages); 9 read as calm. 2 messages were refused by a limit.'
      },
      window: { days: 7, time_zone: 'America/New_York', since: '2026-10-30T04:00:00.000Z', until: '2026-11-06T05:00:00.000Z' },
      totals: {
        messages_sent: 14,
        replies_received: 14,
        failed_messages: 0,
        days_active: 5,
        first_activity: '2026-10-30T04:00:00.000Z',
        last_activity: '2026-11-05T16:30:00.000Z'
      },
      activity: {
        per_day: [
          { date: '2026-10-30', messages: 2 }, // N1 N2
          { date: '2026-10-31', messages: 0 },
          { date: '2026-11-01', messages: 4 }, // N3 N4 N5 N6, over 25 hours
          { date: '2026-11-02', messages: 2 }, // N8 N9
          { date: '2026-11-03', messages: 0 },
          { date: '2026-11-04', messages: 4 },
          { date: '2026-11-05', messages: 2 }
        ],
        // 0: N1 N3 N8 N9; 1: both 01:30s; 9, 14: 11-04; 11: 11-05; 20: N2; 23: N6
        per_hour: hours({ 0: 4, 1: 2, 9: 2, 11: 2, 14: 2, 20: 1, 23: 1 }),
        // 11-01 and 11-04 tie at 4: the earliest
        busiest_day: { date: '2026-11-01', messages: 4 },
        busiest_hour: { hour: 0, messages: 4 },
        // runs: 10-30 (1), 11-01…11-02 (2), 11-04…11-05 (2): the earliest of the longest
        longest_streak: { days: 2, start: '2026-11-01', end: '2026-11-02' }
      },
      habits: {
        // 15 + 24 + 10 + 11 + 18 + 18 + 4 + 13 + 8 + 12 + 9 + 7 + 11 + 16 = 176; 176 / 14 = 12.5714…
        average_length: 12.57,
        // sorted 4 7 8 9 10 11 [11 12] 13 15 16 18 18 24: (11 + 12) / 2
        median_length: 11.5,
        messages_by_endpoint: { message: 8, advanced: 6 },
        advanced_share: 0.4286, // 6 / 14 = 0.428571…
        plain_share: 0.5714 // 8 / 14 = 0.571428…
      },
      limits: { daily: 1, burst: 1, total: 2 },
      // garden: N1 N2 N4 N9×2 11-04; rain: N3 N4 N8 11-04×2; tomatoes: N1 N5 N6 11-04;
      // compost: 11-04 11-05 ×2; happy, sad: 2; then bags tea worried
      topics: [
        { term: 'garden', count: 6 },
        { term: 'rain', count: 5 },
        { term: 'tomatoes', count: 4 },
        { term: 'compost', count: 3 },
        { term: 'happy', count: 2 },
        { term: 'sad', count: 2 },
        { term: 'bags', count: 1 },
        { term: 'tea', count: 1 },
        { term: 'worried', count: 1 }
      ],
      mood: {
        readings: 14,
        // anxiety: N2; joy: N5, happy garden; sadness: N6, sad compost; the other 9 neutral
        distribution: { despair: 0, sadness: 2, anxiety: 1, loneliness: 0, anger: 0, joy: 2, neutral: 9 },
        // sadness and joy tie at 2: distress before joy
        prevailing: 'sadness'
      }
    })

    // days=8 reaches back to 10-29 00:00 EDT (04:00Z): the message at 23:59 that day is in.
    const eight = await report(tokens.eric, 8)
    expect(eight.window.since).toBe('2026-10-29T04:00:00.000Z')
    expect(eight.totals.messages_sent).toBe(15)
    expect(eight.activity.per_day[0]).toEqual({ date: '2026-10-29', messages: 1 })
    expect(eight.topics).toContainEqual({ term: 'kiwi', count: 1 })

    // Bob never wrote: an empty report, zero-filled.
    const bob = await report(tokens.bob, 7)
    expect(bob.totals).toEqual({ messages_sent: 0, replies_received: 0, failed_messages: 0, days_active: 0, first_activity: null, last_activity: null })
    expect(bob.activity.per_day.map((d: { messages: number }) => d.messages)).toEqual([0, 0, 0, 0, 0, 0, 0])
    expect(bob.limits).toEqual({ daily: 0, burst: 0, total: 0 })
    expect(bob.topics).toEqual([])
  })
})

describe('GET /user/report in the person\'s words', () => {
  it('leaves the username, the name they gave and filler out of the topics, and sums up in the language they write in', async () => {
    t = await startTestApp({ env: { BURST_MESSAGE_LIMIT: '100' } })
    const token = await t.signUp('xiaoming_88')
    for (const text of ['你好，我叫小明', '小明今天考试了，感觉还行', '考试好难，反正明天还有考试', 'actually the exam was basically fine, xiaoming out']) {
      expect((await t.chat(token, text)).statusCode).toBe(200)
    }
    const res = await t.get(token, '/user/report?days=1')
    const body = res.json()
    const terms = (body.topics as Array<{ term: string }>).map((x) => x.term)
    expect(terms).toContain('考试')
    for (const left of ['小明', 'xiaoming', 'xiaoming_88', '感觉', '反正', 'actually', 'basically']) expect(terms).not.toContain(left)
    expect(body.summary.language).toBe('zh')
    expect(body.summary.text).toMatch(/^今天你发了4条消息。/)
    expect(body.summary.text).toContain('“考试”')
  })

  it('sums up in the request\'s language when there are no messages', async () => {
    t = await startTestApp()
    const token = await t.signUp('eric')
    const res = await t.inject({ method: 'GET', url: '/user/report?days=3', headers: { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN' } })
    expect(res.json().summary).toEqual({ language: 'zh', text: '最近3天里你没有发消息。' })
  })
})
