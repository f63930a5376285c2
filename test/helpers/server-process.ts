import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// tsx's ESM loader by absolute URL: the child runs in a temp cwd, where `--import tsx` would not resolve.
const TSX_DIR = join(ROOT, 'node_modules', 'tsx')
export const TSX = pathToFileURL(join(TSX_DIR, JSON.parse(readFileSync(join(TSX_DIR, 'package.json'), 'utf8')).exports['.'])).href
/** Where test/global-setup.ts compiled `src/` for this run; unset outside vitest (the benchmarks). */
export const SERVER_BUILD_ENV = 'SIMPLE_CHAT_TEST_BUILD'

/**
 * `node` arguments that run `src/<name>.ts`: the run's compiled copy when there is one, else the
 * source through tsx.
 */
export function entryPoint (name: string): string[] {
  const build = process.env[SERVER_BUILD_ENV]
  return build === undefined ? ['--import', TSX, join(ROOT, 'src', `${name}.ts`)] : [join(build, `${name}.js`)]
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Every log line it printed. */
  logs: string[]
  stop (signal?: NodeJS.Signals): Promise<void>
}

/**
 * The real server entry point (`src/server.ts`) in its own process, on a free port of 127.0.0.1,
 * with only the given environment (no local `.env`: its cwd is `cwd`).
 */
export async function startServerProcess (env: Record<string, string>, cwd: string): Promise<ServerProcess> {
  const child = spawnServer(env, cwd)
  const logs: string[] = []
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      logs.push(line)
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
      if (match !== null) resolve(match[1] as string)
    })
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${logs.join('\n')}`)))
  })
  return {
    url,
    child,
    logs,
    async stop (signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      await once(child, 'exit')
    }
  }
}

function spawnServer (env: Record<string, string>, cwd: string): ChildProcess {
  return spawn(process.execPath, entryPoint('server'), {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

export interface ServerExit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs the server entry point as `startServerProcess` does, until it exits by itself. */
export async function runServerUntilExit (env: Record<string, string>, cwd: string): Promise<ServerExit> {
  const child = spawnServer(env, cwd)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const [code, signal] = await once(child, 'close') as [number | null, NodeJS.Signals | null]
  return { code, signal, stdout, stderr }
}
