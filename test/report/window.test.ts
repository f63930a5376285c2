import { describe, expect, it } from 'vitest'
import { dateOfDay, reportWindow, utcOffsets } from '../../src/report/window.js'

const HOUR = 3_600_000

describe('reportWindow', () => {
  it('covers the last `days` local days, today included, as [since, until)', () => {
    const window = reportWindow(Date.parse('2024-06-15T12:00:00Z'), 3, 'UTC')
    expect(window).toEqual({
      days: 3,
      timeZone: 'UTC',
      since: Date.parse('2024-06-13T00:00:00Z'),
      until: Date.parse('2024-06-16T00:00:00Z'),
      dates: [
        { date: '2024-06-13', day: Date.parse('2024-06-13') / 86_400_000 },
        { date: '2024-06-14', day: Date.parse('2024-06-14') / 86_400_000 },
        { date: '2024-06-15', day: Date.parse('2024-06-15') / 86_400_000 }
      ],
      offsets: [{ from: Date.parse('2024-06-13T00:00:00Z'), offsetMs: 0 }]
    })
  })

  it('counts days in the zone: late evening in New York is already tomorrow in UTC', () => {
    const window = reportWindow(Date.parse('2024-06-16T02:00:00Z'), 1, 'America/New_York')
    expect(window.dates.map((d) => d.date)).toEqual(['2024-06-15'])
    expect(window.since).toBe(Date.parse('2024-06-15T00:00:00-04:00'))
    expect(window.until).toBe(Date.parse('2024-06-16T00:00:00-04:00'))
  })

  it('has 23- and 25-hour days across daylight-saving changes', () => {
    const spring = reportWindow(Date.parse('2024-03-10T12:00:00-04:00'), 1, 'America/New_York')
    expect(spring.until - spring.since).toBe(23 * HOUR)
    const autumn = reportWindow(Date.parse('2024-11-03T12:00:00-05:00'), 1, 'America/New_York')
    expect(autumn.until - autumn.since).toBe(25 * HOUR)
  })

  it('allows a full year', () => {
    const window = reportWindow(Date.parse('2024-12-31T12:00:00Z'), 365, 'Europe/Berlin')
    expect(window.dates).toHaveLength(365)
    expect(window.dates[0]?.date).toBe('2024-01-02')
    expect(window.dates.at(-1)?.date).toBe('2024-12-31')
    expect(window.offsets).toHaveLength(3)
  })
})

describe('utcOffsets', () => {
  it('finds each change to the millisecond', () => {
    const since = Date.parse('2024-01-01T00:00:00Z')
    const until = Date.parse('2025-01-01T00:00:00Z')
    expect(utcOffsets('America/New_York', since, until)).toEqual([
      { from: since, offsetMs: -5 * HOUR },
      { from: Date.parse('2024-03-10T07:00:00Z'), offsetMs: -4 * HOUR },
      { from: Date.parse('2024-11-03T06:00:00Z'), offsetMs: -5 * HOUR }
    ])
  })

  it('handles half-hour zones and their changes', () => {
    const since = Date.parse('2024-01-01T00:00:00Z')
    const until = Date.parse('2024-12-31T00:00:00Z')
    expect(utcOffsets('Asia/Kolkata', since, until)).toEqual([{ from: since, offsetMs: 5.5 * HOUR }])
    // Newfoundland changes at 02:00 local, i.e. at half past the UTC hour.
    expect(utcOffsets('America/St_Johns', since, until)[1]).toEqual({ from: Date.parse('2024-03-10T05:30:00Z'), offsetMs: -2.5 * HOUR })
  })

  it('has one offset for a zone without changes', () => {
    expect(utcOffsets('Asia/Shanghai', 0, 400 * 86_400_000)).toEqual([{ from: 0, offsetMs: 8 * HOUR }])
  })
})

describe('dateOfDay', () => {
  it('formats a day number', () => {
    expect(dateOfDay(0)).toBe('1970-01-01')
    expect(dateOfDay(19_723)).toBe('2024-01-01')
  })
})
