/**
 * `make bench`: every comparison in one run, side by side, because these machines are noisy.
 * Prints a table and writes it as JSON to .artifacts/bench/results.json. Not a test: nothing here
 * asserts; the targets are printed next to the figures.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Sqlite from 'better-sqlite3'
import { children, ROOT, start, startGateway, stop, users } from './processes.js'
import { slowUpstream } from './slow-upstream.js'

const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = 50

interface Row { name: string, rps: number, p50: number, p99: number, note?: string }
const rows: Row[] = []
const extra: Record<string, unknown> = {}

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

/** Runs a bench script in its own process with `--json`; its output, and the JSON line it printed (if any). */
async function runScript (script: string): Promise<{ out: string, json: unknown }> {
  const out = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString() })
    child.once('exit', () => resolve(text))
  })
  const line = out.split('\n').find((l) => l.startsWith('[') || l.startsWith('{'))
  return { out: out.trim(), json: line === undefined ? undefined : JSON.parse(line) }
}

/** Bench scripts whose `--json` line goes into the results as it is, under its key. */
const SCRIPTS: Array<[key: string, script: string]> = [
  ['middle_out', 'bench/middle-out.ts'],
  // Issue 12: the work of one chat bounded by the model's window, whatever the message or the history.
  ['chat_bounds', 'bench/chat-bounds.ts'],
  // Issue 15: /v1/chat/completions beside /llm/message, CPU per request.
  ['openai_vs_llm_message', 'bench/openai-overhead.ts'],
  // Issue 16: the SQLite backend's speed-ups, each turned off, at 0 and 50 ms upstream.
  ['sqlite_machinery', 'bench/sqlite-machinery.ts'],
  // Issue 16: the latency tail at one connection, in microseconds, beside the GC's pauses.
  ['one_connection_tail', 'bench/latency-tail.ts']
]

/** The live-account check on every Bearer request, against the signature check alone, and against a whole request. */
async function tokenCheck (): Promise<void> {
  const { out, json } = await runScript('bench/token-check.ts')
  const result = json as { added_us_per_request: number } | undefined
  const requestUs = extra.gateway_vs_passthrough === undefined ? undefined : 1_000_000 / (rows.find((r) => r.name.startsWith('gateway, 1 worker, 1 connection'))?.rps ?? Infinity)
  extra.token_check = result === undefined
    ? out
    : { ...result, share_of_a_1_connection_chat_request: requestUs === undefined ? null : +(result.added_us_per_request / requestUs).toFixed(4), target: 'a few percent of a request at most' }
  console.log(out)
}

try {
  const upstream = await start('bench/servers.ts', ['upstream'])
  await gateway(upstream)
  await providerLatency()
  await scale(upstream)
  extra.slow_upstream = await slowUpstream()
  await tokenCheck()
  for (const [key, script] of SCRIPTS) {
    const { out, json } = await runScript(script)
    extra[key] = json ?? out
    console.log(out)
  }
} finally {
  for (const child of children) child.kill('SIGKILL')
}

console.log(`\n| benchmark (${CONNECTIONS} connections, ${DURATION} s each) | req/s | p50 ms | p99 ms | note |\n|---|---|---|---|---|`)
for (const r of rows) console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.note ?? ''} |`)
console.log('\n' + JSON.stringify(extra, null, 2))
mkdirSync(join(ROOT, '.artifacts', 'bench'), { recursive: true })
writeFileSync(join(ROOT, '.artifacts', 'bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, seconds: DURATION, rows, ...extra }, null, 2))
