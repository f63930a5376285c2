import type { Database } from 'better-sqlite3'

/**
 * Schema migrations, applied in order on open; `PRAGMA user_version` records the last one applied.
 * Never edit a released migration: append a new one.
 */
const MIGRATIONS: readonly string[] = [
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
  `
]

/** Brings the database to the latest schema; safe when several processes open it at once. */
export function migrate (db: Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length}); upgrade the server`)
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version] as string)
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
}
