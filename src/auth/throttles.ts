import { AppError, type ErrorCode } from '../errors.js'
import type { AttemptScope } from '../domain/limits.js'
import type { Store } from '../domain/store.js'
import { usernameKey } from '../domain/users.js'

/**
 * How many logins and registrations one client gets (README "Security"). Every count is kept in
 * the database (`Store.reserveAttempt`), so it holds across WORKERS, processes and restarts, and an
 * attempt is counted when it starts, before the slow password hash: N simultaneous guesses cannot
 * all slip in between a check and its recording.
 */

type AttemptStore = Pick<Store, 'reserveAttempt' | 'releaseAttempt'>

export interface LoginThrottle {
  /**
   * Runs `check` (a password check of `username`, `null` when it fails) as one counted attempt
   * from `address`. Refused with 429 `too_many_login_attempts` when this username has had
   * `maxFailures` from this address, or this address `maxFailuresPerAddress` over all usernames,
   * within the window. A failed check stays counted for the window (so does one that throws); a
   * successful one is given back and clears this username's failures from this address.
   */
  attempt: <T>(username: string, address: string, check: () => Promise<T | null>) => Promise<T | null>
}

export interface LoginThrottleOptions {
  store: AttemptStore
  clock: () => number
  maxFailures: number
  maxFailuresPerAddress: number
  windowMs: number
}

/**
 * Per username *and* address (OWASP's credential-stuffing guidance), so that someone else's
 * failures never lock the owner out from their own address, plus a cap per address across
 * usernames against password spraying.
 */
export function createLoginThrottle ({ store, clock, maxFailures, maxFailuresPerAddress, windowMs }: LoginThrottleOptions): LoginThrottle {
  return {
    async attempt (username, address, check) {
      const owner = usernameKey(username)
      const pair: AttemptScope = { key: `login:${JSON.stringify([owner, address])}`, limit: maxFailures, windowMs, owner }
      const perAddress: AttemptScope = { key: `login-address:${address}`, limit: maxFailuresPerAddress, windowMs }
      const now = clock()
      const reservation = await store.reserveAttempt([pair, perAddress], now)
      if (!reservation.reserved) throw tooMany('too_many_login_attempts', reservation.retryAt, now, windowMs)
      const result = await check()
      if (result !== null) await store.releaseAttempt(reservation.id, [pair.key, perAddress.key], [pair.key])
      return result
    }
  }
}

export interface RegistrationLimit {
  /** Counts one registration from `address`; 429 `too_many_registrations` past the hourly cap. */
  admit: (address: string) => Promise<void>
}

/** Every registration that reaches the database counts, taken name or not: it also bounds probing for names. */
export function createRegistrationLimit ({ store, clock, perHour }: { store: AttemptStore, clock: () => number, perHour: number }): RegistrationLimit {
  return {
    async admit (address) {
      const now = clock()
      const reservation = await store.reserveAttempt([{ key: `register:${address}`, limit: perHour, windowMs: 3_600_000 }], now)
      if (!reservation.reserved) throw tooMany('too_many_registrations', reservation.retryAt, now, 3_600_000)
    }
  }
}

/**
 * The wait never exceeds the window: another process (WORKERS, several instances) may have stored an
 * attempt stamped a few milliseconds after this request read its clock, which would otherwise say
 * "901 s" for a 15-minute window.
 */
function tooMany (code: ErrorCode, retryAt: number, now: number, windowMs: number): AppError {
  const wait = Math.max(1, Math.ceil((Math.min(retryAt, now + windowMs) - now) / 1000))
  return new AppError(code, { extra: { retry_after: wait }, headers: { 'retry-after': String(wait) } })
}
