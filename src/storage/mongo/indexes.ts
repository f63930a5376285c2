import { MongoServerError, type Db, type IndexDescription } from 'mongodb'

/**
 * The indexes, as named, versioned definitions, reconciled at every start-up.
 *
 * A definition never changes under its name: a changed key or option is a new version, named
 * `<base>_v<n>` (version 1 is the bare `<base>`). At start, an instance creates the versions it
 * defines (a no-op where they exist as defined) and drops the older versions of the same bases; it leaves newer
 * versions (an instance of a later release got there first) and indexes it does not know (an
 * operator's own) alone, and then does not create its older one. So instances of the old and the
 * new release run side by side during a rolling deployment, neither stops at start, and the old
 * index is gone once no old instance creates it any more. `RETIRED` lists names a release no longer
 * uses at all, dropped like superseded versions.
 */

export type CollectionName = 'users' | 'messages' | 'quotas' | 'refusals' | 'attempts' | 'apiKeys' | 'conversations'

export const INDEXES: Record<CollectionName, IndexDescription[]> = {
  // Usernames are unique case-insensitively: the key is the lower-case name.
  users: [{ key: { usernameKey: 1 }, name: 'users_username_key', unique: true }],
  messages: [
    // History: this user's newest n messages, and their newest n replies (ai records).
    { key: { userId: 1, seq: -1 }, name: 'messages_user_seq' },
    { key: { userId: 1, 'reply.seq': -1 }, name: 'messages_user_reply_seq' },
    // Report: this user's messages since a time (their texts newest first, ties in the order of
    // storing: v2 added `seq`), and their replies since a time.
    { key: { userId: 1, createdAt: 1, seq: 1 }, name: 'messages_user_created_v2' },
    { key: { userId: 1, 'reply.createdAt': 1 }, name: 'messages_user_reply_created' },
    // A conversation's history and context, as the user's above; and its removal.
    { key: { conversationId: 1, seq: -1 }, name: 'messages_conversation_seq' },
    { key: { conversationId: 1, 'reply.seq': -1 }, name: 'messages_conversation_reply_seq' }
  ],
  // A user's conversations, most recently used first.
  conversations: [{ key: { userId: 1, updatedAt: -1, _id: -1 }, name: 'conversations_user_used' }],
  refusals: [{ key: { userId: 1, createdAt: 1 }, name: 'refusals_user_created' }],
  // Limits: one document per user, reached by `_id` (always indexed).
  quotas: [],
  // Login and registration attempts: by scope (`_id`); idle scopes expire; an account's leave with it.
  attempts: [
    { key: { expiresAt: 1 }, name: 'attempts_expiry', expireAfterSeconds: 0 },
    { key: { owner: 1 }, name: 'attempts_owner', sparse: true }
  ],
  // API keys: found by the hash of the key; a user's listed newest first.
  apiKeys: [
    { key: { keyHash: 1 }, name: 'api_keys_hash', unique: true },
    { key: { userId: 1, createdAt: -1 }, name: 'api_keys_user' }
  ]
}

export const RETIRED: Record<CollectionName, string[]> = { users: [], messages: [], quotas: [], refusals: [], attempts: [], apiKeys: [], conversations: [] }

/** An index name's base and version: `messages_user_seq_v2` → (`messages_user_seq`, 2). */
export function versionOf (name: string): { base: string, version: number } {
  const match = /^(.+)_v(\d+)$/.exec(name)
  return match === null ? { base: name, version: 1 } : { base: match[1] ?? name, version: Number(match[2]) }
}

export interface IndexPlan { create: IndexDescription[], drop: string[] }

/** What to do on a collection that has the indexes named `existing` (`_id_` aside): create (again) every definition no later version replaces. */
export function planIndexes (defined: IndexDescription[], retired: string[], existing: string[]): IndexPlan {
  const present = existing.map((name) => ({ name, ...versionOf(name) }))
  const create: IndexDescription[] = []
  const drop = new Set(existing.filter((name) => retired.includes(name)))
  for (const definition of defined) {
    const { base, version } = versionOf(definition.name ?? '')
    const sameBase = present.filter((index) => index.base === base)
    if (sameBase.some((index) => index.version > version)) continue // a later release's; keep it
    for (const older of sameBase.filter((index) => index.version < version)) drop.add(older.name)
    // Also when it exists: creating the same definition again is a no-op, another one is refused.
    create.push(definition)
  }
  return { create, drop: [...drop] }
}

/**
 * Brings one collection's indexes to `defined`: the new versions are created before the old are
 * dropped, so a query always has one, except where MongoDB refuses two indexes on one key pattern
 * (IndexOptionsConflict): the older version then goes first. An index that exists under one of our
 * names with another definition (a definition changed without a new version) stops start-up.
 */
export async function reconcileIndexes (db: Db, collection: string, defined: IndexDescription[], retired: string[]): Promise<void> {
  const existing = await listIndexNames(db, collection)
  const plan = planIndexes(defined, retired, existing)
  const target = db.collection(collection)
  let dropped: string[] = []
  if (plan.create.length > 0) {
    try {
      await target.createIndexes(plan.create)
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === 85 && plan.drop.length > 0)) throw err
      await dropAll(db, collection, plan.drop)
      dropped = plan.drop
      await target.createIndexes(plan.create)
    }
  }
  await dropAll(db, collection, plan.drop.filter((name) => !dropped.includes(name)))
}

/**
 * Creates the collections that do not exist yet. A transaction may create one implicitly, but
 * not on every deployment (a sharded cluster refuses it in a transaction that spans shards), so
 * they exist before the first request. Another instance creating one meanwhile is fine.
 */
export async function createMissingCollections (db: Db, names: string[]): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true, authorizedCollections: true }).toArray()).map((c) => c.name))
  for (const name of names.filter((n) => !existing.has(n))) {
    try {
      await db.createCollection(name)
    } catch (err) {
      if (!(err instanceof MongoServerError && err.code === 48)) throw err // NamespaceExists
    }
  }
}

async function listIndexNames (db: Db, collection: string): Promise<string[]> {
  try {
    const indexes = await db.collection(collection).listIndexes().toArray()
    return indexes.map((index) => String(index.name)).filter((name) => name !== '_id_')
  } catch (err) {
    if (err instanceof MongoServerError && err.code === 26) return [] // NamespaceNotFound: not created yet
    throw err
  }
}

/** Drops indexes; one already gone (another instance dropped it) is fine. */
async function dropAll (db: Db, collection: string, names: string[]): Promise<void> {
  for (const name of names) {
    try {
      await db.collection(collection).dropIndex(name)
    } catch (err) {
      if (!(err instanceof MongoServerError && (err.code === 27 || err.code === 26))) throw err // IndexNotFound, NamespaceNotFound
    }
  }
}
