import { describe, expect, it } from 'vitest'
import { busiest, longestStreak, share, zeroFillDays, zeroFillHours } from '../../src/report/activity.js'

const days = (...counts: number[]) => counts.map((messages, i) => ({ date: `2024-01-0${i + 1}`, messages }))

describe('zeroFillDays', () => {
  it('lists every day of the window, 0 where there were no messages', () => {
    const dates = [{ date: '2024-01-01', day: 19_723 }, { date: '2024-01-02', day: 19_724 }, { date: '2024-01-03', day: 19_725 }]
    expect(zeroFillDays(dates, [{ day: 19_724, messages: 5 }])).toEqual([
      { date: '2024-01-01', messages: 0 }, { date: '2024-01-02', messages: 5 }, { date: '2024-01-03', messages: 0 }
    ])
  })
})

describe('zeroFillHours', () => {
  it('lists the 24 hours', () => {
    const hours = zeroFillHours([{ hour: 0, messages: 2 }, { hour: 23, messages: 1 }])
    expect(hours).toHaveLength(24)
    expect(hours[0]).toEqual({ hour: 0, messages: 2 })
    expect(hours[12]).toEqual({ hour: 12, messages: 0 })
    expect(hours[23]).toEqual({ hour: 23, messages: 1 })
  })
})

describe('busiest', () => {
  it('picks the most messages, the earliest on a tie, none when all are 0', () => {
    expect(busiest(days(1, 3, 2, 3))).toEqual({ date: '2024-01-02', messages: 3 })
    expect(busiest(days(0, 0))).toBeNull()
    expect(busiest([])).toBeNull()
  })
})

describe('longestStreak', () => {
  it.each([
    [[], { days: 0, start: null, end: null }],
    [[0, 0, 0], { days: 0, start: null, end: null }],
    [[1], { days: 1, start: '2024-01-01', end: '2024-01-01' }],
    [[1, 1, 0, 1, 1, 1, 0], { days: 3, start: '2024-01-04', end: '2024-01-06' }],
    [[1, 1, 0, 1, 1], { days: 2, start: '2024-01-01', end: '2024-01-02' }],
    [[0, 2, 5, 1], { days: 3, start: '2024-01-02', end: '2024-01-04' }]
  ])('%j', (counts, streak) => {
    expect(longestStreak(days(...counts))).toEqual(streak)
  })
})

describe('share', () => {
  it('rounds to four decimals and is null for nothing', () => {
    expect(share(1, 3)).toBe(0.3333)
    expect(share(2, 2)).toBe(1)
    expect(share(0, 0)).toBeNull()
  })
})
