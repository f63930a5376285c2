import { describe, expect, it } from 'vitest'
import { summarize, type SummaryFigures } from '../../src/report/summary.js'

const calm = { joy: 0, sadness: 0, anxiety: 0, anger: 0, loneliness: 0, despair: 0, neutral: 0 }

const week: SummaryFigures = {
  days: 7,
  messagesSent: 12,
  daysActive: 4,
  busiestDay: { date: '2026-11-24', messages: 5 },
  busiestHour: { hour: 21, messages: 6 },
  longestStreak: { days: 3, start: '2026-11-22', end: '2026-11-24' },
  topics: [{ term: 'python', count: 4 }, { term: '考试', count: 3 }, { term: 'sleep', count: 2 }, { term: 'extra', count: 1 }],
  readings: 12,
  distribution: { ...calm, sadness: 5, joy: 2, neutral: 5 },
  prevailing: 'sadness',
  refused: 1
}

describe('summarize', () => {
  it('says a week in English: how much, when, what about, how the mood went', () => {
    expect(summarize(week, 'en')).toBe(
      'In the last 7 days you sent 12 messages on 4 days. You wrote most around 21:00, and your busiest day was 24 November (5 messages). ' +
      'Your longest run was 3 days in a row. You talked most about “python”, “考试” and “sleep”. ' +
      'The feeling that came up most was sadness (5 of 12 messages); 5 read as calm. 1 message was refused by a limit.')
  })

  it('says the same week in Chinese', () => {
    expect(summarize(week, 'zh')).toBe(
      '最近7天里，你在4天中发了12条消息。你最常在21点左右聊天，最忙的一天是11月24日（5条）。最长连续聊了3天。' +
      '聊得最多的是“python”、“考试”、“sleep”。出现最多的情绪是难过（12条中的5条），5条读起来比较平静。有1条消息因为达到限额没有发出。')
  })

  it('reads right for one message on one day, with no topics and no feeling', () => {
    const one: SummaryFigures = {
      ...week,
      days: 1,
      messagesSent: 1,
      daysActive: 1,
      busiestDay: { date: '2026-11-24', messages: 1 },
      busiestHour: { hour: 7, messages: 1 },
      longestStreak: { days: 1, start: '2026-11-24', end: '2026-11-24' },
      topics: [],
      readings: 1,
      distribution: { ...calm, neutral: 1 },
      prevailing: null,
      refused: 0
    }
    expect(summarize(one, 'en')).toBe('Today you sent 1 message. You wrote most around 07:00. Your messages read as calm, with no strong feeling.')
    expect(summarize(one, 'zh')).toBe('今天你发了1条消息。你最常在7点左右聊天。你的消息读起来都比较平静。')
  })

  it('says so when there are no messages, refusals included', () => {
    const none: SummaryFigures = { ...week, messagesSent: 0, daysActive: 0, busiestDay: null, busiestHour: null, topics: [], readings: 0, distribution: calm, prevailing: null, refused: 2 }
    expect(summarize(none, 'en')).toBe('In the last 7 days you sent no messages; 2 messages were refused by a limit.')
    expect(summarize({ ...none, refused: 0 }, 'en')).toBe('In the last 7 days you sent no messages.')
    expect(summarize(none, 'zh')).toBe('最近7天里你没有发消息，有2条消息因为达到限额没有发出。')
  })
})
