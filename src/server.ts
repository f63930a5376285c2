import cluster from 'node:cluster'
import { loadConfig, wantsStacks } from './config.js'
import { describeStartupError } from './process/startup-error.js'
import { START_FAILED } from './process/supervisor.js'

/**
 * Entry point: configuration → app → listen. With WORKERS=n the primary forks n processes sharing
 * the port (node:cluster) and supervises them; the limits stay exact because admission is a
 * database transaction, not process memory. A server that cannot start says why in one line and
 * exits 1 (the stack too at LOG_LEVEL=debug).
 */
async function main (): Promise<void> {
  const config = loadConfig()
  // Imported once needed: a bad setting is reported before the app's modules load, and the primary
  // of WORKERS never loads them.
  if (config.WORKERS > 1 && cluster.isPrimary) (await import('./process/supervisor.js')).supervise(config)
  else await (await import('./process/serve.js')).serve(config)
}

main().catch((err: unknown) => {
  const line = describeStartupError(err)
  if (wantsStacks()) console.error(err)
  // A worker's primary prints the line once, for all of them, and ends the server.
  if (cluster.isWorker && process.send !== undefined) {
    process.send({ type: START_FAILED, line }, () => process.exit(1))
    return
  }
  console.error(`simple-chat: cannot start: ${line}`)
  process.exit(1)
})
