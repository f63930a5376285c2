import type { Document, ObjectId, Sort } from 'mongodb'
import { countsAgainstLimits, type Admission, type QuotaWindow } from '../../domain/limits.js'
import type { NewMessage, Reply } from '../../domain/messages.js'
import { DAY_MS } from '../../domain/report.js'
import { newTokenVersion, usernameKey } from '../../domain/users.js'
import type { MessageDoc, QuotaDoc, RefusalDoc, Slot, UserDoc } from './documents.js'

/**
 * Every filter, update and pipeline the MongoDB backend sends, built here as plain data so tests
 * can check them without a server.
 *
 * Injection: input reaches a query only as a value. Filters compare with `$eq`, which takes its
 * operand literally even if it is an object; values inside aggregation expressions (pipeline
 * updates) are wrapped in `$literal`, so a string starting with `$` is never read as a field path.
 * Classic updates (`$set` of a document) store their values as they are.
 */

export function userByNameFilter (username: string): Document {
  return { usernameKey: { $eq: usernameKey(username) } }
}

export function newUserDoc (id: ObjectId, username: string, passwordHash: string, createdAt: number): UserDoc {
  return { _id: id, username, usernameKey: usernameKey(username), passwordHash, createdAt, tokenVersion: newTokenVersion() }
}

export function byIdFilter (id: ObjectId): Document {
  return { _id: { $eq: id } }
}

export function pendingMessageFilter (messageId: ObjectId): Document {
  return { _id: { $eq: messageId }, status: { $eq: 'pending' } }
}

/** A value as itself inside an expression, never read as an operator or field path. */
export const lit = (value: unknown): Document => ({ $literal: value })

/**
 * How far before today and the burst window slots are kept: two days, so that windows that are
 * not monotonic (clocks of several servers a little apart, a changed DAY_TIMEZONE, whose day can
 * start up to 26 hours apart from another's) still see every slot SQLite would count.
 */
export const SLOT_RETENTION_MS = 2 * DAY_MS

/**
 * The admission of one message, as a pipeline update of the user's quota document (upserted), run
 * by one `findOneAndUpdate`: MongoDB applies it to the document atomically, so concurrent
 * admissions of one user, from any number of processes, are serialized on that document.
 *
 * 1. Drop the slots that can no longer matter: created well before both today and the burst window.
 * 2. Take the counted ones: answered, or pending and created at or after `pendingSince`.
 * 3. Count today's; find the creation time of the `burstLimit`-th newest (`burstOldest`).
 * 4. Decide: daily refusal first (the longer wait), then burst, else admit.
 * 5. When admitted, append the slot and take the next history position (`seq`).
 * The outcome is written to `admission` and read back from the returned document.
 */
export function admissionUpdate (slotId: ObjectId, createdAt: number, window: QuotaWindow): Document[] {
  const keepSince = Math.min(window.dayStart, window.burstStart) - SLOT_RETENTION_MS
  const admitted = { $eq: ['$admission.limit', null] }
  return [
    {
      $set: {
        slots: { $filter: { input: { $ifNull: ['$slots', []] }, as: 's', cond: { $gte: ['$$s.at', lit(keepSince)] } } },
        seq: { $ifNull: ['$seq', 0] }
      }
    },
    {
      $set: {
        _counted: {
          $map: {
            input: {
              $filter: {
                input: '$slots',
                as: 's',
                cond: countedSlot('$$s', window)
              }
            },
            as: 's',
            in: '$$s.at'
          }
        }
      }
    },
    {
      $set: {
        _today: { $size: { $filter: { input: '$_counted', as: 'at', cond: { $gte: ['$$at', lit(window.dayStart)] } } } },
        // Missing (not set) when fewer than `burstLimit` are counted.
        _burstOldest: { $arrayElemAt: [{ $sortArray: { input: '$_counted', sortBy: -1 } }, lit(window.burstLimit - 1)] }
      }
    },
    { $set: { admission: admissionOutcome(slotId, window) } },
    {
      $set: {
        slots: { $cond: [admitted, { $concatArrays: ['$slots', [{ id: lit(slotId), at: lit(createdAt), answered: lit(false) }]] }, '$slots'] },
        seq: { $cond: [admitted, { $add: ['$seq', 1] }, '$seq'] }
      }
    },
    { $unset: ['_counted', '_today', '_burstOldest'] }
  ]
}

/** Step 4 of `admissionUpdate`: daily refusal first (the longer wait), then burst, else admitted (`limit: null`). */
function admissionOutcome (slotId: ObjectId, window: QuotaWindow): Document {
  return {
    id: lit(slotId),
    limit: {
      $switch: {
        branches: [
          { case: { $gte: ['$_today', lit(window.dailyLimit)] }, then: lit('daily') },
          {
            case: { $and: [{ $isNumber: '$_burstOldest' }, { $gte: ['$_burstOldest', lit(window.burstStart)] }] },
            then: lit('burst')
          }
        ],
        default: null
      }
    },
    burstOldest: { $ifNull: ['$_burstOldest', null] }
  }
}

/** The outcome of `admissionUpdate`, read from the document it returned. */
export function admissionOf (doc: QuotaDoc | null, slotId: ObjectId): (Admission & { admitted: false }) | { admitted: true, seq: number } {
  const outcome = doc?.admission
  if (doc === null || outcome === undefined || !outcome.id.equals(slotId)) {
    throw new Error('the quota document did not record this admission')
  }
  if (outcome.limit === null) return { admitted: true, seq: doc.seq ?? 0 }
  if (outcome.limit === 'daily') return { admitted: false, limit: 'daily' }
  return { admitted: false, limit: 'burst', ...(outcome.burstOldest === null ? {} : { burstOldest: outcome.burstOldest }) }
}

export function newMessageDoc (id: ObjectId, userId: ObjectId, conversationId: ObjectId, seq: number, message: NewMessage): MessageDoc {
  return {
    _id: id,
    userId,
    conversationId,
    seq,
    endpoint: message.endpoint,
    status: 'pending',
    text: message.text,
    createdAt: message.createdAt,
    ...(message.mood === undefined ? {} : { mood: message.mood }),
    ...(message.exempt === true ? { exempt: true } : {})
  }
}

export function newRefusalDoc (userId: ObjectId, limit: RefusalDoc['limit'], message: NewMessage): RefusalDoc {
  return { userId, limit, endpoint: message.endpoint, createdAt: message.createdAt }
}

/** Returns a slot that did not become a stored message (the insert failed). */
export function releaseSlotUpdate (slotId: ObjectId): Document {
  return { $pull: { slots: { id: { $eq: slotId } } } }
}

/**
 * The next history position, on the quota document: every reply takes one (first of the writes of
 * a completion), and so does an exempt message, which takes no slot: it never counts.
 */
export const NEXT_SEQ_UPDATE: Document = { $inc: { seq: 1 } }

/**
 * Completion, last on the quota document: the slot becomes `answered` (it counts for the rest of
 * its day). A slot no longer there (dropped as out of its window, or by a repair) is put back, so
 * the answer counts exactly as in SQLite.
 */
export function answeredSlotUpdate (slotId: ObjectId, createdAt: number): Document[] {
  const slots = { $ifNull: ['$slots', []] }
  return [{
    $set: {
      slots: {
        $cond: [
          { $in: [lit(slotId), { $map: { input: slots, as: 's', in: '$$s.id' } }] },
          {
            $map: {
              input: slots,
              as: 's',
              in: { $cond: [{ $eq: ['$$s.id', lit(slotId)] }, { $mergeObjects: ['$$s', { answered: lit(true) }] }, '$$s'] }
            }
          },
          { $concatArrays: [slots, [{ id: lit(slotId), at: lit(createdAt), answered: lit(true) }]] }
        ]
      }
    }
  }]
}

/** `countsAgainstLimits` for a slot (only a message that is not exempt has one, and a failed one gives it back). */
function slotCounts (slot: Slot, window: QuotaWindow): boolean {
  return countsAgainstLimits(slot.answered ? 'answered' : 'pending', slot.at, window)
}

/** `countsAgainstLimits` as an aggregation expression over the slot `slot` (e.g. `'$$s'`). */
function countedSlot (slot: string, window: QuotaWindow): Document {
  return { $or: [{ $eq: [`${slot}.answered`, true] }, { $gte: [`${slot}.at`, lit(window.pendingSince)] }] }
}

/** Pending slots old enough to have stopped counting: the ones a repair looks at. */
export function staleSlots (slots: Slot[] | undefined, window: QuotaWindow): Slot[] {
  return (slots ?? []).filter((slot) => !slotCounts(slot, window))
}

/**
 * The repair of stale slots (no transactions, after a crash between two writes): those whose
 * message is answered become answered, those whose message failed or was never stored go.
 */
export function repairSlotsUpdate (answered: ObjectId[], dropped: ObjectId[]): Document[] {
  return [{
    $set: {
      slots: {
        $map: {
          input: { $filter: { input: { $ifNull: ['$slots', []] }, as: 's', cond: { $not: [{ $in: ['$$s.id', lit(dropped)] }] } } },
          as: 's',
          in: { $cond: [{ $in: ['$$s.id', lit(answered)] }, { $mergeObjects: ['$$s', { answered: lit(true) }] }, '$$s'] }
        }
      }
    }
  }]
}

export function answerUpdate (replyId: ObjectId, seq: number, reply: Reply): Document {
  return {
    $set: {
      status: 'answered',
      reply: { _id: replyId, seq, text: reply.text, createdAt: reply.createdAt, status: reply.status },
      ...(reply.middleOut === undefined ? {} : { middleOut: reply.middleOut })
    }
  }
}

export const FAIL_UPDATE: Document = { $set: { status: 'failed' } }

/** Whose records a history read is of: a user's (all their conversations), or one conversation's. */
export type HistoryOwner = { userId: ObjectId } | { conversationId: ObjectId }

/**
 * The two index-bounded reads `history` merges: newest messages, newest replies. `answeredOnly`
 * (for `promptHistory`) leaves out pending and failed messages, those without a reply, and reads only
 * the texts and positions (the provider sees nothing else).
 */
export function historyQueries (owner: HistoryOwner, lastN: number, { answeredOnly = false } = {}): Array<{ filter: Document, sort: Sort, limit: number, projection?: Document }> {
  const whose = 'userId' in owner ? { userId: { $eq: owner.userId } } : { conversationId: { $eq: owner.conversationId } }
  const mine = answeredOnly ? { ...whose, status: 'answered' } : whose
  const fields = answeredOnly ? { projection: CONTEXT_FIELDS } : {}
  return [
    { filter: mine, sort: { seq: -1 }, limit: lastN, ...fields },
    { filter: { ...mine, 'reply.seq': { $gte: 0 } }, sort: { 'reply.seq': -1 }, limit: lastN, ...fields }
  ]
}

// The owner fields only because every record names its conversation.
const CONTEXT_FIELDS: Document = { userId: 1, conversationId: 1, seq: 1, text: 1, 'reply._id': 1, 'reply.seq': 1, 'reply.text': 1 }

/** User messages counted against the daily limit, from the quota document's slots. */
export function countToday (slots: Slot[] | undefined, window: QuotaWindow): number {
  let n = 0
  for (const slot of slots ?? []) {
    if (slot.at >= window.dayStart && slotCounts(slot, window)) n++
  }
  return n
}
