import { setMaxListeners } from 'node:events'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.js'

// How often, while closing, connections that a finished reply left idle are closed.
const IDLE_SWEEP_MS = 100

/**
 * The shutdown drain, from `app.close()` (SIGTERM) on: no new connections; requests in flight may
 * finish; keep-alive connections are closed as soon as their reply is done (Node closes only those
 * idle at the moment of close, and a keep-alive client would hold the server open); a second before
 * `graceSeconds` runs out, the returned signal aborts with 503 `shutting_down`, which stops the chats
 * still open (their streams get an error event and what arrived is stored).
 */
export function installDrain (app: FastifyInstance, graceSeconds: number): AbortSignal {
  const stopping = new AbortController()
  // Every chat in flight listens to it (and stops listening when done): thousands at once are normal.
  setMaxListeners(0, stopping.signal)
  let stopTimer: NodeJS.Timeout | undefined
  let sweeper: NodeJS.Timeout | undefined
  app.addHook('preClose', async () => {
    const graceMs = graceSeconds * 1000
    stopTimer = setTimeout(() => stopping.abort(new AppError('shutting_down')), Math.max(graceMs - 1000, graceMs / 2))
    sweeper = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS)
  })
  app.addHook('onClose', async () => {
    clearTimeout(stopTimer)
    clearInterval(sweeper)
  })
  return stopping.signal
}
