import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { startServerProcess, type ServerProcess } from './server-process.js'
import { startUpstream, type Upstream, type UpstreamOptions } from './upstream.js'

// Not in server-process.ts: bench/run.ts imports that outside vitest, where importing `vitest` throws.

export interface Servers {
  upstream: Upstream
  /** The processes' data dir and cwd. */
  dataDir: string
  /** Starts one more server process on the shared upstream, data dir and environment (plus `env`). */
  start (env?: Record<string, string>): Promise<ServerProcess>
}

/**
 * For the running test: an upstream and a temp data dir (`simple-chat-<name>-…`) for real server
 * processes, each started by `start()` with `env` on top of DATA_DIR, LLM_BASE_URL and LLM_API_KEY.
 * When the test finishes, the processes are stopped, the data dir removed and the upstream closed.
 */
export async function prepareServers (name: string, env: Record<string, string> = {}, upstreamOptions: UpstreamOptions = {}): Promise<Servers> {
  const upstream = await startUpstream(upstreamOptions)
  onTestFinished(() => upstream.close())
  const dataDir = await mkdtemp(join(tmpdir(), `simple-chat-${name}-`))
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }))
  const full = { DATA_DIR: dataDir, LLM_BASE_URL: upstream.url, LLM_API_KEY: 'sk-test', ...env }
  return {
    upstream,
    dataDir,
    async start (more = {}) {
      const server = await startServerProcess({ ...full, ...more }, dataDir)
      onTestFinished(() => server.stop())
      return server
    }
  }
}
