import { join } from 'node:path'
import type { Config } from '../config.js'
import type { Store } from './store.js'
import { createSqliteStore } from './sqlite/sqlite-store.js'

/** SQLite in DATA_DIR unless MONGODB_URI selects MongoDB. */
export async function createStore (config: Config): Promise<Store> {
  return createSqliteStore(join(config.DATA_DIR, 'simple-chat.db'))
}
