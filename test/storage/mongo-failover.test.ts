import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/errors.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import type { QuotaWindow } from '../../src/domain/limits.js'
import type { Store } from '../../src/domain/store.js'
import { startFakeMongoServer, type FakeMongoOptions, type FakeMongoServer } from '../helpers/fake-mongo-server.js'
import type { Doc } from '../helpers/mongo-eval.js'
import { testCollectionPrefix } from '../helpers/mongo.js'

// How the MongoDB backend behaves when the deployment does what Atlas deployments do: elections,
// replies lost on a dropped connection, a server that goes silent, a failure between two writes.
// The deployment is the stand-in server (test/helpers/fake-mongo-server.ts) with the real driver.

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)
const windowAt = (now: number, pendingMs = 600_000): QuotaWindow =>
  ({ now, dayStart: T0 - 3_600_000, dailyLimit: 20, burstStart: now - 30_000 + 1, burstLimit: 10, pendingSince: now - pendingMs })

/** `ns`: the namespace prefix of the store's collections. */
async function open (options: FakeMongoOptions, timeouts = { serverSelectionTimeoutMS: 10_000, callDeadlineMS: 15_000 }): Promise<{ fake: FakeMongoServer, store: Store, ns: string }> {
  const fake = await startFakeMongoServer(options)
  cleanups.push(() => fake.close())
  const prefix = testCollectionPrefix()
  const store = await createMongoStore({ uri: fake.uri, dbName: 'simplechat_test', collectionPrefix: prefix, timeouts })
  cleanups.push(() => store.close())
  return { fake, store, ns: `simplechat_test.${prefix}` }
}

/** Resolves after the driver has checked the server `n` more times (it is waiting for a primary). */
async function helloChecks (fake: FakeMongoServer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await once(fake, 'hello')
}

const named = (name: string) => (command: Doc) => Object.keys(command)[0] === name
/** A command `name` (insert, update, ...) on the store's collection `collection`. */
const writeOn = (name: string, collection: string) => (command: Doc) => named(name)(command) && String(command[name]).endsWith(collection)

/** A store with user eric and one admitted message of his, pending. */
async function withPendingMessage (options: FakeMongoOptions): Promise<{ fake: FakeMongoServer, store: Store, ns: string, id: string, messageId: string }> {
  const opened = await open(options)
  const eric = await opened.store.createUser('eric', 'h', T0)
  const id = eric?.id ?? ''
  const admitted = await opened.store.admitMessage({ userId: id, text: 'hi', endpoint: 'message', createdAt: T0 }, windowAt(T0))
  if (!admitted.admitted) throw new Error('refused')
  return { ...opened, id, messageId: admitted.messageId }
}
const slotsOf = (fake: FakeMongoServer, ns: string) => (fake.data.get(`${ns}quotas`)?.[0]?.slots ?? []) as Array<{ answered: boolean }>

describe('MongoDB on a replica set', () => {
  it('admits, completes and fails in transactions', async () => {
    const { fake, store } = await open({ replicaSet: true })
    const eric = await store.createUser('eric', 'h', T0)
    const admitted = await store.admitMessage({ userId: eric?.id ?? '', text: 'hi', endpoint: 'message', createdAt: T0 }, windowAt(T0))
    if (!admitted.admitted) throw new Error('refused')
    await store.completeMessage(admitted.messageId, { text: 'hello', createdAt: T0 + 1, status: 'complete' })
    const starts = fake.commands.filter((c) => c.startTransaction === true).map((c) => Object.keys(c)[0])
    expect(starts).toEqual(['findAndModify', 'find'])
    expect(fake.commands.filter(named('commitTransaction'))).toHaveLength(2)
    expect((await store.history(eric?.id ?? '', 10)).map((r) => r.text)).toEqual(['hi', 'hello'])
  })

  it('reruns the transactions of simultaneous admissions that conflict, and admits exactly the limit', async () => {
    const { fake, store } = await open({ replicaSet: true })
    const eric = await store.createUser('eric', 'h', T0)
    const results = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
      await store.admitMessage({ userId: eric?.id ?? '', text: `m${i}`, endpoint: 'message', createdAt: T0 + i }, { ...windowAt(T0 + 20), burstLimit: 5 })))
    expect(results.filter((r) => r.admitted)).toHaveLength(5)
    const conflicts = fake.commands.filter((c) => c.startTransaction === true).length - 20
    expect(conflicts).toBeGreaterThan(0)
    expect(await store.countToday(eric?.id ?? '', windowAt(T0 + 20))).toBe(5)
  })

  it('rides out an election: requests during it wait for the new primary and succeed', async () => {
    const { fake, store } = await open({ replicaSet: true })
    const eric = await store.createUser('eric', 'h', T0)
    const id = eric?.id ?? ''
    const first = await store.admitMessage({ userId: id, text: 'before', endpoint: 'message', createdAt: T0 }, windowAt(T0))
    if (!first.admitted) throw new Error('refused')

    fake.stepDown()
    const during = Promise.all([
      store.admitMessage({ userId: id, text: 'during', endpoint: 'message', createdAt: T0 + 1000 }, windowAt(T0 + 1000)),
      store.completeMessage(first.messageId, { text: 'answer', createdAt: T0 + 1000, status: 'complete' }),
      store.history(id, 10),
      store.createUser('alice', 'h', T0 + 1000)
    ])
    await helloChecks(fake, 3)
    fake.elect()
    const [admitted, , , alice] = await during
    expect(admitted.admitted).toBe(true)
    expect(alice?.username).toBe('alice')
    expect(await store.countToday(id, windowAt(T0 + 2000))).toBe(2)
    expect((await store.history(id, 10)).map((r) => r.text).sort()).toEqual(['answer', 'before', 'during'])
  })

  it('answers 503 with Retry-After when no primary comes back before the deadline, then recovers', async () => {
    const { fake, store } = await open({ replicaSet: true }, { serverSelectionTimeoutMS: 500, callDeadlineMS: 1500 })
    const eric = await store.createUser('eric', 'h', T0)
    fake.stepDown()
    const err = await store.admitMessage({ userId: eric?.id ?? '', text: 'x', endpoint: 'message', createdAt: T0 }, windowAt(T0)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'storage_unavailable', status: 503, headers: { 'retry-after': '5' } })
    fake.elect()
    expect(await store.findUser('ERIC')).toEqual(eric)
    expect(await store.countToday(eric?.id ?? '', windowAt(T0))).toBe(0)
  })

  it('does not apply a write twice when its reply is lost and the driver retries it', async () => {
    const { fake, store } = await open({ replicaSet: true })
    fake.dropNextReply()
    // A plain retryable write: retried under the same transaction number, answered from the first run.
    const eric = await store.createUser('eric', 'h', T0)
    expect(eric?.username).toBe('eric')
    fake.dropNextReply()
    // A write inside a transaction: the transaction is rerun whole.
    const first = await store.admitMessage({ userId: eric?.id ?? '', text: 'one', endpoint: 'message', createdAt: T0 }, windowAt(T0))
    expect(first.admitted).toBe(true)
    expect(await store.countToday(eric?.id ?? '', windowAt(T0))).toBe(1)
    // A commit whose reply is lost: committed again, once.
    const second = await store.admitMessage({ userId: eric?.id ?? '', text: 'two', endpoint: 'message', createdAt: T0 + 1 }, windowAt(T0 + 1))
    if (!second.admitted) throw new Error('refused')
    fake.dropNextReply(named('commitTransaction'))
    await store.completeMessage(second.messageId, { text: 'answer', createdAt: T0 + 2, status: 'complete' })
    expect(await store.countToday(eric?.id ?? '', windowAt(T0 + 2))).toBe(2)
    expect((await store.history(eric?.id ?? '', 10)).map((r) => r.text)).toEqual(['one', 'two', 'answer'])
  })

  it('leaves nothing half done when a write fails inside a completion', async () => {
    const { fake, store, ns, id, messageId } = await withPendingMessage({ replicaSet: true })
    fake.failNext(writeOn('update', 'quotas'))
    await expect(store.completeMessage(messageId, { text: 'lost', createdAt: T0 + 1, status: 'complete' })).rejects.toThrow()
    expect((await store.history(id, 10)).map((r) => [r.text, r.status])).toEqual([['hi', 'pending']])
    expect(slotsOf(fake, ns).map((s) => s.answered)).toEqual([false])
  })
})

describe('MongoDB on a standalone server (no transactions)', () => {
  it('counts a message answered before a crash left its slot pending, once the slot is stale', async () => {
    const { fake, store, ns, id, messageId } = await withPendingMessage({})
    // The last write of the completion (the slot becomes answered) fails: the process "died" there.
    fake.failNext(writeOn('update', 'quotas'))
    await expect(store.completeMessage(messageId, { text: 'hello', createdAt: T0 + 1, status: 'complete' })).rejects.toThrow()
    expect((await store.history(id, 10)).map((r) => [r.text, r.status])).toEqual([['hi', 'answered'], ['hello', 'complete']])
    // Stale (older than pendingSince): counted again, because its message was answered.
    const later = T0 + 20 * 60_000
    expect(await store.countToday(id, windowAt(later))).toBe(1)
    expect(slotsOf(fake, ns).map((s) => s.answered)).toEqual([true])
  })

  it('never leaves a message pending with its slot counted as answered', async () => {
    const { fake, store, ns, id, messageId } = await withPendingMessage({})
    // The reply's write fails: the message stays pending, and so does its slot.
    fake.failNext(writeOn('update', 'messages'))
    await expect(store.completeMessage(messageId, { text: 'lost', createdAt: T0 + 1, status: 'complete' })).rejects.toThrow()
    expect(slotsOf(fake, ns).map((s) => s.answered)).toEqual([false])
    expect(await store.countToday(id, windowAt(T0 + 20 * 60_000))).toBe(0)
    expect((await store.history(id, 10)).map((r) => r.status)).toEqual(['pending'])
  })

  it('drops the slot of a message that failed, or was never stored, once stale', async () => {
    const { fake, store, ns } = await open({})
    const eric = await store.createUser('eric', 'h', T0)
    const id = eric?.id ?? ''
    // The message insert fails after the slot was taken, and so does handing the slot back.
    fake.failNext((c) => writeOn('insert', 'messages')(c) || writeOn('update', 'quotas')(c), 2)
    await expect(store.admitMessage({ userId: id, text: 'hi', endpoint: 'message', createdAt: T0 }, windowAt(T0))).rejects.toThrow()
    const failing = await store.admitMessage({ userId: id, text: 'fails', endpoint: 'message', createdAt: T0 + 1 }, windowAt(T0 + 1))
    if (!failing.admitted) throw new Error('refused')
    // The message is marked failed, releasing its slot fails.
    fake.failNext(writeOn('update', 'quotas'))
    await expect(store.failMessage(failing.messageId)).rejects.toThrow()
    expect(slotsOf(fake, ns)).toHaveLength(2)
    expect(await store.countToday(id, windowAt(T0 + 2))).toBe(2) // the safe side while they are recent
    expect(await store.countToday(id, windowAt(T0 + 20 * 60_000))).toBe(0)
    expect(slotsOf(fake, ns)).toHaveLength(0)
  })
})

describe('MongoDB going silent', () => {
  it('answers 503 at the deadline instead of holding the request, and recovers when it speaks again', async () => {
    const { fake, store } = await open({ replicaSet: true }, { serverSelectionTimeoutMS: 1000, callDeadlineMS: 2000 })
    const eric = await store.createUser('eric', 'h', T0)
    fake.silence()
    const err = await store.findUser('eric').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'storage_unavailable', status: 503 })
    fake.speak()
    let found = null
    while (found === null) {
      found = await store.findUser('eric').catch((e: unknown) => {
        if (!(e instanceof AppError)) throw e
        return null
      })
    }
    expect(found).toEqual(eric)
  })
})
