import type { TLSSocket } from 'node:tls'
import { Client, Dispatcher, buildConnector } from 'undici'

export interface ProviderPoolOptions {
  /** Replies in flight at once (LLM_MAX_CONCURRENT): the pool never makes one of them wait. */
  maxConcurrent: number
  /** Offer HTTP/2 (ALPN) when the origin is https. */
  http2: boolean
  timeoutMs: number
}

// RFC 9113 §6.5.2 asks servers to allow at least 100 concurrent streams; undici assumes 100 too.
// A connection is given no more, so none waits unseen for a stream inside the HTTP/2 session.
const STREAMS_PER_H2_CONNECTION = 100
// The model-list lookups are not counted in LLM_MAX_CONCURRENT: a few connections more for them.
const SPARE_CONNECTIONS = 8

export function createProviderPool (origin: string, options: ProviderPoolOptions): Dispatcher {
  return new ProviderPool(origin, options)
}

/**
 * The connections to one provider origin, enough for `maxConcurrent` replies at once: one per reply
 * over HTTP/1.1, up to 100 replies each where the provider negotiates HTTP/2 (ALPN).
 *
 * Written here rather than undici's `Pool` because of three things measured with `Pool`: its
 * connections run one request at a time (pipelining 1) unless told otherwise, and a higher factor
 * would pipeline HTTP/1.1 too, each reply waiting for the one before, so the factor has to follow
 * each connection's ALPN; undici keeps a non-idempotent request (a POST) alone on an HTTP/2
 * connection, because it could not be retried (nothing here is retried: every request is marked
 * idempotent); and `Pool` counts a connection still in its handshake as full, so a burst opened
 * one connection per request (642 for 2,000 streams). Here, once the origin has been seen to speak
 * h2, a new connection takes 100 requests while it connects. Each connection is still undici's
 * `Client`; only the choice of connection is ours.
 */
class ProviderPool extends Dispatcher {
  readonly #origin: string
  readonly #max: number
  readonly #timeoutMs: number
  readonly #connector: buildConnector.connector
  readonly #clients: Client[] = []
  /** Requests each connection takes at once, from its ALPN; absent until it has connected. */
  readonly #room = new WeakMap<Client, number>()
  #speaksH2 = false

  constructor (origin: string, options: ProviderPoolOptions) {
    super()
    this.#origin = origin
    this.#max = options.maxConcurrent + SPARE_CONNECTIONS
    this.#timeoutMs = options.timeoutMs
    this.#connector = buildConnector({ allowH2: options.http2 && origin.startsWith('https:') })
  }

  override dispatch (request: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const client = this.#clients.find((c) => c.stats.size < this.#roomOf(c)) ?? this.#open() ?? this.#leastBusy()
    return client.dispatch({ ...request, idempotent: true }, handler)
  }

  #roomOf (client: Client): number {
    return this.#room.get(client) ?? (this.#speaksH2 ? STREAMS_PER_H2_CONNECTION : 1)
  }

  #open (): Client | undefined {
    if (this.#clients.length >= this.#max) return undefined
    const client: Client = new Client(this.#origin, {
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
      pipelining: this.#speaksH2 ? STREAMS_PER_H2_CONNECTION : 1,
      connect: (options, callback) => this.#connector(options, (...result) => {
        const socket = result[1]
        if (socket !== null) {
          this.#speaksH2 = (socket as TLSSocket).alpnProtocol === 'h2'
          const room = this.#speaksH2 ? STREAMS_PER_H2_CONNECTION : 1
          this.#room.set(client, room)
          client.pipelining = room
        }
        callback(...result)
      })
    })
    this.#clients.push(client)
    return client
  }

  /** Past the last connection (the spare ones too): the one with the fewest requests waits. */
  #leastBusy (): Client {
    return this.#clients.reduce((a, b) => (b.stats.size < a.stats.size ? b : a))
  }

  override close (): Promise<void>
  override close (callback: () => void): void
  override close (callback?: () => void): Promise<void> | undefined {
    const closed = Promise.all(this.#clients.map(async (c) => await c.close())).then(() => {})
    if (callback === undefined) return closed
    closed.then(callback, callback)
  }

  override destroy (err: Error | null, callback: () => void): void
  override destroy (callback: () => void): void
  override destroy (err?: Error | null): Promise<void>
  override destroy (errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | undefined {
    const err = typeof errOrCallback === 'function' ? null : errOrCallback ?? null
    const done = typeof errOrCallback === 'function' ? errOrCallback : callback
    const destroyed = Promise.all(this.#clients.map(async (c) => await c.destroy(err))).then(() => {})
    if (done === undefined) return destroyed
    destroyed.then(done, done)
  }
}
