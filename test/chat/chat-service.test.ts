import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatService } from '../../src/chat/chat-service.js'
import { advancedPersona } from '../../src/chat/advanced-persona.js'
import { messagePersona } from '../../src/chat/message-persona.js'
import { AppError } from '../../src/errors.js'
import { createQuotaPolicy } from '../../src/limits/quota.js'
import { createCapacity } from '../../src/llm/capacity.js'
import { createOpenAiClient } from '../../src/llm/openai-client.js'
import { createPromptFitter } from '../../src/middle-out/create-prompt-fitter.js'
import { createMongoStore } from '../../src/storage/mongo/mongo-store.js'
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import type { Store } from '../../src/domain/store.js'
import { startFakeMongoServer } from '../helpers/fake-mongo-server.js'
import { gate, until } from '../helpers/http-client.js'
import { startUpstream, type Upstream } from '../helpers/upstream.js'

const quota = createQuotaPolicy({ dailyLimit: 20, burstLimit: 3, burstWindowSeconds: 30, timeZone: 'UTC', refusalStatus: 401, pendingTimeoutMs: 120_000 })
const cleanup: Array<() => Promise<void>> = []
afterEach(async () => { for (const fn of cleanup.splice(0).reverse()) await fn() })

/**
 * The chat service on a real SQLite file and a real upstream, with the model list held back so a
 * test decides when the prompt is ready to go to the provider.
 */
async function setup (openStore = async (dir: string): Promise<Store> => createSqliteStore(join(dir, 'db.sqlite'))): Promise<{ store: Store, upstream: Upstream, release: () => void, service: ReturnType<typeof createChatService> }> {
  const dir = await mkdtemp(join(tmpdir(), 'simple-chat-service-'))
  const store = await openStore(dir)
  const upstream = await startUpstream()
  const llm = createOpenAiClient({ baseUrl: upstream.url, model: 'mistralai/mistral-7b-instruct', maxTokens: 64, timeoutMs: 10_000, maxReplyBytes: 1 << 20, maxConcurrent: 16, http2: false })
  cleanup.push(async () => { await llm.close(); await store.close(); await upstream.close(); await rm(dir, { recursive: true, force: true }) })
  const { promise: listed, open: release } = gate()
  const fitter = createPromptFitter({
    model: 'mistralai/mistral-7b-instruct',
    maxTokens: 64,
    listModels: async () => { await listed; return [] },
    modelListWaitMs: 60_000
  })
  const service = createChatService({ store, llm, capacity: createCapacity(16), fitter, quota, personas: { message: messagePersona, advanced: advancedPersona }, clock: Date.now, historyMessages: 20 })
  return { store, upstream, release, service }
}

describe('chat service: who pays for a client that leaves', () => {
  it('a client gone before the provider was asked: the provider is never called, the message failed, no quota used', async () => {
    const { store, upstream, release, service } = await setup()
    const userId = (await store.createUser('eric', 'x', Date.now()))?.id ?? ''
    const client = new AbortController()
    const turn = await service.begin({ userId, username: 'eric', text: 'hello', endpoint: 'message', signal: client.signal })
    const running = turn.run()
    client.abort(new AppError('client_closed_request'))
    release()
    await expect(running).rejects.toMatchObject({ code: 'client_closed_request' })
    expect(upstream.chats).toHaveLength(0)
    expect(await store.history(userId, 10)).toMatchObject([{ type: 'user', text: 'hello', status: 'failed' }])
    expect(await store.countToday(userId, quota.windowAt(Date.now()))).toBe(0)
  })

  it('a client gone once the provider was asked: the provider is stopped, the message counts, an empty reply is kept as incomplete', async () => {
    const { store, upstream, release, service } = await setup()
    release()
    upstream.behave(() => ({ kind: 'hang' }))
    const userId = (await store.createUser('eric', 'x', Date.now()))?.id ?? ''
    const client = new AbortController()
    const turn = await service.begin({ userId, username: 'eric', text: 'hello', endpoint: 'message', signal: client.signal })
    const running = turn.run()
    await until(() => upstream.chats.length === 1)
    client.abort(new AppError('client_closed_request'))
    await expect(running).rejects.toMatchObject({ code: 'client_closed_request' })
    expect(await store.history(userId, 10)).toMatchObject([
      { type: 'user', text: 'hello', status: 'answered' },
      { type: 'ai', text: '', status: 'incomplete' }
    ])
  })
})

describe('chat service: a refused message costs its admission, nothing more', () => {
  // Seen from the database's side: the stand-in MongoDB server records every command it receives.
  it('reads no history for a message over the limit, and does for one admitted', async () => {
    const mongo = await startFakeMongoServer()
    cleanup.push(async () => { await mongo.close() })
    const { store, release, service } = await setup(async () => await createMongoStore({ uri: mongo.uri, dbName: 'chat_service', timeouts: { serverSelectionTimeoutMS: 30_000 } }))
    release()
    const userId = (await store.createUser('eric', 'x', Date.now()))?.id ?? ''
    const historyReads = (): number => mongo.commands.filter((command) => command.find === 'messages').length

    let before = historyReads()
    await (await service.begin({ userId, username: 'eric', text: 'my name is Eric', endpoint: 'advanced' })).run()
    expect(historyReads()).toBeGreaterThan(before)
    for (const text of ['two', 'three']) await (await service.begin({ userId, username: 'eric', text, endpoint: 'advanced' })).run()

    before = historyReads()
    const commands = mongo.commands.length
    await expect(service.begin({ userId, username: 'eric', text: 'four', endpoint: 'advanced' })).rejects.toMatchObject({ code: 'burst_limit_exceeded' })
    expect(mongo.commands.length).toBeGreaterThan(commands) // the admission itself did reach the database
    expect(historyReads()).toBe(before)
  })
})
