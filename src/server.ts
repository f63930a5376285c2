import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

/** Entry point: configuration → app → listen; closes gracefully on SIGINT/SIGTERM. */
async function main (): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  await app.listen({ host: config.HOST, port: config.PORT })
}

main().catch((err: unknown) => {
  // Configuration mistakes get one readable line, not a stack.
  console.error(err instanceof ConfigError ? `simple-chat: ${err.message}` : err)
  process.exitCode = 1
})
