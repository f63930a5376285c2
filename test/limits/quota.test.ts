import { describe, expect, it } from 'vitest'
import { countsAgainstLimits } from '../../src/domain/limits.js'
import { createDayBounds } from '../../src/limits/day.js'
import { createQuotaPolicy } from '../../src/limits/quota.js'

const HOUR = 3_600_000
const options = { dailyLimit: 20, burstLimit: 3, burstWindowSeconds: 30, timeZone: 'Europe/Berlin', refusalStatus: 401, pendingTimeoutMs: 120_000 }

describe('createDayBounds', () => {
  it('gives the local calendar day, 23 and 25 hours long on daylight-saving days', () => {
    const day = createDayBounds('Europe/Berlin')
    // 2026-03-29: clocks go from 02:00 to 03:00; 2026-10-25: from 03:00 back to 02:00.
    const spring = day(Date.UTC(2026, 2, 29, 12))
    expect(spring.start).toBe(Date.UTC(2026, 2, 28, 23))
    expect(spring.end - spring.start).toBe(23 * HOUR)
    const autumn = day(Date.UTC(2026, 9, 25, 12))
    expect(autumn.start).toBe(Date.UTC(2026, 9, 24, 22))
    expect(autumn.end - autumn.start).toBe(25 * HOUR)
  })

  it('starts a new day at local midnight exactly, going forward and back in time', () => {
    const day = createDayBounds('Asia/Shanghai')
    const midnight = Date.UTC(2026, 10, 30, 16) // 2026-12-01 00:00 in Shanghai
    expect(day(midnight - 1).end).toBe(midnight)
    expect(day(midnight).start).toBe(midnight)
    expect(day(midnight - 1).start).toBe(midnight - 24 * HOUR) // asked again for an earlier day
  })
})

describe('createQuotaPolicy', () => {
  it('gives the window the store applies: today, the burst window (inclusive), when pending stops counting', () => {
    const now = Date.UTC(2026, 10, 30, 12, 0, 0)
    expect(createQuotaPolicy(options).windowAt(now)).toEqual({
      now,
      dayStart: Date.UTC(2026, 10, 29, 23), // Berlin midnight, UTC+1 in November
      dailyLimit: 20,
      burstStart: now - 30_000 + 1,
      burstLimit: 3,
      pendingSince: now - 120_000
    })
  })

  it('refuses the daily limit until local midnight, in whole seconds, at the configured status', () => {
    const now = Date.UTC(2026, 10, 30, 22, 59, 58, 500) // 1.5 s before Berlin midnight
    const refusal = createQuotaPolicy(options).refusal({ admitted: false, limit: 'daily' }, now)
    expect(refusal).toMatchObject({ code: 'daily_limit_exceeded', status: 401, extra: { retry_after: 2 }, headers: { 'retry-after': '2' } })
    expect(refusal.detail).toContain('Europe/Berlin')
    expect(createQuotaPolicy({ ...options, refusalStatus: 429 }).refusal({ admitted: false, limit: 'daily' }, now).status).toBe(429)
  })

  it('refuses the burst limit until the oldest counted message leaves the window, never less than a second', () => {
    const policy = createQuotaPolicy(options)
    const now = 1_000_000
    expect(policy.refusal({ admitted: false, limit: 'burst', burstOldest: now - 10_000 }, now)).toMatchObject({ code: 'burst_limit_exceeded', extra: { retry_after: 20 } })
    expect(policy.refusal({ admitted: false, limit: 'burst', burstOldest: now - 29_999 }, now).extra).toEqual({ retry_after: 1 })
  })
})

describe('countsAgainstLimits', () => {
  const window = createQuotaPolicy(options).windowAt(10_000_000)
  it('counts answered messages always, pending ones until abandoned, failed ones never', () => {
    expect(countsAgainstLimits('answered', 0, window)).toBe(true)
    expect(countsAgainstLimits('pending', window.pendingSince, window)).toBe(true)
    expect(countsAgainstLimits('pending', window.pendingSince - 1, window)).toBe(false)
    expect(countsAgainstLimits('failed', window.now, window)).toBe(false)
  })
})
