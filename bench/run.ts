/**
 * `make bench`: every comparison in one run, side by side, because these machines are noisy.
 * Prints a table and writes it as JSON to .artifacts/bench/results.json. Not a test: nothing here
 * asserts; the targets are printed next to the figures.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Sqlite from 'better-sqlite3'
import { TSX } from '../test/helpers/server-process.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = 50
const children: ChildProcess[] = []

interface Row { name: string, rps: number, p50: number, p99: number, note?: string }
const rows: Row[] = []
const extra: Record<string, unknown> = {}

/**
 * Starts `node --import tsx <script> args` and resolves with the URL it prints. The gateway runs in
 * its data directory, so a developer's `.env` in the checkout cannot change what is measured.
 */
function start (script: string, args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<string> {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /^ready (\S+)/.exec(line)?.[1] ?? /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
      if (url !== undefined) resolve(url)
    })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
}

async function stop (child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

async function load (name: string, url: string, opts: { method?: 'GET' | 'POST', path: string, tokens?: string[], body?: string, connections?: number }): Promise<Row> {
  let next = 0
  const result = await autocannon({
    url,
    connections: opts.connections ?? CONNECTIONS,
    duration: DURATION,
    requests: [{
      method: opts.method ?? 'POST',
      path: opts.path,
      headers: { 'content-type': 'application/json' },
      ...(opts.body === undefined ? {} : { body: opts.body }),
      setupRequest: (req) => {
        const tokens = opts.tokens
        if (tokens === undefined) return req
        return { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }
      }
    }]
  })
  const non2xx = result.non2xx + result.errors
  const row = { name, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, ...(non2xx > 0 ? { note: `${non2xx} non-2xx/errors` } : {}) }
  rows.push(row)
  console.log(`${name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms${row.note === undefined ? '' : ` (${row.note})`}`)
  return row
}

async function post (url: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body)
  })
  return await res.json() as Record<string, unknown>
}

async function users (url: string, n: number, prefix: string): Promise<string[]> {
  const tokens: string[] = []
  for (let i = 0; i < n; i++) {
    const username = `${prefix}${i}`
    await post(url, '/user/', { username, password: 'correct horse battery' })
    tokens.push((await post(url, '/token', { username, password: 'correct horse battery' })).access_token as string)
  }
  return tokens
}

// The bench signs up hundreds of users from one address.
const LIMITS = { DAILY_MESSAGE_LIMIT: '100000000', BURST_MESSAGE_LIMIT: '100000000', REGISTRATIONS_PER_ADDRESS_PER_HOUR: '10000' }

/**
 * The gateway (`src/server.ts`) on a fresh data dir, limits raised, provider at `upstream`.
 * LOG_LEVEL=info so the listening line is printed; request lines go to the pipe, as in production.
 */
async function startGateway (upstream: string, env: Record<string, string> = {}): Promise<{ url: string, dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'simple-chat-bench-'))
  const url = await start('src/server.ts', [], { ...LIMITS, LOG_LEVEL: 'info', DATA_DIR: dataDir, LLM_BASE_URL: upstream, LLM_API_KEY: 'k', PORT: '0', ...env }, dataDir)
  return { url, dataDir }
}
const MESSAGE = JSON.stringify({ message: 'Hello, how are you today?' })
// One request at a time: what the gateway adds to a request's latency with no queueing at all.
// (autocannon's fixed-rate mode was tried for this: it gave the bare passthrough a p99 of 125-209 ms.)

async function gateway (upstream: string): Promise<void> {
  const passthrough = await start('bench/servers.ts', ['passthrough', upstream])
  const bare = await load('passthrough (bare Fastify → upstream)', passthrough, { path: '/llm/message', body: MESSAGE })
  const bareAlone = await load('passthrough, 1 connection', passthrough, { path: '/llm/message', body: MESSAGE, connections: 1 })
  await stop(children.pop())

  let oneWorker = 0
  for (const workers of [1, 2]) {
    const { url, dataDir } = await startGateway(upstream, { WORKERS: String(workers) })
    const tokens = await users(url, 200, 'bench')
    const row = await load(`gateway POST /llm/message, ${workers} worker${workers > 1 ? 's' : ''}, 200 users`, url, { path: '/llm/message', body: MESSAGE, tokens })
    if (workers === 1) {
      oneWorker = row.rps
      const alone = await load('gateway, 1 worker, 1 connection', url, { path: '/llm/message', body: MESSAGE, tokens, connections: 1 })
      extra.gateway_vs_passthrough = {
        throughput_ratio: +(row.rps / bare.rps).toFixed(2),
        added_p99_ms: row.p99 - bare.p99,
        // autocannon's latencies are whole milliseconds; one connection's req/s gives the mean exactly.
        added_mean_ms_1_connection: +(1000 / alone.rps - 1000 / bareAlone.rps).toFixed(3),
        added_p50_ms_1_connection: alone.p50 - bareAlone.p50,
        added_p99_ms_1_connection: alone.p99 - bareAlone.p99,
        target: 'ratio ≥ 0.7, added p99 < 2 ms'
      }
    } else {
      extra.workers_2_vs_1 = +(row.rps / oneWorker).toFixed(2)
    }
    await stop(children.pop())
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * The same comparison against an upstream that takes 50 ms, as a fast provider does: what the
 * gateway adds when it is not the bottleneck.
 */
async function providerLatency (): Promise<void> {
  const upstream = await start('bench/servers.ts', ['upstream', '50'])
  const passthrough = await start('bench/servers.ts', ['passthrough', upstream])
  const bare = await load('passthrough, upstream 50 ms', passthrough, { path: '/llm/message', body: MESSAGE })
  await stop(children.pop())
  const { url, dataDir } = await startGateway(upstream)
  const tokens = await users(url, 200, 'slow')
  const row = await load('gateway, 1 worker, upstream 50 ms', url, { path: '/llm/message', body: MESSAGE, tokens })
  extra.gateway_vs_passthrough_upstream_50ms = {
    throughput_ratio: +(row.rps / bare.rps).toFixed(2),
    added_p50_ms: row.p50 - bare.p50,
    added_p99_ms: row.p99 - bare.p99
  }
  await stop(children.pop())
  await stop(children.pop())
  rmSync(dataDir, { recursive: true, force: true })
}

/** History and status with few vs many stored messages: their cost must not grow with the data. */
async function scale (upstream: string): Promise<void> {
  const results: Record<string, Row> = {}
  for (const total of [1_000, 1_000_000]) {
    const { url, dataDir } = await startGateway(upstream)
    const [token] = await users(url, 10, 'reader')
    // Seed directly: the caller (user 1) owns a tenth, the other nine users the rest. Records are
    // 7.2 minutes apart, so every user has about 20 a day, as the daily limit allows: 1,000,000
    // records go back 13.7 years. (Seeded 1 s apart, the caller had ~4,000 messages "today",
    // which no user can have, and status read them all.)
    const db = new Sqlite(join(dataDir, 'simple-chat.db'))
    const insert = db.prepare("INSERT INTO messages (user_id, role, endpoint, status, text, created_at) VALUES (?, ?, 'message', ?, ?, ?)")
    const now = Date.now()
    const spacing = 7.2 * 60_000
    db.transaction(() => {
      for (let i = 0; i < total; i++) {
        const user = i % 10 === 0 ? 1 : 2 + (i % 9)
        const ai = i % 2 === 1
        insert.run(user, ai ? 'ai' : 'user', ai ? 'complete' : 'answered', `message number ${i} with a little text`, now - (total - i) * spacing)
      }
    })()
    db.close()
    for (const [name, path] of [['history/50', '/user/history/50'], ['status', '/user/status']] as const) {
      results[`${name} ${total}`] = await load(`GET /user/${name}, ${total.toLocaleString('en')} stored`, url, { method: 'GET', path, tokens: [token as string] })
    }
    await stop(children.pop())
    rmSync(dataDir, { recursive: true, force: true })
  }
  const ratio = (name: string): number => +((results[`${name} 1000`]?.rps ?? 0) / (results[`${name} 1000000`]?.rps ?? 1)).toFixed(2)
  extra.cost_growth_1k_to_1M = { history: ratio('history/50'), status: ratio('status'), target: '≤ 1.2 (req/s at 1k ÷ req/s at 1M)' }
}

async function middleOut (): Promise<void> {
  const out = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/middle-out.ts'), '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString() })
    child.once('exit', () => resolve(text))
  })
  const json = out.split('\n').find((line) => line.startsWith('['))
  extra.middle_out = json === undefined ? out.trim() : JSON.parse(json)
  console.log(out.trim())
}

try {
  const upstream = await start('bench/servers.ts', ['upstream'])
  await gateway(upstream)
  await providerLatency()
  await scale(upstream)
  await middleOut()
} finally {
  for (const child of children) child.kill('SIGKILL')
}

console.log(`\n| benchmark (${CONNECTIONS} connections, ${DURATION} s each) | req/s | p50 ms | p99 ms | note |\n|---|---|---|---|---|`)
for (const r of rows) console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.note ?? ''} |`)
console.log('\n' + JSON.stringify(extra, null, 2))
mkdirSync(join(ROOT, '.artifacts', 'bench'), { recursive: true })
writeFileSync(join(ROOT, '.artifacts', 'bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, seconds: DURATION, rows, ...extra }, null, 2))
