/**
 * Issue 16: what each speed-up of the SQLite backend is worth, measured by turning it off: the
 * per-process context cache, the checkpointer thread, group commit. The gateway (1 process, BENCH_USERS (200)
 * users) under 50 connections and under 1, against an upstream that answers at once and one that
 * takes 50 ms. Ratios are req/s off ÷ req/s on (below 1: the speed-up pays). `--json` prints them
 * as one line.
 */
import { rmSync } from 'node:fs'
import autocannon from 'autocannon'
import { children, start, startGateway, stop, users } from './processes.js'

const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const USERS = Number(process.env.BENCH_USERS ?? 200)
const MESSAGE = JSON.stringify({ message: 'Hello, how are you today?' })
const VARIANTS = ['all on', 'no-context-cache', 'no-checkpointer', 'no-group-commit'] as const

interface Figures { rps: number, p50: number, p99: number, p999: number }

async function load (url: string, tokens: string[], connections: number): Promise<Figures> {
  let next = 0
  const result = await autocannon({
    url,
    connections,
    duration: DURATION,
    requests: [{
      method: 'POST',
      path: '/llm/message',
      headers: { 'content-type': 'application/json' },
      body: MESSAGE,
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } })
    }]
  })
  if (result.non2xx + result.errors > 0) console.error(`  ${result.non2xx + result.errors} non-2xx/errors`)
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, p999: result.latency.p99_9 }
}

const json = process.argv.includes('--json')
const results: Record<string, Record<string, Figures>> = {}
try {
  for (const delay of [0, 50]) {
    const upstream = await start('bench/servers.ts', ['upstream', String(delay)])
    for (const variant of VARIANTS) {
      const { url, dataDir } = await startGateway(upstream, {}, { script: 'bench/gateway-tuned.ts', args: variant === 'all on' ? [] : [variant] })
      const tokens = await users(url, USERS, 'tuned')
      for (const connections of [50, 1]) {
        const key = `upstream ${delay} ms, ${connections} connection${connections > 1 ? 's' : ''}`
        const figures = await load(url, tokens, connections)
        ;(results[key] ??= {})[variant] = figures
        if (!json) console.log(`${key}, ${variant}: ${figures.rps} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, p99.9 ${figures.p999} ms`)
      }
      await stop(children.pop())
      rmSync(dataDir, { recursive: true, force: true })
    }
    await stop(children.pop())
  }
} finally {
  for (const child of children) child.kill('SIGKILL')
}

const ratios: Record<string, Record<string, number>> = {}
for (const [key, byVariant] of Object.entries(results)) {
  const on = byVariant['all on']?.rps ?? NaN
  ratios[key] = Object.fromEntries(VARIANTS.slice(1).map((v) => [v, +((byVariant[v]?.rps ?? NaN) / on).toFixed(2)]))
}
if (json) console.log(JSON.stringify({ req_per_s_off_over_on: ratios, figures: results }))
else console.log(JSON.stringify(ratios, null, 2))
