/**
 * This checkout's gateway against another checkout's, for a change that must not cost more (issue
 * 16's refactor): `npx tsx bench/versus.ts <other checkout>` (its `node_modules` installed). Both
 * run as `src/server.ts` does, one process each, on the same zero-latency upstream, 200 users each;
 * 4-second loads at 50 connections alternate between them for ROUNDS rounds so both see the same
 * machine. Reported: each one's median req/s and its own CPU time per answered request (from
 * /proc, which other load on the machine disturbs less than req/s), and this ÷ other. Not part of
 * `make bench`: it needs a second checkout.
 */
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import autocannon from 'autocannon'
import { children, cpuMs, start, startGateway, users } from './processes.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SECONDS = 4
const MESSAGE = JSON.stringify({ message: 'Hello, how are you today?' })
const other = process.argv[2]
if (other === undefined) throw new Error('usage: npx tsx bench/versus.ts <other checkout>')

interface Side { name: string, url: string, pid: number, tokens: string[], dataDir: string, runs: Array<{ rps: number, cpuUs: number }> }

async function load (side: Side): Promise<void> {
  let next = 0
  const before = cpuMs(side.pid)
  const result = await autocannon({
    url: side.url,
    connections: 50,
    duration: SECONDS,
    requests: [{
      method: 'POST',
      path: '/llm/message',
      headers: { 'content-type': 'application/json' },
      body: MESSAGE,
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${side.tokens[next++ % side.tokens.length] ?? ''}` } })
    }]
  })
  if (result.non2xx + result.errors > 0) console.error(`  ${side.name}: ${result.non2xx + result.errors} non-2xx/errors`)
  side.runs.push({ rps: result.requests.average, cpuUs: (cpuMs(side.pid) - before) * 1000 / Math.max(1, result['2xx']) })
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const sides: Side[] = []
try {
  const upstream = await start('bench/servers.ts', ['upstream'])
  for (const [name, script] of [['this checkout', 'src/server.ts'], [other, resolve(other, 'src/server.ts')]] as const) {
    const { url, dataDir } = await startGateway(upstream, {}, { script })
    const pid = children.at(-1)?.pid as number
    sides.push({ name, url, pid, dataDir, tokens: await users(url, 200, 'versus'), runs: [] })
  }
  for (const side of sides) await load(side) // warm-up, not counted
  for (const side of sides) side.runs.length = 0
  for (let round = 0; round < ROUNDS; round++) for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await load(side)
} finally {
  for (const child of children) child.kill('SIGKILL')
  for (const side of sides) rmSync(side.dataDir, { recursive: true, force: true })
}

const [mine, theirs] = sides.map((side) => ({ name: side.name, rps: Math.round(median(side.runs.map((r) => r.rps))), cpu_us_per_request: Math.round(median(side.runs.map((r) => r.cpuUs))) })) as [{ name: string, rps: number, cpu_us_per_request: number }, { name: string, rps: number, cpu_us_per_request: number }]
console.log(JSON.stringify({ rounds: ROUNDS, this: mine, other: theirs, rps_ratio: +(mine.rps / theirs.rps).toFixed(2), cpu_ratio: +(mine.cpu_us_per_request / theirs.cpu_us_per_request).toFixed(2) }, null, 2))
