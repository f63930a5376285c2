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

export interface User {
  id: string
  /** As registered; the lookup key is its lower-case form. */
  username: string
  passwordHash: string
  createdAt: number
}

export type ChatRecord =
  | { id: string, type: 'user', text: string, createdAt: number, endpoint: Endpoint, status: UserMessageStatus, mood?: string }
  | { id: string, type: 'ai', text: string, createdAt: number, endpoint: Endpoint, status: AiMessageStatus }

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

export interface Store {
  readonly kind: 'sqlite' | 'mongodb'

  /** Creates a user; `null` when the name is taken (case-insensitively). */
  createUser (username: string, passwordHash: string, createdAt: number): Promise<User | null>
  /** Case-insensitive lookup. */
  findUser (username: string): Promise<User | null>

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
  /** User messages counted against the daily limit since `window.dayStart`. */
  countToday (userId: string, window: QuotaWindow): Promise<number>

  close (): Promise<void>
}
