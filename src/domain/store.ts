import type { Conversation, ConversationQuery } from './conversations.js'
import type { AttemptReservation, AttemptScope, Admission, QuotaWindow } from './limits.js'
import type { ChatRecord, ContextRecord, NewMessage, Reply } from './messages.js'
import type { ReportData, ReportRange, ReportTextReader } from './report.js'
import type { ApiKey, User } from './users.js'

/**
 * The storage contract: everything the service keeps, behind one small interface with two
 * backends (`storage/sqlite`, the embedded default, and `storage/mongo`). Each backend maps its
 * rows/documents to the domain's shapes itself.
 */
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
   * Removes the user and everything of theirs (conversations, records, refusals, limits, keys, their attempts), in one
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
   * Links the key to `conversationId` if its conversation is still `replacing` (`null`: none yet),
   * atomically; returns the key's conversation after (the one linked, or the one another request
   * linked first), `null` when the key is gone.
   */
  linkApiKeyConversation (keyId: string, conversationId: string, replacing: string | null): Promise<string | null>

  /**
   * Atomically checks both limits and, when they allow it, stores the message as `pending`;
   * a refusal is recorded (for the report) and nothing else changes. Atomic across processes
   * sharing the database: concurrent calls never admit more than the limits allow.
   */
  admitMessage (message: NewMessage, window: QuotaWindow): Promise<Admission>
  /**
   * Marks the user message `answered` and stores the reply after it, in one transaction. A message
   * no longer there (its conversation was deleted meanwhile) is left so: the reply is not stored.
   */
  completeMessage (messageId: string, reply: Reply): Promise<void>
  /** Marks the user message `failed`: it stays in history and stops counting against the limits. */
  failMessage (messageId: string): Promise<void>

  /** The user's newest `lastN` records across their conversations, oldest first. */
  history (userId: string, lastN: number): Promise<ChatRecord[]>
  /**
   * What the provider sees of the past: the conversation's newest `lastN` records of answered
   * messages (each message and its reply; pending and failed ones left out), oldest first; empty
   * for a conversation that is not the user's. It runs on every chat: SQLite reads two columns and
   * keeps the result per process (`sqlite/context-cache.ts`); MongoDB reads the same two queries as
   * `history`, each through its index.
   */
  promptHistory (userId: string, conversationId: string, lastN: number): Promise<readonly ContextRecord[]>

  /**
   * A new conversation of the user; `null` when the user is gone. Throws `too_many_conversations`
   * when they already have `MAX_EMPTY_CONVERSATIONS` without a message (creating is free; messages
   * are limited, so this bounds what a user can store).
   */
  createConversation (userId: string, title: string, createdAt: number): Promise<Conversation | null>
  /** The user's conversations, most recently used first (ties: newest first). */
  listConversations (userId: string, query: ConversationQuery): Promise<Conversation[]>
  /** One of the user's conversations; `null` for another user's, or an id that names none. */
  findConversation (userId: string, conversationId: string): Promise<Conversation | null>
  /** Sets the title; `null` as for `findConversation`. */
  renameConversation (userId: string, conversationId: string, title: string): Promise<Conversation | null>
  /**
   * Removes the conversation and its records; `false` as for `findConversation`. What its messages
   * used of the limits stays used (`now` says which of them can still count).
   */
  deleteConversation (userId: string, conversationId: string, now: number): Promise<boolean>
  /** The conversation's newest `lastN` records, oldest first; `null` as for `findConversation`. */
  conversationHistory (userId: string, conversationId: string, lastN: number): Promise<ChatRecord[] | null>
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
