import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { prepareServers } from '../helpers/servers.js'
import { post, signUp } from '../helpers/http-client.js'

describe('kill -9 under write load', () => {
  it('keeps every message that got a 200, with nothing half-written, after a restart', async () => {
    const { dataDir, start } = await prepareServers('crash', { DAILY_MESSAGE_LIMIT: '100000', BURST_MESSAGE_LIMIT: '100000' })
    const server = await start()
    onTestFinished(() => server.stop('SIGKILL')) // killed, not stopped, should the test end early

    const users = ['user1', 'user2', 'user3', 'user4']
    const tokens: string[] = []
    for (const username of users) tokens.push(await signUp(server.url, username))

    // Four writers in a loop; SIGKILL lands while they are mid-request, once ENOUGH were
    // acknowledged (counted, not timed: a loaded machine answers fewer per second).
    const ENOUGH = 40
    const acknowledged = new Map<string, string[]>(users.map((u) => [u, []]))
    let count = 0
    let reached = (): void => {}
    const enough = new Promise<void>((resolve) => { reached = resolve })
    const stop = new AbortController()
    const writers = users.map(async (username, i) => {
      for (let n = 0; !stop.signal.aborted; n++) {
        const text = `${username} message ${n}`
        try {
          const res = await post(server.url, '/llm/message', { message: text }, tokens[i])
          if (res.status === 200) {
            acknowledged.get(username)?.push(text)
            if (++count === ENOUGH) reached()
          }
        } catch {
          return // the server is gone
        }
      }
    })
    await enough
    server.child.kill('SIGKILL')
    stop.abort()
    await Promise.all(writers)
    const total = [...acknowledged.values()].reduce((n, list) => n + list.length, 0)
    expect(total).toBeGreaterThanOrEqual(ENOUGH)

    // The database is consistent on its own: integrity check, no answer without its question.
    const db = new Sqlite(join(dataDir, 'simple-chat.db'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const orphans = db.prepare(`SELECT count(*) FROM messages a WHERE a.role = 'ai' AND NOT EXISTS
      (SELECT 1 FROM messages u WHERE u.user_id = a.user_id AND u.role = 'user' AND u.status = 'answered' AND u.id < a.id)`).pluck().get()
    expect(orphans).toBe(0)
    const answered = db.prepare("SELECT count(*) FROM messages WHERE role = 'user' AND status = 'answered'").pluck().get() as number
    const replies = db.prepare("SELECT count(*) FROM messages WHERE role = 'ai'").pluck().get() as number
    expect(replies).toBe(answered)
    db.close()

    // Restarted on the same data, every acknowledged message is in its user's history.
    const again = await start()
    for (const [i, username] of users.entries()) {
      const res = await fetch(`${again.url}/user/history/1000`, { headers: { authorization: `Bearer ${tokens[i]}` } })
      const texts = new Set((await res.json() as Array<{ type: string, text: string }>).filter((r) => r.type === 'user').map((r) => r.text))
      for (const text of acknowledged.get(username) ?? []) expect(texts.has(text), text).toBe(true)
      const status = await fetch(`${again.url}/user/status`, { headers: { authorization: `Bearer ${tokens[i]}` } })
      expect(((await status.json()) as { chat_cnt: number }).chat_cnt).toBeGreaterThanOrEqual(acknowledged.get(username)?.length ?? 0)
    }
  })
})
