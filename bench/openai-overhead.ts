/**
 * Issue 15: `POST /v1/chat/completions` must cost no more per request than the seed's
 * `POST /llm/message`. One gateway (1 worker), 200 users each with an access token and an API key,
 * the same short message; rounds interleave the endpoints so all see the same machine. Cost is the
 * gateway's own CPU time per answered request (from /proc, so other load on the machine counts
 * less than in req/s), and req/s beside it. `--json` prints one JSON line.
 */
import { rmSync } from 'node:fs'
import autocannon from 'autocannon'
import { children, cpuMs, post, start, startGateway, stop, users } from './processes.js'

const SECONDS = Math.max(2, Math.round(Number(process.env.BENCH_SECONDS ?? 8) / 2))
const ROUNDS = 3
const CONNECTIONS = 50
const MODEL = 'mistralai/mistral-7b-instruct'
const TEXT = 'Hello, how are you today?'

// What an OpenAI client sends on its 11th turn: the conversation so far, as /llm/message's provider
// sees the stored history (HISTORY_CONTEXT_MESSAGES = 20 records), and the new message.
const REPLY = 'Hello! How can I help you today?'
const CONVERSATION = [...Array.from({ length: 10 }, () => [{ role: 'user', content: TEXT }, { role: 'assistant', content: REPLY }]).flat(), { role: 'user', content: TEXT }]

interface Kind { name: string, path: string, body: string, auth: 'token' | 'key' }
const KINDS: Kind[] = [
  { name: 'POST /llm/message (token; 20 stored records as context)', path: '/llm/message', body: JSON.stringify({ message: TEXT }), auth: 'token' },
  { name: 'POST /v1/chat/completions (API key; 20 messages sent as context)', path: '/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages: CONVERSATION }), auth: 'key' },
  { name: 'POST /v1/chat/completions (API key; 1 message)', path: '/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: TEXT }] }), auth: 'key' },
  { name: 'POST /v1/chat/completions (token; 20 messages)', path: '/v1/chat/completions', body: JSON.stringify({ model: MODEL, messages: CONVERSATION }), auth: 'token' }
]

async function load (url: string, kind: Kind, credentials: string[], pid: number): Promise<{ rps: number, cpuUs: number, failed: number }> {
  let next = 0
  const before = cpuMs(pid)
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{
      method: 'POST',
      path: kind.path,
      headers: { 'content-type': 'application/json' },
      body: kind.body,
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${credentials[next++ % credentials.length] ?? ''}` } })
    }]
  })
  const answered = result['2xx']
  return { rps: result.requests.average, cpuUs: (cpuMs(pid) - before) * 1000 / Math.max(1, answered), failed: result.non2xx + result.errors }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

try {
  const upstream = await start('bench/servers.ts', ['upstream'])
  const { url, dataDir } = await startGateway(upstream)
  const pid = children.at(-1)?.pid as number
  const tokens = await users(url, 200, 'openai')
  const keys: string[] = []
  for (const token of tokens) keys.push((await post(url, '/user/api-keys', { name: 'bench' }, token)).key as string)

  const runs = new Map<string, Array<{ rps: number, cpuUs: number, failed: number }>>(KINDS.map((kind) => [kind.name, []]))
  // A first short pass warms both paths (JIT, tokenizer, caches); it is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const kind of KINDS) {
      const run = await load(url, kind, kind.auth === 'key' ? keys : tokens, pid)
      if (round > 0) runs.get(kind.name)?.push(run)
    }
  }
  await stop(children.pop())
  rmSync(dataDir, { recursive: true, force: true })

  const rows = KINDS.map((kind) => {
    const all = runs.get(kind.name) ?? []
    return { name: kind.name, rps: Math.round(median(all.map((r) => r.rps))), cpu_us_per_request: Math.round(median(all.map((r) => r.cpuUs))), failed: all.reduce((sum, r) => sum + r.failed, 0) }
  })
  const [seed, ...others] = rows as [typeof rows[0], ...typeof rows]
  const result = {
    rows,
    // The /v1 rows against /llm/message: > 1 costs more.
    vs_llm_message: others.map((row) => ({ name: row.name, cpu_cost_ratio: +(row.cpu_us_per_request / seed.cpu_us_per_request).toFixed(2), throughput_ratio: +(row.rps / seed.rps).toFixed(2) })),
    target: 'cpu_cost_ratio ≤ 1 (no more CPU per request than /llm/message)'
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result))
  else {
    for (const row of rows) console.log(`${row.name}: ${row.rps} req/s, ${row.cpu_us_per_request} µs of gateway CPU per request${row.failed > 0 ? ` (${row.failed} failed)` : ''}`)
    console.log(JSON.stringify(result, null, 2))
  }
} finally {
  for (const child of children) child.kill('SIGKILL')
}
