import {
  MongoClientClosedError,
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type MongoClientOptions
} from 'mongodb'
import { AppError } from '../../errors.js'

/** How long start-up, and then each operation, waits for a usable server before giving up. */
export const SERVER_SELECTION_TIMEOUT_MS = 5000

/**
 * Client options: fail fast when the database is gone (a request gets 503 within seconds instead of
 * hanging), while the driver's monitors keep reconnecting in the background, so the service
 * recovers by itself. An option given in the URI wins over these defaults.
 */
export function clientOptions (uri: string, serverSelectionTimeoutMS = SERVER_SELECTION_TIMEOUT_MS): MongoClientOptions {
  const defaults: MongoClientOptions = {
    appName: 'simple-chat',
    serverSelectionTimeoutMS,
    connectTimeoutMS: serverSelectionTimeoutMS,
    // A silent network (no reset) must not hold a request forever; every operation here is small.
    socketTimeoutMS: 30_000
  }
  const query = uri.includes('?') ? new URLSearchParams(uri.slice(uri.indexOf('?') + 1)) : new URLSearchParams()
  const given = new Set([...query.keys()].map((key) => key.toLowerCase()))
  return Object.fromEntries(Object.entries(defaults).filter(([key]) => !given.has(key.toLowerCase())))
}

/**
 * The URI without credentials or options, for messages: `mongodb+srv://cluster0.example.net/`.
 * Never includes the password.
 */
export function describeUri (uri: string): string {
  const scheme = /^[a-z+]+:\/\//i.exec(uri)?.[0] ?? ''
  const rest = uri.slice(scheme.length)
  const authority = rest.split(/[/?]/, 1)[0] ?? ''
  const hosts = authority.slice(authority.lastIndexOf('@') + 1)
  return `${scheme}${hosts}`
}

/** `text` with the URI's password (raw or decoded) replaced, in case a driver message quotes it. */
export function redact (text: string, uri: string): string {
  const scheme = /^[a-z+]+:\/\//i.exec(uri)?.[0] ?? ''
  const authority = uri.slice(scheme.length).split(/[/?]/, 1)[0] ?? ''
  const at = authority.lastIndexOf('@')
  if (at < 0) return text
  const userinfo = authority.slice(0, at)
  const colon = userinfo.indexOf(':')
  if (colon < 0) return text
  const raw = userinfo.slice(colon + 1)
  let decoded = raw
  try { decoded = decodeURIComponent(raw) } catch { /* keep the raw form */ }
  let out = text
  for (const secret of [userinfo, raw, decoded]) {
    if (secret !== '') out = out.split(secret).join('***')
  }
  return out
}

// Server error codes that mean "no usable primary right now" (from the driver's retryable set).
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  134 // ReadConcernMajorityNotAvailableYet
])
const UNAVAILABLE_LABELS: string[] = [
  MongoErrorLabel.RetryableWriteError,
  MongoErrorLabel.TransientTransactionError,
  MongoErrorLabel.ResetPool,
  MongoErrorLabel.PoolRequestedRetry,
  MongoErrorLabel.SystemOverloadedError
]

/** Whether a driver error means the database is (for now) out of reach, rather than a bug. */
export function isUnavailable (err: unknown): boolean {
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError || err instanceof MongoTopologyClosedError ||
    err instanceof MongoClientClosedError || err instanceof MongoServerClosedError ||
    err instanceof MongoOperationTimeoutError) {
    return true
  }
  if (!(err instanceof MongoError)) return false
  if (err.name === 'MongoPoolClosedError' || err.name === 'MongoWaitQueueTimeoutError') return true
  if (UNAVAILABLE_LABELS.some((label) => err.hasErrorLabel(label))) return true
  return typeof err.code === 'number' && UNAVAILABLE_CODES.has(err.code)
}

/** Runs a database operation; an unreachable database becomes a 503, as SQLite's `guard` does. */
export async function guard<T> (operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (err) {
    if (isUnavailable(err)) throw new AppError('storage_unavailable', { cause: err })
    throw err
  }
}

/** A duplicate key (E11000): a unique index refused the write. */
export function isDuplicateKey (err: unknown): boolean {
  return err instanceof MongoError && err.code === 11000
}
