import { ObjectId } from 'mongodb'
import type { Conversation } from '../../domain/conversations.js'
import type { LimitName } from '../../domain/limits.js'
import type { AiMessageStatus, ChatRecord, Endpoint, MiddleOutReport, UserMessageStatus } from '../../domain/messages.js'
import type { User } from '../../domain/users.js'

/**
 * The documents of the MongoDB backend, and their mapping to the Store's shapes. Times are epoch
 * milliseconds (numbers), as in the contract.
 */

/** `users`: one per account; `usernameKey` (the lower-case name) is unique. */
export interface UserDoc {
  _id: ObjectId
  username: string
  usernameKey: string
  passwordHash: string
  createdAt: number
  /** Absent on accounts created before token versions: their tokens carry an empty one (ObjectIds are never reused). */
  tokenVersion?: string
}

/**
 * The ai record of a message, embedded in it so that "answered + reply" is one atomic write. `seq`
 * places it in the user's history, as the SQLite row id does.
 */
export interface ReplyDoc {
  _id: ObjectId
  seq: number
  text: string
  createdAt: number
  status: AiMessageStatus
}

/**
 * `conversations`: one per conversation of a user. The conversation that took in a user's records
 * from before conversations has the user's id as its own (`adoptOrphans` in `conversations.ts`).
 */
export interface ConversationDoc {
  _id: ObjectId
  userId: ObjectId
  title: string
  /** The title as searched (`titleKey`). */
  titleKey: string
  createdAt: number
  updatedAt: number
}

/** `messages`: one per user message; `_id` is the admission slot's id; `seq` orders history. */
export interface MessageDoc {
  _id: ObjectId
  userId: ObjectId
  /** Absent only on a message from before conversations not yet adopted (it is the user's id then). */
  conversationId?: ObjectId
  seq: number
  endpoint: Endpoint
  status: UserMessageStatus
  text: string
  createdAt: number
  mood?: string
  /** Never counted against the limits (it has no slot in the quota document). */
  exempt?: true
  /** What middle-out cut from the prompt that carried it. */
  middleOut?: MiddleOutReport
  reply?: ReplyDoc
}

/** One admitted message in the user's quota document: counts while answered, or pending and recent. */
export interface Slot {
  id: ObjectId
  at: number
  answered: boolean
}

/**
 * `quotas`: one per user (`_id` is the user's id), the single document every admission of that user
 * updates atomically. `slots` holds the admitted messages that can still count (today's and the
 * burst window's, kept from two days before them); `seq` hands out history positions; `admission` is the outcome of the last
 * admission, read back from the same atomic update.
 */
export interface QuotaDoc {
  _id: ObjectId
  seq?: number
  slots?: Slot[]
  admission?: { id: ObjectId, limit: LimitName | null, burstOldest: number | null }
}

/** `refusals`: messages a limit refused, for the behaviour report. */
export interface RefusalDoc {
  userId: ObjectId
  limit: LimitName
  endpoint: Endpoint
  createdAt: number
}

const OBJECT_ID = /^[0-9a-f]{24}$/i

/** The ObjectId an id string names, or `null` when it is not one of ours (never throws). */
export function parseId (id: string): ObjectId | null {
  return typeof id === 'string' && OBJECT_ID.test(id) ? ObjectId.createFromHexString(id) : null
}

export function toUser (doc: UserDoc): User {
  return { id: doc._id.toHexString(), username: doc.username, passwordHash: doc.passwordHash, createdAt: doc.createdAt, tokenVersion: doc.tokenVersion ?? '' }
}

export function toConversation (doc: ConversationDoc, messageCount: number): Conversation {
  return { id: doc._id.toHexString(), title: doc.title, createdAt: doc.createdAt, updatedAt: doc.updatedAt, messageCount }
}

/** A message's records (the user's, then the reply if any), each with its history position. */
function recordsOf (doc: MessageDoc): Array<{ seq: number, record: ChatRecord }> {
  const conversationId = (doc.conversationId ?? doc.userId).toHexString()
  const records: Array<{ seq: number, record: ChatRecord }> = [{
    seq: doc.seq,
    record: {
      id: doc._id.toHexString(),
      conversationId,
      type: 'user',
      text: doc.text,
      createdAt: doc.createdAt,
      endpoint: doc.endpoint,
      status: doc.status,
      ...(typeof doc.mood === 'string' ? { mood: doc.mood } : {}),
      ...(doc.middleOut === undefined || doc.middleOut === null ? {} : { middleOut: doc.middleOut })
    }
  }]
  if (doc.reply !== undefined && doc.reply !== null) {
    const { reply } = doc
    records.push({
      seq: reply.seq,
      record: { id: reply._id.toHexString(), conversationId, type: 'ai', text: reply.text, createdAt: reply.createdAt, endpoint: doc.endpoint, status: reply.status }
    })
  }
  return records
}

/**
 * The newest `lastN` records, oldest first, from message documents that include the newest `lastN`
 * by message position and the newest `lastN` by reply position (duplicates allowed).
 */
export function newestRecords (docs: MessageDoc[], lastN: number): ChatRecord[] {
  const seen = new Set<string>()
  const all: Array<{ seq: number, record: ChatRecord }> = []
  for (const doc of docs) {
    const key = doc._id.toHexString()
    if (seen.has(key)) continue
    seen.add(key)
    all.push(...recordsOf(doc))
  }
  return all
    .sort((a, b) => b.seq - a.seq)
    .slice(0, Math.max(0, lastN))
    .reverse()
    .map((entry) => entry.record)
}
