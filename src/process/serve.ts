import cluster from 'node:cluster'
import closeWithGrace from 'close-with-grace'
import { buildApp, type AppDeps } from '../app.js'
import type { Config } from '../config.js'
import { joinClusterMetrics } from '../metrics/cluster.js'
import { createMetrics } from '../metrics/metrics.js'

/**
 * One server process (the only one, or a worker): builds the app and listens, then closes
 * gracefully on SIGINT/SIGTERM within SHUTDOWN_GRACE_SECONDS (the app stops the chats still open
 * a second before). Throws what stopped it from starting.
 */
export async function serve (config: Config, deps: AppDeps = {}): Promise<void> {
  const metrics = createMetrics({ processMetrics: config.METRICS_TOKEN !== undefined })
  if (cluster.isWorker) joinClusterMetrics(metrics)
  const app = await buildApp(config, { metrics, ...deps })
  // A failure here ends the process (server.ts), which closes what the app opened.
  await app.listen({ host: config.HOST, port: config.PORT })
  closeWithGrace({
    delay: config.SHUTDOWN_GRACE_SECONDS * 1000,
    logger: false,
    onTimeout: (delay) => app.log.error(`still closing after ${delay} ms: exiting`),
    // A worker gets SIGINT twice from a terminal's Ctrl-C (its group, then its primary): the second
    // must not cut the drain short. Alone, a second signal exits at once.
    onSecondSignal: (signal) => {
      if (cluster.isWorker) return
      app.log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
  }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
}
