import { DatabaseStartupError } from '../database-startup-error.js'
import type { Reply } from '../../domain/messages.js'

/**
 * MongoDB refuses a document over 16 MiB (the server's `maxBsonObjectSize`). The two documents that
 * grow with settings stay under a budget with room to spare: a message (its text, at most
 * MAX_MESSAGE_CHARS code points of up to 4 UTF-8 bytes, and its embedded reply), and a user's quota
 * document (one slot per admitted message of today and the days kept before it).
 */
export const DOCUMENT_BUDGET_BYTES = 15 * 1024 * 1024

/** A message's text may use at most half the budget (checked at start); its reply has the rest. */
const TEXT_BUDGET_BYTES = DOCUMENT_BUDGET_BYTES / 2
export const REPLY_BUDGET_BYTES = DOCUMENT_BUDGET_BYTES - TEXT_BUDGET_BYTES

/** One slot `{id, at, answered}` in the `slots` array, in BSON, rounded up (a test measures it). */
export const SLOT_BYTES = 64

/**
 * Days of slots a quota document holds at most: today's, and the two days kept before the
 * earliest window start (queries.ts, SLOT_RETENTION_MS), which can itself start up to a day
 * earlier with an unusual DAY_TIMEZONE.
 */
export const SLOT_DAYS = 4

export interface SizeLimits {
  dailyMessageLimit: number
  maxMessageChars: number
}

/** Refuses, at start, settings under which a document could outgrow the budget. */
export function checkDocumentSizes ({ dailyMessageLimit, maxMessageChars }: SizeLimits): void {
  const maxDaily = Math.floor(DOCUMENT_BUDGET_BYTES / (SLOT_DAYS * SLOT_BYTES))
  if (dailyMessageLimit > maxDaily) {
    throw new DatabaseStartupError(`invalid configuration: DAILY_MESSAGE_LIMIT ${dailyMessageLimit} is more than MongoDB can hold in one user's quota document (16 MiB); at most ${maxDaily} with MONGODB_URI`)
  }
  const maxChars = Math.floor(TEXT_BUDGET_BYTES / 4)
  if (maxMessageChars > maxChars) {
    throw new DatabaseStartupError(`invalid configuration: MAX_MESSAGE_CHARS ${maxMessageChars} could make a message larger than MongoDB stores (16 MiB with its reply); at most ${maxChars} with MONGODB_URI`)
  }
}

/**
 * The reply as stored: within its budget. A reply that would not fit (megabytes; the provider's
 * own limits come first) is cut on a character boundary and stored as `incomplete`, rather than
 * refused by the server with everything in it lost.
 */
export function fitReply (reply: Reply, room = REPLY_BUDGET_BYTES): Reply {
  if (Buffer.byteLength(reply.text, 'utf8') <= room) return reply
  const bytes = Buffer.from(reply.text, 'utf8')
  let end = room
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end-- // not inside a character
  return { ...reply, text: bytes.subarray(0, end).toString('utf8'), status: 'incomplete' }
}
