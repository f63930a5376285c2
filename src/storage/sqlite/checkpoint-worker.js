// The checkpointer's thread (checkpointer.ts): plain JavaScript, so that it runs as it is under
// tsx, vitest and the compiled server alike (a TypeScript file would need a loader in the thread).
// Reached from the source tree, as the page is; the Docker image copies it beside src/web.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.file)
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {} // busy or failing: the connection's own automatic checkpoint is the backstop
}, workerData.intervalMs)

parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
