import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Admission, QuotaWindow } from '../../src/domain/limits.js'
import type { Store } from '../../src/domain/store.js'

// The per-process context cache (src/storage/sqlite/context-cache.ts), checked against the
// database itself: two stores on one file stand for two processes (WORKERS=2).
let dir: string
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'simple-chat-context-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

const OPEN: QuotaWindow = { now: 0, dayStart: 0, dailyLimit: 1e9, burstStart: 0, burstLimit: 1e9, pendingSince: 0 }

function admitted (admission: Admission): string {
  if (!admission.admitted) throw new Error(`refused: ${admission.limit}`)
  return admission.messageId
}

/** A user with one conversation, which all their messages go to: its context is the user's. */
async function userWithConversation (store: Store, name: string): Promise<{ user: string, conversation: string }> {
  const user = (await store.createUser(name, 'h', 0))?.id ?? ''
  return { user, conversation: (await store.createConversation(user, '', 0))?.id ?? '' }
}

/** The context as the database holds it, read on a connection of its own. */
function truth (db: Sqlite.Database, userId: string, lastN: number): Array<{ type: string, text: string }> {
  return db.prepare<[number, number], { type: string, text: string }>(
    `SELECT role AS type, text FROM messages WHERE user_id = ? AND (role = 'ai' OR status = 'answered')
     ORDER BY id DESC LIMIT ?`).all(Number(userId), lastN).reverse()
}

describe('SQLite context cache', () => {
  it('serves a conversation from the cache, extended as it goes, and reads again after another process writes', async () => {
    const file = join(dir, 'x.db')
    const one = createSqliteStore(file)
    const two = createSqliteStore(file)
    const db = new Sqlite(file)
    try {
      const { user, conversation } = await userWithConversation(one, 'eric')
      // As the chat service goes: admitted (pending) first, then the context read, then the reply.
      for (const text of ['first', 'second']) {
        const id = admitted(await one.admitMessage({ userId: user, conversationId: conversation, text, endpoint: 'message', createdAt: 1 }, OPEN))
        await one.promptHistory(user, conversation, 10)
        await one.completeMessage(id, { text: `re ${text}`, createdAt: 2, status: 'complete' })
      }
      // Changed behind the stores' back, without a new row: only a cached context still says "first".
      db.prepare("UPDATE messages SET text = 'changed' WHERE text = 'first'").run()
      expect(await one.promptHistory(user, conversation, 10)).toEqual([
        { type: 'user', text: 'first' }, { type: 'ai', text: 're first' }, { type: 'user', text: 'second' }, { type: 'ai', text: 're second' }
      ])
      // A new row from the other process: the entry is stale and read again.
      await two.completeMessage(admitted(await two.admitMessage({ userId: user, text: 'third', endpoint: 'message', createdAt: 3 }, OPEN)), { text: 're third', createdAt: 4, status: 'complete' })
      expect(await one.promptHistory(user, conversation, 10)).toEqual(truth(db, user, 10))
      expect((await one.promptHistory(user, conversation, 10))[0]).toEqual({ type: 'user', text: 'changed' })
    } finally {
      db.close()
      await Promise.all([one.close(), two.close()])
    }
  })

  it('puts a message answered after later ones in its place, not at the end', async () => {
    const file = join(dir, 'x.db')
    const store = createSqliteStore(file)
    const db = new Sqlite(file, { readonly: true })
    try {
      const { user, conversation } = await userWithConversation(store, 'eric')
      const admit = async (text: string) => admitted(await store.admitMessage({ userId: user, text, endpoint: 'message', createdAt: 1 }, OPEN))
      const slow = await admit('slow')
      await store.completeMessage(await admit('quick'), { text: 're quick', createdAt: 2, status: 'complete' })
      await store.promptHistory(user, conversation, 10)
      await admit('still pending')
      await store.completeMessage(slow, { text: 're slow', createdAt: 3, status: 'complete' })
      expect(await store.promptHistory(user, conversation, 10)).toEqual(truth(db, user, 10))
      expect((await store.promptHistory(user, conversation, 10)).map((r) => r.text)).toEqual(['slow', 'quick', 're quick', 're slow'])
    } finally {
      db.close()
      await store.close()
    }
  })

  it('always gives what the database holds, over random interleavings of two processes', async () => {
    const op = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('admit' as const), by: fc.nat(1), user: fc.nat(1) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('complete' as const), by: fc.nat(1), pick: fc.nat(), incomplete: fc.boolean() }) },
      // Two replies stored at once, in one write batch: a user with two messages in flight.
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('complete both' as const), by: fc.nat(1) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), by: fc.nat(1), pick: fc.nat() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), by: fc.nat(1), user: fc.nat(1), lastN: fc.constantFrom(2, 3, 5) }) }
    )
    let run = 0
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 60 }), async (ops) => {
      const file = join(dir, `run-${run++}.db`)
      // No checkpointer threads: 300 of them starting made this slow on a loaded machine, and checkpoints are not what it tests.
      const stores: [Store, Store] = [createSqliteStore(file, { checkpointer: false }), createSqliteStore(file, { checkpointer: false })]
      const db = new Sqlite(file, { readonly: true })
      try {
        const people = [await userWithConversation(stores[0], 'eric'), await userWithConversation(stores[1], 'alice')]
        const users = people.map((p) => p.user)
        const conversationOf = (user: string) => people.find((p) => p.user === user)?.conversation ?? ''
        const pending: string[] = []
        let n = 0
        for (const o of ops) {
          const store = stores[o.by] as Store
          n++
          if (o.kind === 'admit') {
            pending.push(admitted(await store.admitMessage({ userId: users[o.user] ?? '', text: `m${n}`, endpoint: 'message', createdAt: n }, OPEN)))
          } else if (o.kind === 'read') {
            const user = users[o.user] ?? ''
            expect(await store.promptHistory(user, conversationOf(user), o.lastN)).toEqual(truth(db, user, o.lastN))
          } else if (o.kind === 'complete both') {
            const ids = pending.splice(0, 2)
            await Promise.all(ids.map((id) => store.completeMessage(id, { text: `r${n}-${id}`, createdAt: n, status: 'complete' })))
          } else if (pending.length > 0) {
            const [id] = pending.splice(o.pick % pending.length, 1)
            if (o.kind === 'fail') await store.failMessage(id ?? '')
            else await store.completeMessage(id ?? '', { text: `r${n}`, createdAt: n, status: o.incomplete ? 'incomplete' : 'complete' })
          }
        }
        for (const store of stores) {
          for (const user of users) expect(await store.promptHistory(user, conversationOf(user), 5)).toEqual(truth(db, user, 5))
        }
      } finally {
        db.close()
        await Promise.all(stores.map((s) => s.close()))
      }
    }), { numRuns: 150 })
  }, 300_000) // ~60 s at a load average of 30
  it('reads a heavy context a few records a turn of the event loop (issue 12), in order, then from the cache', async () => {
    const store = createSqliteStore(join(dir, 'x.db'))
    const db = new Sqlite(join(dir, 'x.db'))
    try {
      const { user, conversation } = await userWithConversation(store, 'eric')
      for (let i = 0; i < 10; i++) {
        const id = admitted(await store.admitMessage({ userId: user, text: `${i} ${'x'.repeat(200_000)}`, endpoint: 'message', createdAt: 1 }, OPEN))
        await store.completeMessage(id, { text: `re ${i} ${'y'.repeat(200_000)}`, createdAt: 2, status: 'complete' })
      }
      const restarted = createSqliteStore(join(dir, 'x.db'))
      let turns = 0
      let counting = true
      const tick = (): void => { turns++; if (counting) setImmediate(tick) }
      setImmediate(tick)
      const records = await restarted.promptHistory(user, conversation, 20)
      const cold = turns
      const again = await restarted.promptHistory(user, conversation, 20)
      counting = false
      expect(records).toEqual(truth(db, user, 20))
      expect(again).toBe(records)
      // 20 records of ~200,000 bytes, about four a turn: several turns, where one read held the loop.
      expect(cold).toBeGreaterThanOrEqual(4)
      await restarted.close()
    } finally {
      db.close()
      await store.close()
    }
  })
})
