import cluster from 'node:cluster'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'

/**
 * Entry point: configuration → app → listen; closes gracefully on SIGINT/SIGTERM. With WORKERS=n
 * the primary forks n processes sharing the port (node:cluster); the limits stay exact because
 * admission is a database transaction, not process memory.
 */
async function main (): Promise<void> {
  const config = loadConfig()
  if (config.WORKERS > 1 && cluster.isPrimary) return supervise(config)
  const app = await buildApp(config)
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  await app.listen({ host: config.HOST, port: config.PORT })
}

/** Forks the workers, replaces one that dies unexpectedly, and passes SIGINT/SIGTERM on. */
function supervise (config: Config): void {
  let stopping = false
  for (let i = 0; i < config.WORKERS; i++) cluster.fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    console.error(`simple-chat: worker ${worker.process.pid} exited (${signal ?? code}); starting another`)
    cluster.fork()
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal)
    })
  }
}

main().catch((err: unknown) => {
  // Configuration mistakes get one readable line, not a stack.
  console.error(err instanceof ConfigError ? `simple-chat: ${err.message}` : err)
  process.exitCode = 1
})
