import { randomBytes } from 'node:crypto'

/**
 * The storage contract: everything the service keeps, behind one small interface with two
 * backends (SQLite, the embedded default, and MongoDB). Times are epoch milliseconds; ids are
 * opaque strings. Each backend maps its rows/documents to these shapes itself.
 */

export type Endpoint = 'message' | 'advanced'

/**
 * A user message is `pending` while its reply is being produced, `answered` once it has one and
 * `failed` when the provider failed (kept in history, but it uses no quota).
 * An ai record is `complete`, or `incomplete` when the stream was cut short by the client.
 */
export type UserMessageStatus = 'pending' | 'answered' | 'failed'
export type AiMessageStatus = 'complete' | 'incomplete'

/**
 * One account per name in any letter case: "Eric" and "eric" are the same user. Every place that
 * asks "the same user?" (both backends, the login throttle, the chat route) uses this key.
 */
export function usernameKey (username: string): string {
  return username.toLowerCase()
}

export interface User {
  id: string
  /** As registered; the lookup key is its lower-case form. */
  username: string
  passwordHash: string
  createdAt: number
  /**
   * Put in every token issued to the user, and required back: random (so no other database, and no
   * earlier life of this one, holds the same id with the same version), replaced on a password
   * change, which ends every earlier token.
   */
  tokenVersion: string
}

/** A fresh `tokenVersion`: 128 random bits. */
export function newTokenVersion (): string {
  return randomBytes(16).toString('base64url')
}

export type ChatRecord =
  | { id: string, type: 'user', text: string, createdAt: number, endpoint: Endpoint, status: UserMessageStatus, mood?: string }
  | { id: string, type: 'ai', text: string, createdAt: number, endpoint: Endpoint, status: AiMessageStatus }

/** What the provider sees of a past record. */
export interface ContextRecord { type: 'user' | 'ai', text: string }

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

export interface NewMessage {
  userId: string
  text: string
  endpoint: Endpoint
  createdAt: number
  /** The emotion reading of the advanced endpoint, kept for the report. */
  mood?: string
  /**
   * Answered without the provider (the crisis reply): admitted whatever the limits say and never
   * counted against them, though stored, in history and in the report like any other message.
   */
  exempt?: boolean
}

export type Admission =
  | { admitted: true, messageId: string }
  /**
   * `burstOldest`: creation time of the oldest of the `burstLimit` newest counted messages, i.e.
   * the one whose leaving the window frees a slot (set when `limit` is `burst`).
   */
  | { admitted: false, limit: LimitName, burstOldest?: number }

export interface Reply {
  text: string
  createdAt: number
  status: AiMessageStatus
}

/** A UTC offset (milliseconds, east positive) in force from `from` (epoch ms) until the next one. */
export interface UtcOffset { from: number, offsetMs: number }

/**
 * What a behaviour report covers: records created in [since, until), and how to read local time
 * there. A record's local time is `created_at + offsetMs` of the last offset whose `from` is at or
 * before it (the first applies to everything before the second); its local day is that time
 * divided by 86,400,000, floored (days since 1970-01-01 of the local date), and its local hour the
 * remainder divided by 3,600,000. Exact across daylight-saving changes.
 */
export interface ReportRange {
  since: number
  until: number
  /** Ascending by `from`; never empty. */
  offsets: UtcOffset[]
  /** Each message text handed to the report's `readText` is first cut to this many characters, in the database. */
  textChars: number
}

/**
 * The figures a behaviour report is built from, aggregated by the backend over the user's own
 * records in the range. "Messages" are the user's messages (answered, failed or pending); refused
 * ones were never stored and are counted in `refusals`.
 */
export interface ReportData {
  messagesSent: number
  failedMessages: number
  /** AI records (complete or incomplete). */
  repliesReceived: number
  /** Creation time of the first and last message, `null` when there are none. */
  firstActivity: number | null
  lastActivity: number | null
  /** Local days with messages, ascending; `day` as in `ReportRange`. */
  perDay: Array<{ day: number, messages: number }>
  /** Local hours (0–23) with messages, ascending. */
  perHour: Array<{ hour: number, messages: number }>
  byEndpoint: Record<Endpoint, number>
  /** In characters (code points); `null` when there are no messages. */
  averageLength: number | null
  medianLength: number | null
  refusals: Record<LimitName, number>
  /** Messages by their stored emotion reading; messages without one are not counted. */
  moods: Array<{ mood: string, messages: number }>
}

/** Reads one message text for the report (its topics); `false` when it wants no more. */
export type ReportTextReader = (text: string) => boolean

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

/**
 * A personal API key, as stored: its secret is kept only as `keyHash` (hex SHA-256), found by that
 * hash through a unique index (see `auth/api-keys.ts`).
 */
export interface ApiKey { id: string, userId: string, name: string, createdAt: number }

export interface Store {
  readonly kind: 'sqlite' | 'mongodb'

  /** Resolves when the database answers; throws (503 `storage_unavailable`) when it does not. */
  ping (): Promise<void>

  /** Creates a user; `null` when the name is taken (case-insensitively). */
  createUser (username: string, passwordHash: string, createdAt: number): Promise<User | null>
  /** Case-insensitive lookup. */
  findUser (username: string): Promise<User | null>
  /** By id; `null` for an id that names nobody (never throws for a malformed one). */
  findUserById (id: string): Promise<User | null>
  /** Sets a new password hash and a new `tokenVersion`; `null` when the user is gone. */
  changePassword (userId: string, passwordHash: string): Promise<User | null>
  /**
   * Removes the user and everything of theirs (records, refusals, limits, their attempts), in one
   * transaction where the backend has them; `false` when there was no such user. The name is free
   * again afterwards.
   */
  deleteUser (userId: string): Promise<boolean>

  /** Stores a key of the user; `null` when the user is gone. */
  createApiKey (userId: string, name: string, keyHash: string, createdAt: number): Promise<ApiKey | null>
  /** The user's keys, newest first. */
  listApiKeys (userId: string): Promise<ApiKey[]>
  /** Removes one key of the user's; `false` when they have no such key (another user's included). */
  deleteApiKey (userId: string, keyId: string): Promise<boolean>
  /** The key with this hash, `null` when there is none (revoked, its user deleted, never issued). */
  findApiKey (keyHash: string): Promise<ApiKey | null>

  /**
   * Atomically checks both limits and, when they allow it, stores the message as `pending`;
   * a refusal is recorded (for the report) and nothing else changes. Atomic across processes
   * sharing the database: concurrent calls never admit more than the limits allow.
   */
  admitMessage (message: NewMessage, window: QuotaWindow): Promise<Admission>
  /** Marks the user message `answered` and stores the reply after it, in one transaction. */
  completeMessage (messageId: string, reply: Reply): Promise<void>
  /** Marks the user message `failed`: it stays in history and stops counting against the limits. */
  failMessage (messageId: string): Promise<void>

  /** The user's newest `lastN` records, oldest first. */
  history (userId: string, lastN: number): Promise<ChatRecord[]>
  /**
   * What the provider sees of the past: the newest `lastN` records of answered messages (each
   * message and its reply; pending and failed ones left out), oldest first. It runs on every chat:
   * SQLite reads two columns and keeps the result per process (`sqlite/context-cache.ts`); MongoDB
   * reads the same two queries as `history`, each through its index.
   */
  context (userId: string, lastN: number): Promise<readonly ContextRecord[]>
  /** User messages counted against the daily limit since `window.dayStart`. */
  countToday (userId: string, window: QuotaWindow): Promise<number>

  /**
   * The figures of the user's behaviour report over `range`, aggregated in the database from the
   * user's indexed records, never by loading their history. The texts of the user's messages in
   * the range go to `readText` one at a time, newest first, until it returns `false`.
   */
  report (userId: string, range: ReportRange, readText: ReportTextReader): Promise<ReportData>

  /**
   * Counts one attempt under every scope, atomically and across processes sharing the database:
   * when each scope has fewer than `limit` attempts counted at `now`, one is added to each;
   * otherwise nothing changes. Expired entries are removed on the way.
   */
  reserveAttempt (scopes: readonly AttemptScope[], now: number): Promise<AttemptReservation>
  /** Takes attempt `id` back from the scopes `keys`, and forgets every attempt under `clear`. */
  releaseAttempt (id: string, keys: readonly string[], clear: readonly string[]): Promise<void>

  close (): Promise<void>
}
