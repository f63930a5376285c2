import { once } from 'node:events'
import { rename, rm, writeFile } from 'node:fs/promises'
import { describe, expect, it, onTestFinished } from 'vitest'
import { until } from '../helpers/http-client.js'
import { prepareServers } from '../helpers/servers.js'

// A worker starting from source (tsx) on a loaded machine was seen to take 40 s; at a load average
// of 30 on 2 cores the whole test (eight worker starts) outlasted 5 minutes.
const STARTING_MS = 120_000

/** The pids of the workers that said they were listening, in the order they did. */
function listeningPids (logs: string[]): number[] {
  return logs.flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('Server listening at'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid)
}

describe('WORKERS=2: the primary keeps the server up, or ends it loudly', () => {
  it('replaces a worker that dies, then ends a crash loop with one line, non-zero', { timeout: 600_000 }, async () => {
    const servers = await prepareServers('supervisor', { WORKERS: '2' })
    const server = await servers.start()
    await until(() => listeningPids(server.logs).length === 2, STARTING_MS)
    const [first, second] = listeningPids(server.logs) as [number, number]

    // Killed from outside: replaced, and the server answers throughout.
    process.kill(first, 'SIGKILL')
    await until(() => listeningPids(server.logs).length === 3, STARTING_MS)
    const replacement = listeningPids(server.logs)[2] as number
    expect([first, second]).not.toContain(replacement)
    expect(server.logs.join('')).toContain(`simple-chat: worker ${first} exited (SIGKILL); starting another in 0.5 s`)
    for (let i = 0; i < 4; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200)

    // Now no worker can start (a file where the data folder was) and one dies: every replacement
    // fails, with growing pauses, until the primary gives up.
    await rename(servers.dataDir, `${servers.dataDir}-moved`)
    onTestFinished(() => rm(`${servers.dataDir}-moved`, { recursive: true, force: true }))
    await writeFile(servers.dataDir, 'not a folder')
    const exited = once(server.child, 'exit')
    process.kill(replacement, 'SIGKILL')
    const [code] = await exited as [number | null]
    expect(code).toBe(1)
    const said = server.logs.join('\n').split('\n').filter((line) => line.startsWith('simple-chat: '))
    expect(said.at(-1)).toBe(`simple-chat: stopping: workers died 5 times without one staying up 60 s (a crash loop); the last: cannot use ${servers.dataDir} (EEXIST): a file is in the way; DATA_DIR must be a folder this user can write`)
    // The pauses doubled with each death: 0.5 s for the first above, then 1, 2, 4 s (or, on a machine
    // so slow that the replacement was up a minute before it was killed, 0.5 s again, then 1, 2, 4 s).
    // Counted in deaths, not per minute: at a load average of 20 the failing workers took so long
    // to fail that deaths fell out of a minute's window (pauses 2, 4, 4, 4).
    const pauses = said.filter((line) => line.includes('; starting another in ')).map((line) => Number(/in ([\d.]+) s$/.exec(line)?.[1]))
    expect(pauses.slice(-4)).toEqual([0.5, 1, 2, 4])
    expect([4, 5]).toContain(pauses.length)
    // The remaining worker was stopped with the primary.
    expect(() => process.kill(second, 0)).toThrow()
  })
})
