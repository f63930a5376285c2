/**
 * Issue 16: where the tail at one connection comes from. autocannon's latencies are whole
 * milliseconds, too coarse for a gateway that adds half of one, so this client sends one request at
 * a time over one kept-alive connection and times each in microseconds: the bare passthrough, the
 * gateway, and the gateway with each SQLite speed-up off, all against the same zero-latency
 * upstream. The gateway runs with `bench/gc-monitor.ts`, which reports the garbage collector's
 * pauses, so a slow request can be laid beside a pause. `--json` prints one line.
 *
 * BENCH_TAIL_VARIANTS picks what runs (comma-separated): `passthrough`, `gateway`, a speed-up off
 * (`no-checkpointer`, `no-group-commit`, `no-context-cache`), each optionally followed by Node
 * options, e.g. `gateway --min-semi-space-size=16` (how the GC pauses were tried).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Pool } from 'undici'
import { children, ROOT, start, startGateway, stop, users } from './processes.js'

const REQUESTS = Number(process.env.BENCH_TAIL_REQUESTS ?? 6000)
const WARMUP = 1000
const MESSAGE = JSON.stringify({ message: 'Hello, how are you today?' })
const GC_MONITOR = pathToFileURL(join(ROOT, 'bench', 'gc-monitor.ts')).href
const VARIANTS = (process.env.BENCH_TAIL_VARIANTS ?? 'passthrough,gateway,no-checkpointer').split(',')

interface Tail { p50: number, p90: number, p99: number, p999: number, max: number, gc?: GcSummary }
interface GcSummary { pauses: number, over_500_us: number, total_ms: number, max_ms: number }

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN
const us = (ns: bigint): number => Number(ns / 1000n)

async function measure (url: string, tokens: string[]): Promise<Omit<Tail, 'gc'>> {
  const pool = new Pool(url, { connections: 1, pipelining: 1 })
  const times: number[] = []
  try {
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const started = process.hrtime.bigint()
      const res = await pool.request({
        method: 'POST',
        path: '/llm/message',
        headers: { 'content-type': 'application/json', ...(tokens.length > 0 ? { authorization: `Bearer ${tokens[i % tokens.length]}` } : {}) },
        body: MESSAGE
      })
      await res.body.text()
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`)
      if (i >= WARMUP) times.push(us(process.hrtime.bigint() - started))
    }
  } finally {
    await pool.close()
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 0.5), p90: percentile(times, 0.9), p99: percentile(times, 0.99), p999: percentile(times, 0.999), max: times.at(-1) ?? NaN }
}

const json = process.argv.includes('--json')
const results: Record<string, Tail> = {}
try {
  const upstream = await start('bench/servers.ts', ['upstream'])
  for (const variant of VARIANTS) {
    if (variant === 'passthrough') {
      const url = await start('bench/servers.ts', ['passthrough', upstream])
      results[variant] = await measure(url, [])
      await stop(children.pop())
      continue
    }
    const gc: GcSummary = { pauses: 0, over_500_us: 0, total_ms: 0, max_ms: 0 }
    let measuring = false
    const { url, dataDir } = await startGateway(upstream, {}, {
      script: 'bench/gateway-tuned.ts',
      // `gateway --some-v8-flag`: the gateway under a Node option.
      args: variant.startsWith('gateway') ? [] : variant.split(' ').slice(0, 1),
      node: ['--import', GC_MONITOR, ...variant.split(' ').slice(1)],
      onLine: (line) => {
        if (!measuring || !line.startsWith('gc ')) return
        const part = JSON.parse(line.slice(3)) as GcSummary
        gc.pauses += part.pauses
        gc.over_500_us += part.over_500_us
        gc.total_ms = +(gc.total_ms + part.total_ms).toFixed(2)
        gc.max_ms = Math.max(gc.max_ms, part.max_ms)
      }
    })
    const tokens = await users(url, 200, 'tail')
    // The pauses counted are those while the requests are measured (within 250 ms).
    measuring = true
    const tail = await measure(url, tokens)
    measuring = false
    await stop(children.pop())
    results[variant] = { ...tail, gc }
    rmSync(dataDir, { recursive: true, force: true })
  }
} finally {
  for (const child of children) child.kill('SIGKILL')
}

if (json) console.log(JSON.stringify({ one_connection_latency_us: results }))
else for (const [name, t] of Object.entries(results)) console.log(`${name}: p50 ${t.p50} µs, p90 ${t.p90}, p99 ${t.p99}, p99.9 ${t.p999}, max ${t.max}${t.gc === undefined ? '' : `; gc ${JSON.stringify(t.gc)}`}`)
