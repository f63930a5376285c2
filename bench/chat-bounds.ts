/**
 * The work of one chat is bounded by the model's window (issue 12): time per chat through the real
 * app (inject: auth, limits, two writes, history, middle-out, a local upstream) for
 * (a) a short message, empty history; (a') a message of the window's size (8,192 tokens, a new text
 * each time), the reference for "what an 8k prompt costs"; (b) a message at MAX_MESSAGE_CHARS
 * (200,000); (c) a short message over 20 records at the limit, cold (first chat of the process) and
 * warm; then the longest event-loop stall of a real server (its own process, real sockets) while all
 * of them arrive at once (chat-bounds-stall.ts), and the same mix in this process through inject,
 * where every chat's body is complete in the same turn of the loop (a worst case no socket gives).
 * `npx tsx bench/chat-bounds.ts [--json]`. Targets: (b), (c) within 3× of (a'); stall < 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createPromptFitter } from '../src/middle-out/create-prompt-fitter.js'
import { loadTokenizer } from '../src/middle-out/tokenizers/load-tokenizer.js'
import type { ChatMessage } from '../src/llm/types.js'
import { startUpstream } from '../test/helpers/upstream.js'
import { prefixOfTokens, sample, SAMPLE_NAMES } from '../test/middle-out/helpers.js'
import { socketStall } from './chat-bounds-stall.js'

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
/** A new text of the window's size each time: a repeated one would be served from the encoding cache. */
const windowMessage = (seed: number): string => prefixOfTokens(text(40_000, 1000 + seed), 8192, mistral)
const loadBefore = loadavg()

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

const times = { a: [] as number[], window: [] as number[], b: [] as number[], cWarm: [] as number[], cCold: [] as number[] }
// The first chat of each heavy user in this process: its 20 records are encoded now (cold).
for (const token of [heavyToken, ...mixTokens]) times.cCold.push(await freshChat(token, 'a short question over a heavy history'))
for (let i = 0; i < RUNS; i++) {
  times.a.push(await freshChat(users.a[i] as string, 'hi, my name is Eric'))
  times.window.push(await freshChat(users.window[i] as string, windowMessage(i)))
  times.b.push(await freshChat(users.b[i] as string, text(LIMIT, 100 + i)))
}
// Each warm chat adds two short records; 20 records of context are then 18 at the limit and 2 short, then 16…
for (let i = 0; i < 3; i++) times.cWarm.push(await freshChat(heavyToken, `short question ${i}`))

// The mix in this process: every kind at once, while the event loop is watched.
const monitor = monitorEventLoopDelay({ resolution: 1 })
monitor.enable()
await Promise.all([
  ...users.a.map(async (token) => await freshChat(token, 'hello once more')),
  ...users.b.map(async (token, i) => await freshChat(token, text(LIMIT, 300 + i))),
  ...mixTokens.map(async (token) => await freshChat(token, 'one more short question')),
  ...users.window.map(async (token, i) => await freshChat(token, windowMessage(200 + i)))
])
monitor.disable()
const injectStallMs = monitor.max / 1e6

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
  window: await best(warmFitter, () => prompt([], windowMessage(300 + seed++))),
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

// The same kinds of chat against a real server over sockets.
const sockets = await socketStall({
  upstream,
  short: 'hi, my name is Eric',
  window: (i) => windowMessage(400 + i),
  atLimit: (i) => text(LIMIT, 400 + i),
  record: (i) => text(LIMIT, 600 + i),
  perKind: RUNS,
  heavyUsers: 3
})
await upstream.close()
rmSync(dataDir, { recursive: true, force: true })
const loadAfter = loadavg()

const m = { a: median(times.a), window: median(times.window), b: median(times.b), cWarm: median(times.cWarm), cCold: median(times.cCold) }
const round = (ms: number): number => +ms.toFixed(1)
const ratio = (ms: number): number => +(ms / m.window).toFixed(2)
const verdict = (pass: boolean): string => pass ? 'PASS' : 'FAIL'
const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ')
/** The stricter reading of the target: what a message adds over the fixed cost of a chat, against what an 8k prompt adds. */
const added = (ms: number): number => +((ms - m.a) / Math.max(0.1, m.window - m.a)).toFixed(2)
const TARGET = 3
const STALL_MS = 50
console.log(`load average before ${load(loadBefore)}, after ${load(loadAfter)} (1, 5, 15 min; this machine has 2 cores)`)
console.log('time per chat through the app (median ms; Mistral v3 tokenizer, 8,192-token window, LLM_MAX_TOKENS 1024)')
console.log(`(a)  short message, empty history            ${m.a.toFixed(1).padStart(8)}`)
console.log(`(a') 8,192-token message (the window)         ${m.window.toFixed(1).padStart(8)}`)
console.log(`(b)  200,000-character message                ${m.b.toFixed(1).padStart(8)}   ${ratio(m.b).toFixed(2)}× (a')  ${verdict(ratio(m.b) <= TARGET)} (≤ ${TARGET}×); above (a): ${added(m.b).toFixed(2)}× what (a') adds`)
console.log(`(c)  short message, 20 records at the limit   ${m.cWarm.toFixed(1).padStart(8)}   ${ratio(m.cWarm).toFixed(2)}× (a')  ${verdict(ratio(m.cWarm) <= TARGET)} (≤ ${TARGET}×; warm: records encoded before)`)
console.log(`(c)  the same, first chat of the process      ${m.cCold.toFixed(1).padStart(8)}   ${ratio(m.cCold).toFixed(2)}× (a')  ${verdict(ratio(m.cCold) <= TARGET)} (≤ ${TARGET}×; cold: after a restart)`)
console.log(`longest event-loop stall of a real server, ${sockets.chats} chats over sockets (${RUNS} of a, a', b and 3 cold c at once): ${sockets.mixMs.toFixed(0)} ms  ${verdict(sockets.mixMs < STALL_MS && sockets.failed === 0)} (< ${STALL_MS} ms; ±10 ms resolution)` +
  `; each kind alone: a ${sockets.aloneMs.a}, a' ${sockets.aloneMs.window}, b ${sockets.aloneMs.b}, one cold c ${sockets.aloneMs.cCold} ms${sockets.failed > 0 ? `; ${sockets.failed} chats FAILED` : ''}`)
console.log(`the same mix in this process through inject (every body complete in one turn of the loop: a worst case no socket gives): ${injectStallMs.toFixed(1)} ms`)
console.log(`the prompt fitter alone (best ms): (a) ${fit.a.toFixed(2)}, (a') ${fit.window.toFixed(2)}, (b) ${fit.b.toFixed(2)} = ${(fit.b / fit.window).toFixed(2)}× (a'),` +
  ` (c) warm ${fit.cWarm.toFixed(2)} = ${(fit.cWarm / fit.window).toFixed(2)}× (a'), (c) cold ${fit.cCold.toFixed(2)} = ${(fit.cCold / fit.window).toFixed(2)}× (a')`)
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({
    load_average: { before: loadBefore, after: loadAfter },
    ms: { a: round(m.a), window: round(m.window), b: round(m.b), c_warm: round(m.cWarm), c_cold: round(m.cCold) },
    ratio_to_window: { b: ratio(m.b), c_warm: ratio(m.cWarm), c_cold: ratio(m.cCold) },
    added_over_a_ratio: { b: added(m.b), c_warm: added(m.cWarm), c_cold: added(m.cCold) },
    fit_ms: { a: +fit.a.toFixed(2), window: +fit.window.toFixed(2), b: +fit.b.toFixed(2), c_warm: +fit.cWarm.toFixed(2), c_cold: +fit.cCold.toFixed(2) },
    stall_ms: { sockets_mix: sockets.mixMs, sockets_alone: sockets.aloneMs, inject_mix: round(injectStallMs), failed_chats: sockets.failed },
    pass: { b: ratio(m.b) <= TARGET, c_warm: ratio(m.cWarm) <= TARGET, c_cold: ratio(m.cCold) <= TARGET, stall: sockets.mixMs < STALL_MS && sockets.failed === 0 },
    targets: `(b), (c) ≤ ${TARGET}× (a'); stall < ${STALL_MS} ms`
  }))
}
