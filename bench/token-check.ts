/**
 * What binding tokens to a live account costs (src/http/plugins/auth.ts): the check before it
 * (signature, claims, expiry; fast-jwt caches verified tokens) against the check now (the same,
 * plus the account read by primary key and its token version compared), on a real SQLite file of
 * 10,000 users, in interleaved rounds so both see the same machine. `--json` prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createTokenService } from '../src/auth/tokens.js'
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.js'

const USERS = 10_000
const ROUNDS = 15
const PER_ROUND = 20_000

const dir = mkdtempSync(join(tmpdir(), 'simple-chat-bench-tokens-'))
const store = createSqliteStore(join(dir, 'simple-chat.db'))
const tokens = createTokenService('a-bench-secret-of-at-least-thirty-two-chars', 3600)
const issued: string[] = []
for (let i = 0; i < USERS; i++) {
  const user = await store.createUser(`user${i}`, 'scrypt$not-a-real-hash', Date.now())
  if (user === null) throw new Error('sign-up failed')
  issued.push(tokens.issue({ userId: user.id, username: user.username, version: user.tokenVersion }, Date.now()))
}

async function signatureOnly (n: number): Promise<void> {
  for (let i = 0; i < n; i++) tokens.verify(issued[i % 1000] as string)
}

async function liveAccount (n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const claims = tokens.verify(issued[i % 1000] as string)
    const user = await store.findUserById(claims.userId)
    if (user?.tokenVersion !== claims.version) throw new Error('refused')
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const timings = { before: [] as number[], now: [] as number[] }
await signatureOnly(PER_ROUND)
await liveAccount(PER_ROUND)
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of [['before', signatureOnly], ['now', liveAccount]] as const) {
    const start = performance.now()
    await run(PER_ROUND)
    timings[name].push((performance.now() - start) * 1000 / PER_ROUND)
  }
}
await store.close()
rmSync(dir, { recursive: true, force: true })

const before = median(timings.before)
const now = median(timings.now)
const result = { users: USERS, signature_only_us: +before.toFixed(2), with_live_account_us: +now.toFixed(2), added_us_per_request: +(now - before).toFixed(2) }
if (process.argv.includes('--json')) console.log(JSON.stringify(result))
else console.log(`token check per request, ${USERS.toLocaleString('en')} users: signature only ${result.signature_only_us} µs; with the live-account check ${result.with_live_account_us} µs (+${result.added_us_per_request} µs)`)
