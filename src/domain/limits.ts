/** The message limits (daily, burst) and the attempt caps (logins, registrations), as storage enforces them. */

export type LimitName = 'daily' | 'burst'

/**
 * The quota in force at one instant. A user message counts against it while it is `answered`, or
 * `pending` and created at or after `pendingSince` (older pending ones were abandoned by a crash).
 */
export interface QuotaWindow {
  now: number
  dayStart: number
  dailyLimit: number
  burstStart: number
  burstLimit: number
  pendingSince: number
}

/**
 * The rule of `QuotaWindow`, stated once: whether a user message (not exempt) counts against the
 * limits at the window's instant. Each backend says the same in its own query language, next to
 * its use of this: SQLite's `COUNTED`, MongoDB's `countedSlot`.
 */
export function countsAgainstLimits (status: 'pending' | 'answered' | 'failed', createdAt: number, window: QuotaWindow): boolean {
  return status === 'answered' || (status === 'pending' && createdAt >= window.pendingSince)
}

export type Admission =
  | { admitted: true, messageId: string, conversationId: string }
  /**
   * `burstOldest`: creation time of the oldest of the `burstLimit` newest counted messages, i.e.
   * the one whose leaving the window frees a slot (set when `limit` is `burst`).
   */
  | { admitted: false, limit: LimitName, burstOldest?: number }

/**
 * One cap on attempts (logins, registrations): at most `limit` attempts under `key` within
 * `windowMs` of each other. An attempt counts from when it is reserved until `windowMs` later,
 * unless it is released.
 */
export interface AttemptScope {
  key: string
  limit: number
  windowMs: number
  /** The username key of the account these entries are about: they leave with the account. */
  owner?: string
}

export type AttemptReservation =
  | { reserved: true, id: string }
  /** `retryAt`: when every full scope has room again (epoch ms). */
  | { reserved: false, retryAt: number }
