import type { Database } from 'better-sqlite3'
import { titleFrom, titleKey } from '../../domain/conversation-title.js'

/**
 * Schema migrations, applied in order on open; `PRAGMA user_version` records the last one applied.
 * Never edit a released migration: append a new one. A migration is SQL, or a function for what
 * SQL cannot say (titles made as the app makes them).
 */
const MIGRATIONS: ReadonlyArray<string | ((db: Database) => void)> = [
  /* 1 */ `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('user', 'ai')),
    endpoint TEXT NOT NULL CHECK (endpoint IN ('message', 'advanced')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'failed', 'complete', 'incomplete')),
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    mood TEXT
  ) STRICT;
  -- history: this user's newest n records
  CREATE INDEX messages_user_id ON messages (user_id, id);
  -- limits and status: this user's messages since a time
  CREATE INDEX messages_user_sent ON messages (user_id, created_at) WHERE role = 'user';

  -- Messages refused by a limit, kept for the behaviour report.
  CREATE TABLE refusals (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    limit_name TEXT NOT NULL CHECK (limit_name IN ('daily', 'burst')),
    endpoint TEXT NOT NULL CHECK (endpoint IN ('message', 'advanced')),
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX refusals_user_created ON refusals (user_id, created_at);
  `,
  /* 2 */ `
  -- the behaviour report: this user's replies in a window
  CREATE INDEX messages_user_replies ON messages (user_id, created_at) WHERE role = 'ai';
  `,
  /* 3 */ `
  -- limits and status read the status from the index alone, not from each row
  DROP INDEX messages_user_sent;
  CREATE INDEX messages_user_sent ON messages (user_id, created_at, status) WHERE role = 'user';
  `,
  /* 4 */ `
  -- messages the limits never count (crisis replies), read from the limits' index like the status
  ALTER TABLE messages ADD COLUMN exempt INTEGER NOT NULL DEFAULT 0 CHECK (exempt IN (0, 1));
  DROP INDEX messages_user_sent;
  CREATE INDEX messages_user_sent ON messages (user_id, created_at, status, exempt) WHERE role = 'user';
  `,
  /* 5 */ `
  -- Login and registration attempts (Store.reserveAttempt): one row per attempt and scope.
  CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    attempt TEXT NOT NULL,
    owner TEXT,
    expires_at INTEGER NOT NULL
  ) STRICT;
  -- a scope's live attempts, newest expiry first
  CREATE INDEX attempts_scope ON attempts (scope, expires_at);
  -- the sweep of expired rows
  CREATE INDEX attempts_expiry ON attempts (expires_at);
  -- an account's entries, removed with it
  CREATE INDEX attempts_owner ON attempts (owner) WHERE owner IS NOT NULL;
  `,
  /* 6 */ `
  -- Store's User.tokenVersion: random per user, so tokens of earlier accounts never match.
  ALTER TABLE users ADD COLUMN token_version TEXT NOT NULL DEFAULT '';
  UPDATE users SET token_version = lower(hex(randomblob(16)));
  `,
  /* 7 */ `
  -- Personal API keys (Store.createApiKey): only the SHA-256 of each key, found by it.
  CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX api_keys_user ON api_keys (user_id, id);
  `,
  /* 8 */ (db) => {
    db.exec(`
    -- Conversations (Store.createConversation): every record belongs to one. An id is never given
    -- again after a deletion (AUTOINCREMENT): a client still holding it, or a context cached under
    -- it in another process, must never reach another conversation.
    CREATE TABLE conversations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL REFERENCES users (id),
      title TEXT NOT NULL,
      -- the title as searched (conversation-title.ts, titleKey)
      title_key TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    -- a user's conversations, most recently used first
    CREATE INDEX conversations_user_used ON conversations (user_id, updated_at, id);
    ALTER TABLE messages ADD COLUMN conversation_id INTEGER REFERENCES conversations (id);
    -- a conversation's records, newest first; its context
    CREATE INDEX messages_conversation ON messages (conversation_id, id);
    -- what middle-out cut from the prompt of a user message (JSON), kept for history
    ALTER TABLE messages ADD COLUMN middle_out TEXT;
    -- The limits' share of messages whose conversation was deleted: counted as the messages were.
    CREATE TABLE spent_quota (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id),
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX spent_quota_user ON spent_quota (user_id, created_at);
    `)
    // The records from before conversations: one conversation per user, named by its first message.
    const owners = db.prepare<[], { user_id: number, first: number, created_at: number, updated_at: number }>(
      "SELECT user_id, min(id) AS first, min(created_at) AS created_at, max(created_at) AS updated_at FROM messages WHERE role = 'user' GROUP BY user_id").all()
    const firstText = db.prepare<[number], string>('SELECT text FROM messages WHERE id = ?').pluck()
    const insert = db.prepare<[number, string, string, number, number]>(
      'INSERT INTO conversations (user_id, title, title_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const adopt = db.prepare<[number | bigint, number]>('UPDATE messages SET conversation_id = ? WHERE user_id = ?')
    for (const owner of owners) {
      const title = titleFrom(firstText.get(owner.first) ?? '')
      const { lastInsertRowid } = insert.run(owner.user_id, title, titleKey(title), owner.created_at, owner.updated_at)
      adopt.run(lastInsertRowid, owner.user_id)
    }
  },
  /* 9 */ `
  -- An API key's conversation (Store.linkApiKeyConversation): made on its first message. Not a
  -- foreign key: a deleted conversation is found missing at admission and replaced (ids are never reused).
  ALTER TABLE api_keys ADD COLUMN conversation_id INTEGER;
  `
]

/**
 * Brings the database to the latest schema (or to `target`, for tests of a migration); safe when
 * several processes open it at once.
 */
export function migrate (db: Database, target = MIGRATIONS.length): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length}); upgrade the server`)
    }
    for (const migration of MIGRATIONS.slice(current, target)) {
      if (typeof migration === 'string') db.exec(migration)
      else migration(db)
    }
    db.pragma(`user_version = ${Math.max(current, target)}`)
  }).immediate()
}
