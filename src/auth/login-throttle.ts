import { usernameKey } from '../storage/store.js'

/**
 * Throttles password guessing: after `maxFailures` failed logins for one username within
 * `windowMs`, further attempts are refused until the window ends. Only failures count, so a person
 * who types their password right is never slowed down. Hand-written because rate-limit plugins count
 * every request, not failures. Kept in memory, per process: several processes each allow
 * `maxFailures`, still a hard bound on guessing. The map is bounded; the oldest entries go first.
 */
export interface LoginThrottle {
  /** Seconds to wait, or 0 when an attempt is allowed now. */
  retryAfter (username: string, now: number): number
  recordFailure (username: string, now: number): void
  recordSuccess (username: string): void
}

export function createLoginThrottle ({ maxFailures = 5, windowMs = 15 * 60_000, maxEntries = 100_000 } = {}): LoginThrottle {
  const failures = new Map<string, { count: number, since: number }>()

  return {
    retryAfter (username, now) {
      const entry = failures.get(usernameKey(username))
      if (entry === undefined || entry.count < maxFailures) return 0
      const wait = entry.since + windowMs - now
      return wait > 0 ? Math.ceil(wait / 1000) : 0
    },
    recordFailure (username, now) {
      const k = usernameKey(username)
      const entry = failures.get(k)
      if (entry === undefined || now - entry.since >= windowMs) {
        failures.delete(k)
        if (failures.size >= maxEntries) failures.delete(failures.keys().next().value as string)
        failures.set(k, { count: 1, since: now })
      } else {
        entry.count++
      }
    },
    recordSuccess (username) {
      failures.delete(usernameKey(username))
    }
  }
}
