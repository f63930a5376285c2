import type { Collection, Db, Document, ObjectId } from 'mongodb'
import type { LimitName } from '../../domain/limits.js'
import { assembleReport, DAY_MS, HOUR_MS, type ReportData, type ReportFigures, type ReportRange, type ReportTextReader } from '../../domain/report.js'
import type { Store } from '../../domain/store.js'
import type { Call } from './connection.js'
import { parseId, type MessageDoc, type RefusalDoc } from './documents.js'
import { lit } from './queries.js'

/** This user's messages created in [since, until): the `messages_user_created_v2` index. */
export function messagesInRange (userId: ObjectId, range: ReportRange): Document {
  return { userId: { $eq: userId }, createdAt: { $gte: range.since, $lt: range.until } }
}

/** This user's replies created in [since, until): the `messages_user_reply_created` index. */
export function repliesInRange (userId: ObjectId, range: ReportRange): Document {
  return { userId: { $eq: userId }, 'reply.createdAt': { $gte: range.since, $lt: range.until } }
}

/** This user's refusals in [since, until): the `refusals_user_created` index. */
export function refusalsInRange (userId: ObjectId, range: ReportRange): Document {
  return { userId: { $eq: userId }, createdAt: { $gte: range.since, $lt: range.until } }
}

/** `createdAt` in local time: plus the offset of the last change at or before it. */
function localTimeExpression (offsets: ReportRange['offsets']): Document {
  const first = offsets[0]?.offsetMs ?? 0
  if (offsets.length <= 1) return { $add: ['$createdAt', lit(first)] }
  const branches = offsets.slice(1).reverse().map(({ from, offsetMs }) => ({ case: { $gte: ['$createdAt', lit(from)] }, then: lit(offsetMs) }))
  return { $add: ['$createdAt', { $switch: { branches, default: lit(first) } }] }
}

/** The totals of the messages, with the median length: the middle length, or the mean of the two middle ones. */
const TOTALS_FACET: Document[] = [{
  $group: {
    _id: null,
    sent: { $sum: 1 },
    failed: { $sum: { $cond: [{ $eq: ['$status', 'failed'] }, 1, 0] } },
    advanced: { $sum: { $cond: [{ $eq: ['$endpoint', 'advanced'] }, 1, 0] } },
    first: { $min: '$createdAt' },
    last: { $max: '$createdAt' },
    average: { $avg: { $strLenCP: '$text' } },
    lengths: { $push: { $strLenCP: '$text' } }
  }
}, {
  $project: {
    _id: 0,
    sent: 1,
    failed: 1,
    advanced: 1,
    first: 1,
    last: 1,
    average: 1,
    median: {
      $let: {
        vars: { sorted: { $sortArray: { input: '$lengths', sortBy: 1 } }, c: { $size: '$lengths' } },
        in: {
          $avg: [
            { $arrayElemAt: ['$$sorted', { $floor: { $divide: [{ $subtract: ['$$c', 1] }, 2] } }] },
            { $arrayElemAt: ['$$sorted', { $floor: { $divide: ['$$c', 2] } }] }
          ]
        }
      }
    }
  }
}]

/**
 * One aggregation over the user's messages in the range (read through the index), the figures in
 * facets: the SQLite backend's queries, stage for stage. `$mod` keeps the dividend's sign as
 * SQLite's `%` does, so the same "add a day first" makes it a floor before 1970 too.
 */
export function reportPipeline (userId: ObjectId, range: ReportRange): Document[] {
  const timeOfDay = { $mod: [{ $add: [{ $mod: ['$t', DAY_MS] }, DAY_MS] }, DAY_MS] }
  const local = [{ $project: { _id: 0, t: localTimeExpression(range.offsets) } }]
  return [
    { $match: messagesInRange(userId, range) },
    {
      $facet: {
        totals: TOTALS_FACET,
        perDay: [
          ...local,
          { $group: { _id: { $divide: [{ $subtract: ['$t', timeOfDay] }, DAY_MS] }, messages: { $sum: 1 } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 0, day: '$_id', messages: 1 } }
        ],
        perHour: [
          ...local,
          { $group: { _id: { $floor: { $divide: [timeOfDay, HOUR_MS] } }, messages: { $sum: 1 } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 0, hour: '$_id', messages: 1 } }
        ],
        moods: [
          { $match: { mood: { $type: 'string' } } },
          { $group: { _id: '$mood', messages: { $sum: 1 } } },
          { $sort: { _id: 1 } },
          { $project: { _id: 0, mood: '$_id', messages: 1 } }
        ]
      }
    }
  ]
}

function refusalsPipeline (userId: ObjectId, range: ReportRange): Document[] {
  return [
    { $match: refusalsInRange(userId, range) },
    { $group: { _id: '$limit', n: { $sum: 1 } } },
    { $project: { _id: 0, limit: '$_id', n: 1 } }
  ]
}

type Totals = ReportFigures['totals']
interface Facets {
  totals: Totals[]
  perDay: Array<{ day: number, messages: number }>
  perHour: Array<{ hour: number, messages: number }>
  moods: Array<{ mood: string, messages: number }>
}

const EMPTY: Totals = { sent: 0, failed: 0, advanced: 0, first: null, last: null, average: null, median: null }

/**
 * The MongoDB side of `Store.report`: one aggregation for the message figures, a count of replies,
 * one small aggregation of refusals, and the texts streamed (newest first, each cut to
 * `range.textChars` by the server; ties in time in the order of storing) to the reader until it
 * wants no more.
 * Reads are not one snapshot (SQLite's are): a message arriving meanwhile may be in one figure
 * and not another.
 */
export function createMongoReport (db: Db, prefix: string, call: Call): Pick<Store, 'report'> {
  const messages: Collection<MessageDoc> = db.collection(prefix + 'messages')
  const refusals: Collection<RefusalDoc> = db.collection(prefix + 'refusals')

  const report = async (userId: ObjectId | null, range: ReportRange, readText: ReportTextReader): Promise<ReportData> => {
    if (userId === null) return assemble(null, 0, [])
    const [facets, replies, refused] = await Promise.all([
      messages.aggregate<Facets>(reportPipeline(userId, range)).next(),
      messages.countDocuments(repliesInRange(userId, range)),
      refusals.aggregate<{ limit: LimitName, n: number }>(refusalsPipeline(userId, range)).toArray()
    ])

    const texts = messages.find(messagesInRange(userId, range), {
      projection: { _id: 0, text: { $substrCP: ['$text', 0, range.textChars] } },
      // Ties in time in the order of storing, as SQLite's row id: `seq`, also in the index.
      sort: { createdAt: -1, seq: -1 }
    })
    try {
      for await (const { text } of texts) {
        if (!readText(text)) break
      }
    } finally {
      await texts.close()
    }
    return assemble(facets, replies, refused)
  }
  return { report: async (userId, range, readText) => await call(() => report(parseId(userId), range, readText)) }
}

function assemble (facets: Facets | null, replies: number, refusals: Array<{ limit: LimitName, n: number }>): ReportData {
  return assembleReport({
    totals: facets?.totals[0] ?? EMPTY,
    replies,
    perDay: facets?.perDay ?? [],
    perHour: facets?.perHour ?? [],
    moods: facets?.moods ?? [],
    refusals
  })
}
