import type { Collection, Db, ObjectId } from 'mongodb'
import type { QuotaWindow } from '../../domain/limits.js'
import type { Store } from '../../domain/store.js'
import type { Call } from './connection.js'
import { parseId, type MessageDoc, type QuotaDoc } from './documents.js'
import { countToday, repairSlotsUpdate, staleSlots } from './queries.js'
import type { Atomic } from './transactions.js'

export interface MongoQuota extends Pick<Store, 'countToday'> {
  /**
   * Without transactions, a crash between two writes can leave a pending slot whose message was
   * answered, failed or never stored. Once such a slot is old enough to have stopped counting,
   * its message decides: answered counts, failed or missing goes, pending stays (abandoned, it
   * counts under a window whose `pendingSince` is older). Run before the slots are counted, inside
   * the caller's call.
   */
  repair: (userId: ObjectId, window: QuotaWindow) => Promise<void>
}

/** The limits' slots on each user's quota document (the admission itself is in `mongo-messages.ts`). */
export function createMongoQuota (db: Db, prefix: string, atomic: Atomic, call: Call): MongoQuota {
  const messages: Collection<MessageDoc> = db.collection(prefix + 'messages')
  const quotas: Collection<QuotaDoc> = db.collection(prefix + 'quotas')

  const repair = async (userId: ObjectId, window: QuotaWindow): Promise<void> => {
    if (atomic.transactions) return
    const quota = await quotas.findOne({ _id: userId }, { projection: { slots: 1 } })
    const stale = staleSlots(quota?.slots, window).map((slot) => slot.id)
    if (stale.length === 0) return
    const found = await messages.find({ _id: { $in: stale } }, { projection: { status: 1 } }).toArray()
    const answered = found.filter((doc) => doc.status === 'answered').map((doc) => doc._id)
    const pending = found.filter((doc) => doc.status === 'pending').map((doc) => doc._id)
    const dropped = stale.filter((id) => ![...answered, ...pending].some((other) => other.equals(id)))
    if (answered.length + dropped.length > 0) await quotas.updateOne({ _id: userId }, repairSlotsUpdate(answered, dropped))
  }

  return {
    repair,
    async countToday (userId, window) {
      const id = parseId(userId)
      if (id === null) return 0
      const quota = await call(async () => {
        await repair(id, window)
        return await quotas.findOne({ _id: id }, { projection: { slots: 1 } })
      })
      return countToday(quota?.slots, window)
    }
  }
}
