/**
 * The load of a real LLM: 2,000 streaming chats at once against an upstream that writes each reply
 * over 10 s (20 pieces, one every 500 ms), over https with HTTP/2 offered. Side by side in one run:
 * the client straight to the upstream (the floor), then the gateway with HTTP/2 to the upstream,
 * with HTTP/1.1 (LLM_HTTP2=false), and with WORKERS=2. Per run: how many finished, the wall time,
 * time to first token, the gateway's event-loop delay and resident memory (from inside, by
 * bench/loop-monitor.ts) at 0, 1,000 and 2,000 open streams, and the connections the upstream saw.
 * The streams open in two halves, so memory is read at 1,000 and 2,000. While all are open, probe
 * chats measure time to first token through the gateway and straight to the upstream, in turns:
 * the difference is what the gateway adds once the opening burst is over.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { Pool } from 'undici'
import { selfSignedCertificate } from '../test/helpers/tls.js'
import { children, ROOT, start, startGateway, stop, users } from './processes.js'

const STREAMS = Number(process.env.BENCH_STREAMS ?? 2000)
const PIECES = 20
const INTERVAL_MS = 500
const PROBES = 30
const PROBES_AT_ONCE = 6
const MONITOR = pathToFileURL(join(ROOT, 'bench', 'loop-monitor.ts')).href
const MB = 1024 * 1024

/** Where chats are sent: the gateway's /llm/message, or the upstream's own chat completions. */
interface Target {
  pool: Pool
  path: string
  headers: () => Record<string, string>
  body: string
  /** Seen in the first chunk that carries text, and in the last one. */
  firstMark: string
  doneMark: string
}

interface Chat { ok: boolean, ttftMs: number, doneAt: number }

/** One streaming chat; `first` settles at its first token (or failure), `done` when it ends. */
function chat (target: Target, stopAtFirst = false): { first: Promise<void>, done: Promise<Chat> } {
  let firstSeen = (): void => {}
  const first = new Promise<void>((resolve) => { firstSeen = resolve })
  const started = performance.now()
  const done = (async (): Promise<Chat> => {
    let ttftMs = Number.NaN
    let ok = false
    try {
      // Idempotent: undici keeps a POST alone on an HTTP/2 connection otherwise (src/llm/provider-pool.ts).
      const res = await target.pool.request({ method: 'POST', path: target.path, headers: target.headers(), body: target.body, idempotent: true })
      for await (const data of res.body) {
        const text = (data as Buffer).toString()
        if (Number.isNaN(ttftMs) && text.includes(target.firstMark)) {
          ttftMs = performance.now() - started
          firstSeen()
          if (stopAtFirst) {
            res.body.destroy()
            return { ok: true, ttftMs, doneAt: performance.now() }
          }
        }
        if (text.includes(target.doneMark)) ok = res.statusCode === 200
      }
    } catch {}
    firstSeen()
    return { ok, ttftMs, doneAt: performance.now() }
  })()
  return { first, done }
}

const percentile = (values: number[], p: number): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  return sorted.length === 0 ? Number.NaN : +(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number).toFixed(1)
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The loop-monitor lines of a gateway's processes. */
class Monitor {
  readonly samples: Array<{ at: number, pid: number, p99: number, max: number, rss: number }> = []
  onLine = (line: string): void => {
    if (line.startsWith('loop ')) this.samples.push({ at: performance.now(), ...JSON.parse(line.slice(5)) })
  }

  /** Resident memory of all its processes, from each one's latest line, after waiting for new lines. */
  async rss (): Promise<number> {
    await sleep(1100)
    const latest = new Map<number, number>()
    for (const s of this.samples) latest.set(s.pid, s.rss)
    return [...latest.values()].reduce((a, b) => a + b, 0)
  }

  /** The worst 500 ms window's p99, and the longest single delay, since `from`. */
  delay (from: number): { p99_worst_window_ms: number, max_ms: number } {
    const windows = this.samples.filter((s) => s.at >= from)
    return { p99_worst_window_ms: Math.max(...windows.map((s) => s.p99)), max_ms: Math.max(...windows.map((s) => s.max)) }
  }
}

/** Time to first token of probe chats, through `probed` and straight to `floor`, taking turns. */
async function probe (probed: Target, floor: Target): Promise<{ probed: number[], floor: number[] }> {
  const result = { probed: [] as number[], floor: [] as number[] }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < PROBES * 2) {
      const i = next++
      const chatResult = await chat(i % 2 === 0 ? probed : floor, true).done
      ;(i % 2 === 0 ? result.probed : result.floor).push(chatResult.ttftMs)
    }
  }
  await Promise.all(Array.from({ length: PROBES_AT_ONCE }, worker))
  return result
}

/** STREAMS chats at `target`, in two halves; memory read before and after each half. */
async function wave (name: string, target: Target, direct: Target, upstreamStats: () => Promise<{ connections: number }>, monitor?: Monitor): Promise<Record<string, unknown>> {
  const connectionsBefore = (await upstreamStats()).connections
  const rss0 = await monitor?.rss()
  const started = performance.now()
  const chats: Array<Promise<Chat>> = []
  const rss: number[] = []
  for (let half = 0; half < 2; half++) {
    const opened = Array.from({ length: STREAMS / 2 }, () => chat(target))
    chats.push(...opened.map((c) => c.done))
    await Promise.all(opened.map((c) => c.first))
    if (monitor !== undefined) rss.push(await monitor.rss())
  }
  const afterBurst = performance.now()
  const probes = monitor === undefined ? undefined : await probe(target, direct)
  const results = await Promise.all(chats)
  const wall = (Math.max(...results.map((r) => r.doneAt)) - started) / 1000
  const ttft = results.map((r) => r.ttftMs)
  const row: Record<string, unknown> = {
    finished: results.filter((r) => r.ok).length,
    wall_s: +wall.toFixed(1),
    ttft_ms: { p50: percentile(ttft, 0.5), p99: percentile(ttft, 0.99) },
    upstream_connections_opened: (await upstreamStats()).connections - connectionsBefore
  }
  if (monitor !== undefined && probes !== undefined && rss0 !== undefined) {
    row.added_ttft_after_burst_ms = {
      p50: +(percentile(probes.probed, 0.5) - percentile(probes.floor, 0.5)).toFixed(1),
      p99: +(percentile(probes.probed, 0.99) - percentile(probes.floor, 0.99)).toFixed(1),
      probes: `${PROBES} through the gateway, ${PROBES} straight, ${PROBES_AT_ONCE} at a time`
    }
    row.event_loop_delay = { whole_run: monitor.delay(started), after_burst: monitor.delay(afterBurst) }
    row.rss_mb = { open_0: Math.round(rss0 / MB), [`open_${STREAMS / 2}`]: Math.round((rss[0] ?? 0) / MB), [`open_${STREAMS}`]: Math.round((rss[1] ?? 0) / MB), growth: Math.round(((rss[1] ?? 0) - rss0) / MB) }
    row.kb_per_open_stream = Math.round(((rss[1] ?? 0) - rss0) / STREAMS / 1024)
  }
  console.log(`${name}: ${JSON.stringify(row)}`)
  return row
}

export async function slowUpstream (): Promise<Record<string, unknown>> {
  const tlsDir = mkdtempSync(join(tmpdir(), 'simple-chat-bench-tls-'))
  const cert = await selfSignedCertificate()
  const certFile = join(tlsDir, 'cert.pem')
  const keyFile = join(tlsDir, 'key.pem')
  writeFileSync(certFile, cert.cert)
  writeFileSync(keyFile, cert.key)
  const upstream = await start('bench/servers.ts', ['slow', String(PIECES), String(INTERVAL_MS)], { env: { TLS_KEY_FILE: keyFile, TLS_CERT_FILE: certFile } })
  const upstreamUrl = new URL(upstream)
  // Straight to the upstream the way the gateway reaches it, over HTTP/2, 100 streams a connection.
  const upstreamPool = new Pool(upstreamUrl.origin, { connections: 64, allowH2: true, pipelining: 100, connect: { ca: cert.cert } })
  const upstreamStats = async (): Promise<{ connections: number }> =>
    await (await upstreamPool.request({ method: 'GET', path: `${upstreamUrl.pathname}/stats` })).body.json() as { connections: number }
  const direct: Target = {
    pool: upstreamPool,
    path: `${upstreamUrl.pathname}/chat/completions`,
    headers: () => ({ 'content-type': 'application/json' }),
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'Hello, how are you today?' }] }),
    firstMark: '"content":"word',
    doneMark: '[DONE]'
  }
  const results: Record<string, unknown> = {
    load: `${STREAMS} streaming chats at once, upstream ${PIECES} pieces × ${INTERVAL_MS} ms over https`,
    target: 'all finish in one wave (< 15 s); added time to first token < 50 ms at p99 after the burst; RSS growth < 200 MB'
  }
  try {
    results.straight_to_upstream = await wave('straight to the upstream', direct, direct, upstreamStats)
    for (const [name, env] of [
      ['gateway, 1 worker, HTTP/2 to the upstream', {}],
      ['gateway, 1 worker, HTTP/1.1 to the upstream', { LLM_HTTP2: 'false' }],
      ['gateway, WORKERS=2, HTTP/2 to the upstream', { WORKERS: '2' }]
    ] as const) {
      const monitor = new Monitor()
      const { url, dataDir } = await startGateway(upstream, { NODE_EXTRA_CA_CERTS: certFile, ...env }, { node: ['--import', MONITOR], onLine: monitor.onLine })
      const tokens = await users(url, 20, 'slow')
      let next = 0
      const pool = new Pool(url, { connections: STREAMS * 2 })
      const gateway: Target = {
        pool,
        path: '/llm/message',
        headers: () => ({ 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${tokens[next++ % tokens.length]}` }),
        body: JSON.stringify({ message: 'Hello, how are you today?' }),
        firstMark: 'event: delta',
        doneMark: 'event: done'
      }
      // Warm-up, each process: first chats load the tokenizer and compile the code (about a second).
      await Promise.all(Array.from({ length: 8 }, async () => await chat(gateway, true).done))
      results[name] = await wave(name, gateway, direct, upstreamStats, monitor)
      await pool.close()
      await stop(children.pop())
      rmSync(dataDir, { recursive: true, force: true })
    }
  } finally {
    await upstreamPool.close()
    await stop(children.pop())
    rmSync(tlsDir, { recursive: true, force: true })
  }
  return results
}

// `npx tsx bench/slow-upstream.ts`: this load alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(JSON.stringify(await slowUpstream(), null, 2))
  } finally {
    for (const child of children) child.kill('SIGKILL')
  }
}
