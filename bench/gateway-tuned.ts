/**
 * The gateway as `src/server.ts` runs it (one process, configuration from the environment), with
 * the SQLite backend's speed-ups turned off as named in the arguments: `no-context-cache`,
 * `no-checkpointer`, `no-group-commit`. Prints the listening line as the server does.
 */
import { join } from 'node:path'
import { loadConfig } from '../src/config.js'
import { serve } from '../src/process/serve.js'
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js'

const off = new Set(process.argv.slice(2))
const config = loadConfig()
const store = createSqliteStore(join(config.DATA_DIR, 'simple-chat.db'), {
  contextCache: !off.has('no-context-cache'),
  checkpointer: !off.has('no-checkpointer'),
  groupCommit: !off.has('no-group-commit')
})
await serve(config, { store })
