import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
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

describe('SQLite: a message of an account deleted meanwhile', () => {
  it('is refused as an invalid token, not a 500, and leaves nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simple-chat-deleted-'))
    const store = createSqliteStore(join(dir, 'simple-chat.db'))
    onTestFinished(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })
    const user = await store.createUser('eric', 'h', 0)
    expect(await store.deleteUser(user?.id ?? '')).toBe(true)
    const now = Date.UTC(2026, 10, 25, 12)
    const window = { now, dayStart: now - 1000, dailyLimit: 20, burstStart: now - 1000, burstLimit: 3, pendingSince: now - 1000 }
    await expect(store.admitMessage({ userId: user?.id ?? '', text: 'hi', endpoint: 'message', createdAt: now }, window)).rejects.toMatchObject({ code: 'invalid_token', status: 401 })
    expect(await store.history(user?.id ?? '', 10)).toEqual([])
  })
})
