import cluster from 'node:cluster'
import type { Config } from '../config.js'
import { serveClusterMetrics } from '../metrics/cluster.js'

/** What a worker that cannot start sends its primary before it exits: the one line to print. */
export const START_FAILED = 'simple-chat:start-failed'

// A worker gets this long to listen, then it counts as hung. Generous: a worker that fails says so
// at once, and a loaded machine running from source (tsx) was seen to take 40 s.
const START_TIMEOUT_MS = 120_000
// A worker that dies is replaced after 0.5 s, doubling with each further death (to 30 s) until a
// worker started after the last death stays listening for a minute; the fifth death before that is
// a crash loop and ends the server. Counted in deaths, not deaths per minute: on a loaded machine a worker that fails at
// start can take longer than the minute to do so, and that is a crash loop all the same.
const FIRST_DELAY_MS = 500
const MAX_DELAY_MS = 30_000
const STABLE_MS = 60_000
const CRASH_LIMIT = 5

/**
 * The primary of WORKERS processes sharing the port (node:cluster). It fails loudly: a worker that
 * cannot start ends the server at once, non-zero, with the worker's one-line cause; a worker that
 * dies later is replaced, with back-off, until a crash loop ends the server. SIGINT/SIGTERM pass on
 * to the workers, which drain; the primary exits when they have. It also gathers the workers'
 * metrics for /metrics.
 */
export function supervise (config: Config): void {
  serveClusterMetrics()
  const say = (line: string): void => { console.error(`simple-chat: ${line}`) }
  let phase: 'starting' | 'running' | 'stopping' = 'starting'
  let exitCode = 0
  const alive = new Set<number>()
  const listening = new Set<number>()
  const causes = new Map<number, string>()
  // Deaths in the current streak, and in all; per worker, the deaths before it was forked and the
  // timer that ends the streak if it stays up.
  let deaths = 0
  let died = 0
  const diedBefore = new Map<number, number>()
  const stableTimers = new Map<number, NodeJS.Timeout>()

  const fork = (): void => {
    const worker = cluster.fork()
    alive.add(worker.id)
    diedBefore.set(worker.id, died)
    worker.on('message', (message: { type?: unknown, line?: unknown }) => {
      if (message?.type === START_FAILED && typeof message.line === 'string') causes.set(worker.id, message.line)
    })
  }

  const stop = (code: number, line?: string, signal: NodeJS.Signals = 'SIGTERM'): void => {
    if (phase === 'stopping') return
    phase = 'stopping'
    exitCode = code
    clearTimeout(startTimer)
    if (line !== undefined) say(line)
    if (alive.size === 0) process.exit(exitCode)
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    // The workers drain within SHUTDOWN_GRACE_SECONDS and exit by themselves; this is the backstop.
    setTimeout(() => {
      say(`workers still running ${config.SHUTDOWN_GRACE_SECONDS} s after ${signal}: killing them`)
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
      process.exit(exitCode === 0 ? 1 : exitCode)
    }, config.SHUTDOWN_GRACE_SECONDS * 1000 + 2000).unref()
  }

  const startTimer = setTimeout(() => {
    stop(1, `cannot start: ${config.WORKERS - listening.size} of ${config.WORKERS} workers were not listening after ${START_TIMEOUT_MS / 1000} s`)
  }, START_TIMEOUT_MS)

  cluster.on('listening', (worker) => {
    listening.add(worker.id)
    const before = diedBefore.get(worker.id)
    stableTimers.set(worker.id, setTimeout(() => { if (died === before) deaths = 0 }, STABLE_MS).unref())
    if (phase === 'starting' && listening.size === config.WORKERS) {
      phase = 'running'
      clearTimeout(startTimer)
    }
  })

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker.id)
    clearTimeout(stableTimers.get(worker.id))
    stableTimers.delete(worker.id)
    diedBefore.delete(worker.id)
    const wasListening = listening.delete(worker.id)
    const cause = causes.get(worker.id) ??
      `worker ${worker.process.pid} exited (${signal ?? `code ${code}`})${wasListening ? '' : ' before it was listening'}`
    causes.delete(worker.id)
    if (phase === 'stopping') {
      // A worker that could not drain in time (it exits 1) makes the whole stop a failure.
      if (code !== null && code > 0) exitCode ||= 1
      if (alive.size === 0) process.exit(exitCode)
      return
    }
    if (phase === 'starting') return stop(1, `cannot start: ${cause}`)

    died++
    deaths++
    if (deaths >= CRASH_LIMIT) {
      return stop(1, `stopping: workers died ${deaths} times without one staying up ${STABLE_MS / 1000} s (a crash loop); the last: ${cause}`)
    }
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (deaths - 1))
    say(`${cause}; starting another in ${delay / 1000} s`)
    setTimeout(() => { if (phase === 'running') fork() }, delay)
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(0, undefined, signal))
  for (let i = 0; i < config.WORKERS; i++) fork()
}
