import { AppError, sentence } from '../errors.js'
import type { Admission, QuotaWindow } from '../domain/limits.js'
import { createDayBounds } from './day.js'

export interface QuotaOptions {
  dailyLimit: number
  burstLimit: number
  burstWindowSeconds: number
  timeZone: string
  /** Status of a refusal: 401 as the seed asks, or 429. */
  refusalStatus: number
  /** A pending message older than this was abandoned (the process died mid-request). */
  pendingTimeoutMs: number
}

export interface QuotaPolicy {
  /** The limits in force at `now`, for the store to apply atomically. */
  windowAt (now: number): QuotaWindow
  /** The error for a refused admission, with the wait until it would be admitted. */
  refusal (admission: Extract<Admission, { admitted: false }>, now: number): AppError
}

/** The daily and sliding-window burst limits; the store applies them, this says what they are. */
export function createQuotaPolicy (options: QuotaOptions): QuotaPolicy {
  const dayAt = createDayBounds(options.timeZone)
  const burstMs = options.burstWindowSeconds * 1000

  return {
    windowAt (now) {
      return {
        now,
        dayStart: dayAt(now).start,
        dailyLimit: options.dailyLimit,
        // Inclusive: a message sent at `burstStart` is still inside the window.
        burstStart: now - burstMs + 1,
        burstLimit: options.burstLimit,
        pendingSince: now - options.pendingTimeoutMs
      }
    },

    refusal (admission, now) {
      const daily = admission.limit === 'daily'
      const waitMs = daily ? dayAt(now).end - now : (admission.burstOldest ?? now) + burstMs - now
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
      const detail = daily
        ? sentence('daily_limit_reached', { limit: options.dailyLimit, zone: options.timeZone, wait: retryAfter })
        : sentence('burst_limit_reached', { limit: options.burstLimit, window: options.burstWindowSeconds, wait: retryAfter })
      return new AppError(daily ? 'daily_limit_exceeded' : 'burst_limit_exceeded', {
        status: options.refusalStatus,
        detail,
        extra: { retry_after: retryAfter },
        headers: { 'retry-after': String(retryAfter) }
      })
    }
  }
}
