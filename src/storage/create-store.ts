import { join } from 'node:path'
import type { Config } from '../config.js'
import type { Store } from '../domain/store.js'
import { createSqliteStore } from './sqlite/sqlite-store.js'

/**
 * SQLite in DATA_DIR unless MONGODB_URI selects MongoDB (database MONGODB_DB, collection names
 * prefixed by MONGODB_COLLECTION_PREFIX). The MongoDB module
 * is imported only then, so the embedded default never loads the driver.
 */
export async function createStore (config: Config): Promise<Store> {
  if (config.MONGODB_URI !== undefined) {
    const { createMongoStore } = await import('./mongo/mongo-store.js')
    return await createMongoStore({
      uri: config.MONGODB_URI,
      dbName: config.MONGODB_DB,
      collectionPrefix: config.MONGODB_COLLECTION_PREFIX,
      limits: { dailyMessageLimit: config.DAILY_MESSAGE_LIMIT, maxMessageChars: config.MAX_MESSAGE_CHARS }
    })
  }
  return createSqliteStore(join(config.DATA_DIR, 'simple-chat.db'))
}
