/**
 * The longest event-loop stall of a real server while chats of every kind arrive at once (issue 12):
 * the gateway (src/server.ts) in a process of its own, measured from inside (loop-monitor.ts, 10 ms
 * resolution), chats sent over real sockets from this process. Just restarted on a data directory
 * whose heavy users each hold 20 records at the message limit, so their chats are the first after a
 * restart (nothing of their history encoded yet).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Upstream } from '../test/helpers/upstream.js'
import { children, post, ROOT, start, stop, users } from './processes.js'

const MONITOR = pathToFileURL(join(ROOT, 'bench', 'loop-monitor.ts')).href

export interface StallInput {
  upstream: Upstream
  /** Messages of each kind, one per chat: (a) short, (a') the window's size, (b) at the limit. */
  short: string
  window: (i: number) => string
  atLimit: (i: number) => string
  /** One chat's text and reply when building a heavy history. */
  record: (i: number) => string
  perKind: number
  heavyUsers: number
}

export interface StallResult {
  /** Longest stall while the mix ran, and while each kind ran alone (same counts). */
  mixMs: number
  aloneMs: { a: number, window: number, b: number, cCold: number }
  chats: number
  failed: number
}

export async function socketStall (input: StallInput): Promise<StallResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'simple-chat-bench-stall-'))
  const samples: Array<{ at: number, max: number }> = []
  const launch = async (): Promise<string> => await start('src/server.ts', [], {
    env: {
      DATA_DIR: dataDir,
      LLM_BASE_URL: input.upstream.url,
      LLM_API_KEY: 'sk-bench',
      LOG_LEVEL: 'info',
      PORT: '0',
      DAILY_MESSAGE_LIMIT: '100000000',
      BURST_MESSAGE_LIMIT: '100000000',
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000'
    },
    cwd: dataDir,
    node: ['--import', MONITOR],
    onLine: (line) => { if (line.startsWith('loop ')) samples.push({ at: performance.now(), max: (JSON.parse(line.slice(5)) as { max: number }).max }) }
  })
  try {
    let url = await launch()
    const chat = async (token: string, message: string): Promise<boolean> => (await post(url, '/llm/message', { message }, token)).response !== undefined
    const heavy = await users(url, input.heavyUsers, 'heavy')
    input.upstream.behave(() => ({ kind: 'reply', text: input.record(7) }))
    for (const token of heavy) for (let i = 0; i < 10; i++) await chat(token, input.record(i))
    input.upstream.behave(() => ({ kind: 'reply', text: 'ok' }))

    // A restart: the heavy users' next chat is the first over their history in this process.
    await stop(children.pop())
    url = await launch()
    const tokens = {
      a: await users(url, input.perKind, 'short'),
      window: await users(url, input.perKind, 'window'),
      b: await users(url, input.perKind, 'long'),
      c: await users(url, input.heavyUsers, 'heavy')
    }
    await chat(tokens.a[0] as string, 'warm-up: loads the tokenizer and the model window')

    let chats = 0
    let failed = 0
    /** The longest stall the server saw while `run` went on (its monitor prints every 500 ms). */
    const stall = async (run: () => Array<Promise<boolean>>): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, 600))
      const from = performance.now()
      const results = await Promise.all(run())
      chats += results.length
      failed += results.filter((ok) => !ok).length
      await new Promise((resolve) => setTimeout(resolve, 1100))
      return Math.max(0, ...samples.filter((s) => s.at >= from).map((s) => s.max))
    }
    // Cold first: the heavy users' first chats of the process, alone, then in the mix again (cold for the others).
    const cCold = await stall(() => tokens.c.slice(0, 1).map(async (token) => await chat(token, 'a short question after the restart')))
    const a = await stall(() => tokens.a.map(async (token) => await chat(token, input.short)))
    const window = await stall(() => tokens.window.map(async (token, i) => await chat(token, input.window(i))))
    const b = await stall(() => tokens.b.map(async (token, i) => await chat(token, input.atLimit(i))))
    const mixMs = await stall(() => [
      ...tokens.a.map(async (token) => await chat(token, input.short)),
      ...tokens.b.map(async (token, i) => await chat(token, input.atLimit(100 + i))),
      ...tokens.c.map(async (token) => await chat(token, 'one more short question')),
      ...tokens.window.map(async (token, i) => await chat(token, input.window(100 + i)))
    ])
    return { mixMs, aloneMs: { a, window, b, cCold }, chats, failed }
  } finally {
    await stop(children.pop())
    rmSync(dataDir, { recursive: true, force: true })
  }
}
