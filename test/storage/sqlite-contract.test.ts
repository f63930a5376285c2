import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { describeStoreContract } from './store-contract.js'

describeStoreContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'simple-chat-contract-'))
  const store = createSqliteStore(join(dir, 'simple-chat.db'))
  return {
    store,
    async dispose () {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
})
