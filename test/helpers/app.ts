import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppDeps } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { dropTestCollections, TEST_MONGODB_URI, testCollectionPrefix, testDatabase } from './mongo.js'
import { startUpstream, type Upstream } from './upstream.js'

/** A clock tests move by hand, so limits are tested without sleeping through windows. */
export interface TestClock {
  (): number
  now: number
  advance (ms: number): void
}

function createTestClock (start = Date.UTC(2026, 10, 25, 12, 0, 0)): TestClock {
  const clock = (() => clock.now) as TestClock
  clock.now = start
  clock.advance = (ms) => { clock.now += ms }
  return clock
}

export interface TestApp {
  app: FastifyInstance
  config: Config
  upstream: Upstream
  clock: TestClock
  dataDir: string
  /** Everything the app logged, one JSON line each. */
  logs: string[]
  inject (options: InjectOptions): Promise<LightMyRequestResponse>
  /** Registers and logs in; returns the access token. */
  signUp (username: string, password?: string): Promise<string>
  chat (token: string, message: string, path?: string): Promise<LightMyRequestResponse>
  /** `GET url` with the user's token. */
  get (token: string, url: string): Promise<LightMyRequestResponse>
  /** Listens on 127.0.0.1 and returns the base URL, for tests where the network matters. */
  listen (): Promise<string>
  close (): Promise<void>
}

export interface TestAppOptions {
  env?: Record<string, string>
  deps?: AppDeps
  /** Reuse a data dir (restart tests); it is then not removed on close. */
  dataDir?: string
  upstream?: Upstream
}

/**
 * The real app, built as production builds it, on a fresh SQLite file in a temp dir, talking to
 * a real upstream server on 127.0.0.1. The config is read with a temp cwd so no local `.env` leaks in.
 * With `TEST_MONGODB_URI` set, the app runs on MongoDB instead, in the test database, in collections
 * of its own prefix (named after the data dir, so a restart on the same dir finds its data),
 * dropped on close with the dir.
 */
export async function startTestApp (options: TestAppOptions = {}): Promise<TestApp> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? await mkdtemp(join(tmpdir(), 'simple-chat-test-'))
  const upstream = options.upstream ?? await startUpstream()
  const clock = createTestClock()
  const mongo = TEST_MONGODB_URI !== undefined && options.env?.MONGODB_URI === undefined
    ? { MONGODB_URI: TEST_MONGODB_URI, MONGODB_DB: testDatabase(), MONGODB_COLLECTION_PREFIX: testCollectionPrefix(dataDir) }
    : undefined
  const config = loadConfig({
    DATA_DIR: dataDir,
    LLM_BASE_URL: upstream.url,
    LLM_API_KEY: 'sk-test-upstream-key',
    LOG_LEVEL: 'info',
    ...mongo,
    ...options.env
  }, dataDir)
  const logs: string[] = []
  const logStream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''))
      done()
    }
  })
  const app = await buildApp(config, { clock, logStream, ...options.deps })

  const inject = (opts: InjectOptions): Promise<LightMyRequestResponse> => app.inject(opts)
  return {
    app,
    config,
    upstream,
    clock,
    dataDir,
    logs,
    inject,
    async signUp (username, password = 'correct horse battery') {
      const created = await inject({ method: 'POST', url: '/user/', payload: { username, password } })
      if (created.statusCode !== 201) throw new Error(`sign-up failed: ${created.statusCode} ${created.body}`)
      const token = await inject({ method: 'POST', url: '/token', payload: { username, password } })
      if (token.statusCode !== 200) throw new Error(`login failed: ${token.statusCode} ${token.body}`)
      return token.json<{ access_token: string }>().access_token
    },
    get (token, url) {
      return inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
    },
    chat (token, message, path = '/llm/message') {
      return inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${token}` }, payload: { message } })
    },
    async listen () {
      return await app.listen({ host: '127.0.0.1', port: 0 })
    },
    async close () {
      await app.close()
      if (options.upstream === undefined) await upstream.close()
      if (ownDir) await rm(dataDir, { recursive: true, force: true })
      if (ownDir && mongo !== undefined) await dropTestCollections(mongo.MONGODB_URI, mongo.MONGODB_DB, mongo.MONGODB_COLLECTION_PREFIX)
    }
  }
}
