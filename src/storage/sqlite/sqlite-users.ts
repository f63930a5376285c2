import type { Database } from 'better-sqlite3'
import type { Store } from '../../domain/store.js'
import { newTokenVersion, usernameKey, type User } from '../../domain/users.js'
import { guard } from './open.js'
import type { Write } from './writes.js'

/**
 * Every table that holds rows of a user, by its user column: an account's deletion empties each.
 * A new table of per-user data is one line here (and the contract suite checks it goes).
 */
const USER_TABLES: ReadonlyArray<{ table: string, column: string }> = [
  { table: 'messages', column: 'user_id' },
  { table: 'refusals', column: 'user_id' },
  { table: 'api_keys', column: 'user_id' },
  // After the messages, which point at them.
  { table: 'conversations', column: 'user_id' },
  { table: 'spent_quota', column: 'user_id' }
]

interface UserRow { id: number, username: string, password_hash: string, created_at: number, token_version: string }
const COLUMNS = 'id, username, password_hash, created_at, token_version'

export type SqliteUsers = Pick<Store, 'createUser' | 'findUser' | 'findUserById' | 'changePassword' | 'deleteUser'>

/** The users table and an account's removal: writes in the store's group commit, reads guarded. */
export function createSqliteUsers (db: Database, write: Write): SqliteUsers {
  const insert = db.prepare<[string, string, string, number, string], UserRow>(
    `INSERT INTO users (username, username_key, password_hash, created_at, token_version) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (username_key) DO NOTHING RETURNING ${COLUMNS}`)
  const selectByKey = db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE username_key = ?`)
  const selectById = db.prepare<[number], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`)
  const setPassword = db.prepare<[string, string, number], UserRow>(
    `UPDATE users SET password_hash = ?, token_version = ? WHERE id = ? RETURNING ${COLUMNS}`)
  const deleteUser = db.prepare<[number], { username_key: string }>('DELETE FROM users WHERE id = ? RETURNING username_key')
  const deleteRows = USER_TABLES.map(({ table, column }) => db.prepare<[number]>(`DELETE FROM ${table} WHERE ${column} = ?`))
  const deleteAttempts = db.prepare<[string]>('DELETE FROM attempts WHERE owner = ?')

  const remove = db.transaction((id: number): boolean => {
    // Rows that point at the user first (foreign keys), the user last.
    for (const statement of deleteRows) statement.run(id)
    const removed = deleteUser.get(id)
    if (removed !== undefined) deleteAttempts.run(removed.username_key)
    return removed !== undefined
  })

  return {
    createUser: async (username, passwordHash, createdAt) =>
      await write(() => toUser(insert.get(username, usernameKey(username), passwordHash, createdAt, newTokenVersion()))),
    findUser: async (username) => guard(() => toUser(selectByKey.get(usernameKey(username)))),
    findUserById: async (id) => guard(() => rowId(id) === null ? null : toUser(selectById.get(rowId(id) as number))),
    changePassword: async (id, passwordHash) =>
      await write(() => rowId(id) === null ? null : toUser(setPassword.get(passwordHash, newTokenVersion(), rowId(id) as number))),
    // The user's conversations can no longer be named: their cached contexts are never read again.
    deleteUser: async (id) => await write(() => rowId(id) !== null && remove(rowId(id) as number))
  }
}

/** The row id an id string names, or `null` for anything that is not one. */
export function rowId (id: string): number | null {
  return typeof id === 'string' && /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null
}

function toUser (row: UserRow | undefined): User | null {
  if (row === undefined) return null
  return { id: String(row.id), username: row.username, passwordHash: row.password_hash, createdAt: row.created_at, tokenVersion: row.token_version }
}
