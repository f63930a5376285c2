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
  ReadConcern,
  ReadPreference,
  WriteConcern,
  type DbOptions,
  type MongoClientOptions
} from 'mongodb'
import { storageUnavailable } from '../../errors.js'

/**
 * How the backend waits for the database. An election (a primary failing, or Atlas maintenance
 * stepping one down) leaves a replica set without a primary for up to ~12 s in the manual's
 * words, so an operation waits up to 15 s for a primary, and the driver retries a read or a write
 * once on the new one; every Store call (all its operations and retries) still answers within
 * `callDeadlineMS`, with 503 and `Retry-After` when the database did not come back in time.
 */
export interface MongoTimeouts {
  /** How long an operation waits for a usable primary. */
  serverSelectionTimeoutMS: number
  /** Every Store call ends within this, answered or 503. */
  callDeadlineMS: number
  /** Start-up as a whole: DNS (SRV, TXT), connecting, authenticating, the ping and the indexes. */
  startupTimeoutMS: number
}

export const DEFAULT_TIMEOUTS: MongoTimeouts = { serverSelectionTimeoutMS: 15_000, callDeadlineMS: 20_000, startupTimeoutMS: 30_000 }

/**
 * Opening a connection, and each monitoring check (hello). A server that stops answering is
 * declared unknown after this, and the driver then interrupts the operations waiting on it
 * (they are retried on the new primary): a silent connection does not hold a request until the
 * socket timeout.
 */
const CONNECT_TIMEOUT_MS = 5000

/**
 * Client options. Timeouts given in the URI win over these defaults (an operator may tune them);
 * retryable reads and writes are always on, since riding out an election depends on them.
 */
export function clientOptions (uri: string, timeouts: MongoTimeouts): MongoClientOptions {
  const defaults: MongoClientOptions = {
    appName: 'simple-chat',
    serverSelectionTimeoutMS: timeouts.serverSelectionTimeoutMS,
    connectTimeoutMS: Math.min(CONNECT_TIMEOUT_MS, timeouts.serverSelectionTimeoutMS),
    // A backstop only: the call deadline answers first, and every operation here is small.
    socketTimeoutMS: timeouts.callDeadlineMS
  }
  const query = uri.includes('?') ? new URLSearchParams(uri.slice(uri.indexOf('?') + 1)) : new URLSearchParams()
  const given = new Set([...query.keys()].map((key) => key.toLowerCase()))
  return {
    ...Object.fromEntries(Object.entries(defaults).filter(([key]) => !given.has(key.toLowerCase()))),
    retryReads: true,
    retryWrites: true
  }
}

/**
 * The database's options, whatever the URI says (`readPreference=secondary`, `w=1`, ...): reads
 * go to the primary, so a completion always finds the message just admitted; writes return once
 * a majority of the replica set has them in its journal, so a failover cannot roll back an
 * admitted slot or a stored reply. Reads at `local` on the primary see every acknowledged write.
 */
export const PINNED_DB_OPTIONS: DbOptions = {
  readPreference: ReadPreference.primary,
  readConcern: new ReadConcern('local'),
  writeConcern: new WriteConcern('majority', undefined, true)
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

/** The error a Store call ends with when its deadline passes first. */
export class CallDeadlineError extends Error {
  override name = 'CallDeadlineError'
}

/**
 * Runs one Store call within `deadlineMs`; an unreachable database, or one that does not answer in
 * time, becomes a 503 with `Retry-After`, as SQLite's `guard` does. An operation still running at
 * the deadline is left to the driver (bounded by its own timeouts): a write it completes later is
 * one the caller was not told about, which the limits already treat as an abandoned message.
 */
export async function guard<T> (deadlineMs: number, operation: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CallDeadlineError(`no answer from MongoDB within ${deadlineMs} ms`)), deadlineMs)
  })
  try {
    return await Promise.race([operation(), deadline])
  } catch (err) {
    if (err instanceof CallDeadlineError || isUnavailable(err)) throw storageUnavailable(err)
    throw err
  } finally {
    clearTimeout(timer)
  }
}

/** `guard` bound to the store's deadline: how every part of the store runs one Store call. */
export type Call = <T>(operation: () => Promise<T>) => Promise<T>

/** A duplicate key (E11000): a unique index refused the write. */
export function isDuplicateKey (err: unknown): boolean {
  return err instanceof MongoError && err.code === 11000
}
