/**
 * The work of one chat is bounded by the model's window (issue 12): time per chat through the real
 * app (inject: auth, limits, two writes, history, middle-out, a local upstream) for
 * (a) a short message, empty history; (a') a message of the window's size (8,192 tokens), the
 * reference for "what an 8k prompt costs"; (b) a message at MAX_MESSAGE_CHARS (200,000);
 * (c) a short message over 20 records at the limit, cold (first chat of the process) and warm;
 * then the longest event-loop stall (monitorEventLoopDelay) while all of them run at once.
 * `npx tsx bench/chat-bounds.ts [--json]`. Targets: (b), (c) within 3× of (a'); stall < 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createPromptFitter } from '../src/middle-out/create-prompt-fitter.js'
import { loadTokenizer } from '../src/middle-out/tokenizers/load-tokenizer.js'
import type { ChatMessage } from '../src/llm/types.js'
import { startUpstream } from '../test/helpers/upstream.js'
import { prefixOfTokens, sample, SAMPLE_NAMES } from '../test/middle-out/helpers.js'

const RUNS = 7
const LIMIT = 200_000
/** Seven scripts, code and emoji: real text, not one repeated word the tokenizer's cache would flatter. */
const CORPUS = SAMPLE_NAMES.map(sample).join('\n').repeat(60)
const text = (chars: number, seed: number): string => `${seed} ${CORPUS.slice(seed * 7919 % 20_000)}`.slice(0, chars)

const dataDir = mkdtempSync(join(tmpdir(), 'simple-chat-bench-bounds-'))
const upstream = await startUpstream()
const config = loadConfig({
  DATA_DIR: dataDir,
  LLM_BASE_URL: upstream.url,
  LLM_API_KEY: 'sk-bench',
  LOG_LEVEL: 'warn',
  DAILY_MESSAGE_LIMIT: '100000',
  BURST_MESSAGE_LIMIT: '100000',
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000'
}, dataDir)
const app = await buildApp(config)
const mistral = await loadTokenizer('mistral-v3')
const WINDOW_MESSAGE = prefixOfTokens(CORPUS, 8192, mistral)

async function signUp (name: string): Promise<string> {
  await app.inject({ method: 'POST', url: '/user/', payload: { username: name, password: 'correct horse battery' } })
  const res = await app.inject({ method: 'POST', url: '/token', payload: { username: name, password: 'correct horse battery' } })
  if (res.statusCode !== 200) throw new Error(`log-in answered ${res.statusCode}: ${res.body}`)
  return res.json<{ access_token: string }>().access_token
}

async function chat (token: string, message: string): Promise<number> {
  const start = performance.now()
  const res = await app.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}` }, payload: { message } })
  const ms = performance.now() - start
  if (res.statusCode !== 200) throw new Error(`chat answered ${res.statusCode}: ${res.body.slice(0, 200)}`)
  return ms
}

/** A user whose history holds 20 records at the limit: 10 messages and 10 replies of 200,000 characters. */
async function heavyUser (name: string): Promise<string> {
  const token = await signUp(name)
  upstream.behave(() => ({ kind: 'reply', text: text(LIMIT, name.length * 31) }))
  for (let i = 0; i < 10; i++) await chat(token, text(LIMIT, i + name.length))
  upstream.behave(() => ({ kind: 'reply', text: 'ok' }))
  return token
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

// Set-up first (sign-ups hash passwords; the heavy histories are written through the app).
const users = { a: [] as string[], window: [] as string[], b: [] as string[] }
for (let i = 0; i < RUNS; i++) {
  users.a.push(await signUp(`user-a${i}`))
  users.window.push(await signUp(`user-w${i}`))
  users.b.push(await signUp(`user-b${i}`))
}
const heavy = await heavyUser('heavy-c')
const mixUsers = await Promise.all(Array.from({ length: 3 }, async (_, i) => await heavyUser(`heavy-mix-${i}`)))
upstream.behave(() => ({ kind: 'reply', text: 'ok' }))

// A fresh app on the same data: its encoding cache is empty, as after a restart.
await app.close()
const fresh = await buildApp(config)
const freshChat = async (token: string, message: string): Promise<number> => {
  const start = performance.now()
  const res = await fresh.inject({ method: 'POST', url: '/llm/message', headers: { authorization: `Bearer ${token}` }, payload: { message } })
  const ms = performance.now() - start
  if (res.statusCode !== 200) throw new Error(`chat answered ${res.statusCode}: ${res.body.slice(0, 200)}`)
  return ms
}
// Tokens are per process here (issue 11's checks): log everyone in again on the fresh app.
const relogin = async (tokens: string[]): Promise<string[]> => await Promise.all(tokens.map(async (token) => {
  const { name } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { name: string }
  const res = await fresh.inject({ method: 'POST', url: '/token', payload: { username: name, password: 'correct horse battery' } })
  return res.json<{ access_token: string }>().access_token
}))
users.a = await relogin(users.a)
users.window = await relogin(users.window)
users.b = await relogin(users.b)
const [heavyToken = ''] = await relogin([heavy])
const mixTokens = await relogin(mixUsers)
await freshChat(users.a[0] as string, 'warm-up: loads the tokenizer and the model window')

const times = { a: [] as number[], window: [] as number[], b: [] as number[], cWarm: [] as number[] }
const cCold = await freshChat(heavyToken, 'a short question over a heavy history')
for (let i = 0; i < RUNS; i++) {
  times.a.push(await freshChat(users.a[i] as string, 'hi, my name is Eric'))
  times.window.push(await freshChat(users.window[i] as string, WINDOW_MESSAGE))
  times.b.push(await freshChat(users.b[i] as string, text(LIMIT, 100 + i)))
}
// Each warm chat adds two short records; 20 records of context are then 18 at the limit and 2 short, then 16…
for (let i = 0; i < 3; i++) times.cWarm.push(await freshChat(heavyToken, `short question ${i}`))

// The mix: every kind at once, while the event loop is watched.
for (const token of mixTokens) await freshChat(token, 'warm the cache for the mix')
/** The longest event-loop stall while `run` goes on. */
async function stall (run: () => Promise<unknown>): Promise<number> {
  const monitor = monitorEventLoopDelay({ resolution: 1 })
  monitor.enable()
  await run()
  monitor.disable()
  return monitor.max / 1e6
}
const stalls = {
  a: await stall(() => Promise.all(users.a.map((token) => freshChat(token, 'hello again')))),
  window: await stall(() => Promise.all(users.window.map((token) => freshChat(token, WINDOW_MESSAGE)))),
  b: await stall(() => Promise.all(users.b.map((token, i) => freshChat(token, text(LIMIT, 200 + i))))),
  c: await stall(() => Promise.all(mixTokens.map((token) => freshChat(token, 'and another short question')))),
  mix: await stall(() => Promise.all([
    ...users.a.map((token) => freshChat(token, 'hello once more')),
    ...users.b.map((token, i) => freshChat(token, text(LIMIT, 300 + i))),
    ...mixTokens.map((token) => freshChat(token, 'one more short question')),
    ...users.window.map((token) => freshChat(token, WINDOW_MESSAGE))
  ]))
}
const stallMs = stalls.mix

// The tokenizer's share alone: the prompt fitter on the same prompts, best of several (cold: a new fitter).
const SYSTEM = 'You are Simple chat, a helpful, honest assistant.'
const prompt = (history: string[], message: string): ChatMessage[] => [
  { role: 'system', content: SYSTEM },
  ...history.map((content, i): ChatMessage => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
  { role: 'user', content: message }
]
const records = Array.from({ length: 20 }, (_, i) => text(LIMIT, 500 + i))
const newFitter = async (): Promise<ReturnType<typeof createPromptFitter>> => {
  const fitter = createPromptFitter({ model: config.LLM_MODEL, maxTokens: config.LLM_MAX_TOKENS, listModels: async () => [] })
  await fitter.fit(prompt([], 'load the tokenizer'))
  return fitter
}
const best = async (fitter: ReturnType<typeof createPromptFitter>, messages: () => ChatMessage[]): Promise<number> => {
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const input = messages()
    const start = performance.now()
    await fitter.fit(input)
    runs.push(performance.now() - start)
  }
  return Math.min(...runs)
}
const warmFitter = await newFitter()
let seed = 0
const fit = {
  a: await best(warmFitter, () => prompt([], 'hi, my name is Eric')),
  window: await best(warmFitter, () => prompt([], `${seed++} ${WINDOW_MESSAGE}`)),
  b: await best(warmFitter, () => prompt([], text(LIMIT, 900 + seed++))),
  cWarm: await best(warmFitter, () => prompt(records, `short question ${seed++}`)),
  cCold: await (async () => {
    const runs: number[] = []
    for (let i = 0; i < 3; i++) {
      const fitter = await newFitter()
      const input = prompt(records.map((r) => `${i}${r}`), 'a short question')
      const start = performance.now()
      await fitter.fit(input)
      runs.push(performance.now() - start)
    }
    return Math.min(...runs)
  })()
}

await fresh.close()
await upstream.close()
rmSync(dataDir, { recursive: true, force: true })

const m = { a: median(times.a), window: median(times.window), b: median(times.b), cWarm: median(times.cWarm), cCold }
const round = (ms: number): number => +ms.toFixed(1)
console.log('time per chat through the app (median ms; Mistral v3 tokenizer, 8,192-token window, LLM_MAX_TOKENS 1024)')
console.log(`(a)  short message, empty history            ${m.a.toFixed(1).padStart(8)}`)
console.log(`(a') 8,192-token message (the window)         ${m.window.toFixed(1).padStart(8)}`)
console.log(`(b)  200,000-character message                ${m.b.toFixed(1).padStart(8)}   ${(m.b / m.window).toFixed(2)}× (a')`)
console.log(`(c)  short message, 20 records at the limit   ${m.cWarm.toFixed(1).padStart(8)}   ${(m.cWarm / m.window).toFixed(2)}× (a')  (warm: records encoded before)`)
console.log(`(c)  the same, first chat of the process      ${m.cCold.toFixed(1).padStart(8)}   ${(m.cCold / m.window).toFixed(2)}× (a')  (cold: 20 records encoded now)`)
console.log(`longest event-loop stall, ${RUNS * 3 + 3} chats of every kind at once: ${stallMs.toFixed(1)} ms (target < 50);` +
  ` each kind alone, ${RUNS} (3 for c) at once: a ${stalls.a.toFixed(1)}, a' ${stalls.window.toFixed(1)}, b ${stalls.b.toFixed(1)}, c ${stalls.c.toFixed(1)} ms`)
console.log(`the prompt fitter alone (best ms): (a) ${fit.a.toFixed(2)}, (a') ${fit.window.toFixed(2)}, (b) ${fit.b.toFixed(2)} = ${(fit.b / fit.window).toFixed(2)}× (a'),` +
  ` (c) warm ${fit.cWarm.toFixed(2)} = ${(fit.cWarm / fit.window).toFixed(2)}× (a'), (c) cold ${fit.cCold.toFixed(2)} = ${(fit.cCold / fit.window).toFixed(2)}× (a')`)
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({
    ms: { a: round(m.a), window: round(m.window), b: round(m.b), c_warm: round(m.cWarm), c_cold: round(m.cCold) },
    ratio_to_window: { b: +(m.b / m.window).toFixed(2), c_warm: +(m.cWarm / m.window).toFixed(2), c_cold: +(m.cCold / m.window).toFixed(2) },
    fit_ms: { a: +fit.a.toFixed(2), window: +fit.window.toFixed(2), b: +fit.b.toFixed(2), c_warm: +fit.cWarm.toFixed(2), c_cold: +fit.cCold.toFixed(2) },
    stall_ms: round(stallMs),
    stall_ms_by_kind: { a: round(stalls.a), window: round(stalls.window), b: round(stalls.b), c: round(stalls.c) },
    targets: '(b), (c) ≤ 3× (a\'); stall < 50 ms'
  }))
}
