import cluster, { type Worker } from 'node:cluster'
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
  const workers = new Workers(config)
  cluster.on('listening', (worker) => { workers.listening(worker) })
  cluster.on('exit', (worker, code, signal) => { workers.exited(worker, code, signal) })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { workers.stop(0, undefined, signal) })
  workers.start()
}

/** The workers as the primary sees them: alive, listening, why each died, the current streak of deaths. */
class Workers {
  readonly #config: Config
  #phase: 'starting' | 'running' | 'stopping' = 'starting'
  #exitCode = 0
  readonly #alive = new Set<number>()
  readonly #listening = new Set<number>()
  readonly #causes = new Map<number, string>()
  // Deaths in the current streak, and in all; per worker, the deaths before it was forked and the
  // timer that ends the streak if it stays up.
  #deaths = 0
  #died = 0
  readonly #diedBefore = new Map<number, number>()
  readonly #stableTimers = new Map<number, NodeJS.Timeout>()
  readonly #startTimer: NodeJS.Timeout

  constructor (config: Config) {
    this.#config = config
    this.#startTimer = setTimeout(() => {
      this.stop(1, `cannot start: ${config.WORKERS - this.#listening.size} of ${config.WORKERS} workers were not listening after ${START_TIMEOUT_MS / 1000} s`)
    }, START_TIMEOUT_MS)
  }

  start (): void {
    for (let i = 0; i < this.#config.WORKERS; i++) this.#fork()
  }

  stop (code: number, line?: string, signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.#phase === 'stopping') return
    this.#phase = 'stopping'
    this.#exitCode = code
    clearTimeout(this.#startTimer)
    if (line !== undefined) say(line)
    if (this.#alive.size === 0) process.exit(this.#exitCode)
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    // The workers drain within SHUTDOWN_GRACE_SECONDS and exit by themselves; this is the backstop.
    const grace = this.#config.SHUTDOWN_GRACE_SECONDS
    setTimeout(() => {
      say(`workers still running ${grace} s after ${signal}: killing them`)
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
      process.exit(this.#exitCode === 0 ? 1 : this.#exitCode)
    }, grace * 1000 + 2000).unref()
  }

  listening (worker: Worker): void {
    this.#listening.add(worker.id)
    const before = this.#diedBefore.get(worker.id)
    this.#stableTimers.set(worker.id, setTimeout(() => { if (this.#died === before) this.#deaths = 0 }, STABLE_MS).unref())
    if (this.#phase === 'starting' && this.#listening.size === this.#config.WORKERS) {
      this.#phase = 'running'
      clearTimeout(this.#startTimer)
    }
  }

  exited (worker: Worker, code: number | null, signal: string | null): void {
    const cause = this.#forget(worker, code, signal)
    if (this.#phase === 'stopping') {
      // A worker that could not drain in time (it exits 1) makes the whole stop a failure.
      if (code !== null && code > 0) this.#exitCode ||= 1
      if (this.#alive.size === 0) process.exit(this.#exitCode)
      return
    }
    if (this.#phase === 'starting') return this.stop(1, `cannot start: ${cause}`)
    this.#replace(cause)
  }

  #fork (): void {
    const worker = cluster.fork()
    this.#alive.add(worker.id)
    this.#diedBefore.set(worker.id, this.#died)
    worker.on('message', (message: { type?: unknown, line?: unknown }) => {
      if (message?.type === START_FAILED && typeof message.line === 'string') this.#causes.set(worker.id, message.line)
    })
  }

  /** Drops what was kept about a worker that exited; why it did, in one line. */
  #forget (worker: Worker, code: number | null, signal: string | null): string {
    this.#alive.delete(worker.id)
    clearTimeout(this.#stableTimers.get(worker.id))
    this.#stableTimers.delete(worker.id)
    this.#diedBefore.delete(worker.id)
    const wasListening = this.#listening.delete(worker.id)
    const cause = this.#causes.get(worker.id) ??
      `worker ${worker.process.pid} exited (${signal ?? `code ${code}`})${wasListening ? '' : ' before it was listening'}`
    this.#causes.delete(worker.id)
    return cause
  }

  /** A worker died while running: another is started after a back-off, unless this is a crash loop. */
  #replace (cause: string): void {
    this.#died++
    this.#deaths++
    if (this.#deaths >= CRASH_LIMIT) {
      return this.stop(1, `stopping: workers died ${this.#deaths} times without one staying up ${STABLE_MS / 1000} s (a crash loop); the last: ${cause}`)
    }
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.#deaths - 1))
    say(`${cause}; starting another in ${delay / 1000} s`)
    setTimeout(() => { if (this.#phase === 'running') this.#fork() }, delay)
  }
}

function say (line: string): void {
  console.error(`simple-chat: ${line}`)
}
