import { execFile } from 'node:child_process'
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SERVER_BUILD_ENV } from './helpers/server-process.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * Compiles `src/` once per run, so the tests' server processes start from JavaScript: from source
 * (tsx) every start, and every cluster worker, paid the loader again (1.75 times as long to listen,
 * 11 s instead of 6 s at a load average of 17). Not `dist/`: that is the operator's build. The
 * output sits beside links to `src/`, `node_modules/` and `package.json`, at the depth `dist/`
 * has, so paths relative to a module (the page's files under `src/web/`) and packages resolve as
 * in production. Types are checked by `npm run typecheck`, not here (`--noCheck`: 4 s, not 10).
 */
export async function setup (): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'simple-chat-build-'))
  for (const name of ['src', 'node_modules', 'package.json']) await symlink(join(ROOT, name), join(dir, name))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--sourceMap', 'false', '--outDir', join(dir, 'dist')], { cwd: ROOT })
  process.env[SERVER_BUILD_ENV] = join(dir, 'dist')
  return async () => { await rm(dir, { recursive: true, force: true }) }
}
