import type { Db } from 'mongodb'
import type { Store } from '../../domain/store.js'
import { DEFAULT_TIMEOUTS, guard, type Call, type MongoTimeouts } from './connection.js'
import { createMissingCollections, INDEXES, reconcileIndexes, RETIRED, type CollectionName } from './indexes.js'
import { createMongoApiKeys } from './mongo-api-keys.js'
import { createMongoAttempts } from './mongo-attempts.js'
import { adoptOrphans, createMongoConversationMethods, createMongoConversations } from './mongo-conversations.js'
import { createMongoHistory } from './mongo-history.js'
import { createMongoMessages } from './mongo-messages.js'
import { createMongoQuota } from './mongo-quota.js'
import { createMongoReport } from './mongo-report.js'
import { createMongoUsers } from './mongo-users.js'
import { checkDocumentSizes, type SizeLimits } from './sizing.js'
import { openDatabase } from './startup.js'
import { createAtomic, supportsTransactions, type Atomic } from './transactions.js'

export interface MongoStoreOptions {
  uri: string
  dbName: string
  /** Put before every collection name: several apps (or test runs) can share one database. */
  collectionPrefix?: string
  /** Tests shorten these; the defaults ride out a replica-set election. */
  timeouts?: Partial<MongoTimeouts>
  /** The settings that size documents, refused at start if MongoDB could not store them. */
  limits?: SizeLimits
}

/**
 * Connects and prepares the database within one start-up bound (`startup.ts`: a clear message
 * for each way it can fail), reconciles the indexes (`indexes.ts`), finds out whether the
 * deployment runs transactions, and returns the store.
 */
export async function createMongoStore (options: MongoStoreOptions): Promise<Store> {
  if (options.limits !== undefined) checkDocumentSizes(options.limits)
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  const prefix = options.collectionPrefix ?? ''
  let transactions = false
  const { client, db } = await openDatabase(options.uri, options.dbName, timeouts, async (db) => {
    await prepareCollections(db, prefix)
    transactions = await supportsTransactions(db)
  })
  return createMongoStoreOn(db, {
    atomic: createAtomic(client, transactions, timeouts.callDeadlineMS),
    prefix,
    callDeadlineMS: timeouts.callDeadlineMS,
    close: async () => { await client.close() }
  })
}

/** Every collection, created, and its indexes, reconciled with their definitions. */
async function prepareCollections (db: Db, prefix: string): Promise<void> {
  const names = Object.keys(INDEXES) as CollectionName[]
  await createMissingCollections(db, names.map((name) => prefix + name))
  for (const name of names) {
    await reconcileIndexes(db, prefix + name, INDEXES[name], RETIRED[name])
  }
  await adoptOrphans(db, prefix)
}

interface StoreContext {
  atomic: Atomic
  prefix: string
  callDeadlineMS: number
  close: () => Promise<void>
}

/** The store on an open, prepared database, composed of one part per concern, each in the file named for it. */
function createMongoStoreOn (db: Db, { atomic, prefix, callDeadlineMS, close }: StoreContext): Store {
  /** One Store call: its operations share one deadline; an unreachable database is a 503. */
  const call: Call = async <T>(operation: () => Promise<T>): Promise<T> => await guard(callDeadlineMS, operation)
  const conversations = createMongoConversations(db, prefix)
  const quota = createMongoQuota(db, prefix, atomic, call)

  return {
    kind: 'mongodb',

    async ping () {
      await call(() => db.command({ ping: 1 }))
    },

    ...createMongoUsers(db, prefix, atomic, call),
    ...createMongoApiKeys(db, prefix, atomic, call),
    ...createMongoMessages(db, prefix, { atomic, call, conversations, quota }),
    ...createMongoHistory(db, prefix, call, conversations),
    ...createMongoConversationMethods(db, prefix, atomic, call),
    countToday: quota.countToday,
    ...createMongoReport(db, prefix, call),
    ...createMongoAttempts(db, prefix, call),

    close
  }
}
