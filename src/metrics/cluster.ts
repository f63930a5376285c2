import cluster from 'node:cluster'
import { AggregatorRegistry } from 'prom-client'
import type { Metrics } from './metrics.js'

// With WORKERS, a scrape reaches one worker; it asks the primary, which gathers every worker's
// metrics with prom-client's aggregator (over the cluster's IPC channel) and sums them.
const REQUEST = 'simple-chat:metrics-request'
const REPLY = 'simple-chat:metrics-reply'
// prom-client gives up on a worker after 5 s.
const REPLY_TIMEOUT_MS = 10_000

interface Message { type?: unknown, id?: unknown, text?: unknown, error?: unknown }

/** In the primary: answers each worker's request with the whole server's metrics. */
export function serveClusterMetrics (): void {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker, message: Message) => {
    if (message?.type !== REQUEST) return
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: REPLY, id: message.id, text }),
      (err: Error) => worker.send({ type: REPLY, id: message.id, error: err.message }))
  })
}

/** In a worker: its registry joins the aggregation, and its `/metrics` text comes from the primary. */
export function joinClusterMetrics (metrics: Metrics): void {
  // Constructing one makes prom-client answer the primary's requests in this process.
  // eslint-disable-next-line no-new
  new AggregatorRegistry()
  AggregatorRegistry.setRegistries([metrics.registry])
  const pending = new Map<number, (reply: Message) => void>()
  let next = 0
  process.on('message', (message: Message) => {
    if (message?.type === REPLY && typeof message.id === 'number') pending.get(message.id)?.(message)
  })
  metrics.text = async () => await new Promise<string>((resolve, reject) => {
    const id = next++
    const timer = setTimeout(() => settle({ error: 'the primary did not answer' }), REPLY_TIMEOUT_MS)
    const settle = (reply: Message): void => {
      clearTimeout(timer)
      pending.delete(id)
      if (typeof reply.text === 'string') resolve(reply.text)
      else reject(new Error(`cluster metrics: ${String(reply.error)}`))
    }
    pending.set(id, settle)
    process.send?.({ type: REQUEST, id })
  })
}
