import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { buildReport } from '../../src/report/build-report.js'
import { reportWindow } from '../../src/report/window.js'
import { ReportQuerySchema, ReportSchema } from '../../src/schemas/report.js'
import type { ReportData } from '../../src/domain/report.js'

const window = reportWindow(Date.parse('2024-01-03T12:00:00Z'), 3, 'UTC')
const day = (date: string) => Date.parse(date) / 86_400_000

const data: ReportData = {
  messagesSent: 5,
  failedMessages: 1,
  repliesReceived: 4,
  firstActivity: Date.parse('2024-01-01T08:00:00Z'),
  lastActivity: Date.parse('2024-01-03T09:30:00Z'),
  perDay: [{ day: day('2024-01-01'), messages: 2 }, { day: day('2024-01-03'), messages: 3 }],
  perHour: [{ hour: 8, messages: 2 }, { hour: 9, messages: 3 }],
  byEndpoint: { message: 2, advanced: 3 },
  averageLength: 12.3456,
  medianLength: 10,
  refusals: { daily: 2, burst: 1 },
  moods: [{ mood: 'anxiety', messages: 2 }, { mood: 'neutral', messages: 1 }, { mood: 'retired-label', messages: 4 }]
}

describe('buildReport', () => {
  const report = buildReport('eric', window, data, [{ term: 'python', count: 3 }], 'en')

  it('is valid against ReportSchema', () => {
    expect(Value.Errors(ReportSchema, report)).toEqual([])
  })

  it('assembles totals, activity, habits, limits, topics and mood', () => {
    expect(report.window).toEqual({ days: 3, time_zone: 'UTC', since: '2024-01-01T00:00:00.000Z', until: '2024-01-04T00:00:00.000Z' })
    expect(report.totals).toEqual({
      messages_sent: 5,
      replies_received: 4,
      failed_messages: 1,
      days_active: 2,
      first_activity: '2024-01-01T08:00:00.000Z',
      last_activity: '2024-01-03T09:30:00.000Z'
    })
    expect(report.activity.per_day).toEqual([
      { date: '2024-01-01', messages: 2 }, { date: '2024-01-02', messages: 0 }, { date: '2024-01-03', messages: 3 }
    ])
    expect(report.activity.busiest_day).toEqual({ date: '2024-01-03', messages: 3 })
    expect(report.activity.busiest_hour).toEqual({ hour: 9, messages: 3 })
    expect(report.activity.longest_streak).toEqual({ days: 1, start: '2024-01-01', end: '2024-01-01' })
    expect(report.habits).toEqual({
      average_length: 12.35, median_length: 10, messages_by_endpoint: { message: 2, advanced: 3 }, advanced_share: 0.6, plain_share: 0.4
    })
    expect(report.limits).toEqual({ daily: 2, burst: 1, total: 3 })
    expect(report.topics).toEqual([{ term: 'python', count: 3 }])
  })

  it('says it in words, from the same figures', () => {
    expect(report.summary).toEqual({
      language: 'en',
      text: 'In the last 3 days you sent 5 messages on 2 days. You wrote most around 09:00, and your busiest day was 3 January (3 messages). You talked most about “python”. The feeling that came up most was worry (2 of 7 messages); 1 read as calm. 3 messages were refused by a limit.'
    })
  })

  it('lists every mood and leaves out labels it does not know', () => {
    expect(report.mood).toEqual({
      readings: 7,
      distribution: { despair: 0, sadness: 0, anxiety: 2, loneliness: 0, anger: 0, joy: 0, neutral: 1 },
      prevailing: 'anxiety'
    })
  })
})

describe('ReportQuerySchema', () => {
  it('defaults days to 30 and bounds it to 1–365', () => {
    expect(Value.Default(ReportQuerySchema, {})).toEqual({ days: 30 })
    expect(Value.Check(ReportQuerySchema, { days: 365 })).toBe(true)
    expect(Value.Check(ReportQuerySchema, { days: 0 })).toBe(false)
    expect(Value.Check(ReportQuerySchema, { days: 366 })).toBe(false)
    expect(Value.Check(ReportQuerySchema, { days: 1.5 })).toBe(false)
  })
})
