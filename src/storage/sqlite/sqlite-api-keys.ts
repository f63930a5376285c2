import type { Database } from 'better-sqlite3'
import type { Store } from '../../domain/store.js'
import type { ApiKey } from '../../domain/users.js'
import { guard } from './open.js'
import { rowId } from './sqlite-users.js'
import type { Write } from './writes.js'

interface ApiKeyRow { id: number, user_id: number, name: string, created_at: number, conversation_id: number | null }
const COLUMNS = 'id, user_id, name, created_at, conversation_id'

export type SqliteApiKeys = Pick<Store, 'createApiKey' | 'listApiKeys' | 'deleteApiKey' | 'findApiKey' | 'linkApiKeyConversation'>

/** The `api_keys` table: writes in the store's group commit, reads guarded; an id that is not a row id names no key. */
export function createSqliteApiKeys (db: Database, write: Write): SqliteApiKeys {
  // Only for a user that exists now: a key must never outlive (or precede) its account.
  const insert = db.prepare<[number, string, string, number, number], ApiKeyRow>(
    `INSERT INTO api_keys (user_id, name, key_hash, created_at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)
     RETURNING ${COLUMNS}`)
  const selectByUser = db.prepare<[number], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY id DESC`)
  const selectByHash = db.prepare<[string], ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`)
  const remove = db.prepare<[number, number]>('DELETE FROM api_keys WHERE id = ? AND user_id = ?')
  const link = db.prepare<[number, number, number | null]>('UPDATE api_keys SET conversation_id = ? WHERE id = ? AND conversation_id IS ?')
  const linked = db.prepare<[number], { conversation_id: number | null }>('SELECT conversation_id FROM api_keys WHERE id = ?')

  return {
    async createApiKey (userId, name, keyHash, createdAt) {
      const user = rowId(userId)
      if (user === null) return null
      return toApiKey(await write(() => insert.get(user, name, keyHash, createdAt, user)))
    },
    async listApiKeys (userId) {
      const user = rowId(userId)
      return user === null ? [] : guard(() => selectByUser.all(user)).map((row) => toApiKey(row) as ApiKey)
    },
    async deleteApiKey (userId, keyId) {
      const user = rowId(userId)
      const key = rowId(keyId)
      if (user === null || key === null) return false
      return (await write(() => remove.run(key, user))).changes === 1
    },
    async findApiKey (keyHash) {
      return toApiKey(guard(() => selectByHash.get(keyHash)))
    },
    async linkApiKeyConversation (keyId, conversationId, replacing) {
      const key = rowId(keyId)
      const conversation = rowId(conversationId)
      const stale = replacing === null ? null : rowId(replacing)
      if (key === null || conversation === null || (replacing !== null && stale === null)) return null
      return await write(() => {
        link.run(conversation, key, stale)
        const row = linked.get(key)
        return row === undefined ? null : row.conversation_id === null ? null : String(row.conversation_id)
      })
    }
  }
}

function toApiKey (row: ApiKeyRow | undefined): ApiKey | null {
  if (row === undefined) return null
  const key: ApiKey = { id: String(row.id), userId: String(row.user_id), name: row.name, createdAt: row.created_at }
  return row.conversation_id === null ? key : { ...key, conversationId: String(row.conversation_id) }
}
