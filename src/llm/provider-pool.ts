import type { TLSSocket } from 'node:tls'
import { Client, Pool, buildConnector, type Dispatcher } from 'undici'

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

/**
 * The connections to one provider origin, enough for `maxConcurrent` replies at once. Over HTTP/1.1
 * that is one connection per reply. Where the provider negotiates HTTP/2, a connection carries up
 * to 100 replies. undici's pipelining factor is 1 for every connection unless told otherwise, and a
 * higher one would pipeline HTTP/1.1 too (each reply waiting for the one before), so it is set per
 * connection from what ALPN said. A connection still connecting counts as busy in undici, so a
 * burst that outruns the open connections opens one per request until a handshake completes; those
 * stay open and take 100 each from then on. undici also keeps a non-idempotent request (a POST)
 * alone on an HTTP/2 connection, because it could not be retried; nothing here is retried, so every
 * request is marked idempotent.
 */
export function createProviderPool (origin: string, options: ProviderPoolOptions): Dispatcher {
  const allowH2 = options.http2 && origin.startsWith('https:')
  const connector = buildConnector({ allowH2 })
  const pool = new Pool(origin, {
    connections: options.maxConcurrent + SPARE_CONNECTIONS,
    allowH2,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    factory: (url, clientOptions) => {
      const client: Client = new Client(url, {
        ...clientOptions,
        connect: (connectOptions, callback) => connector(connectOptions, (...result) => {
          const socket = result[1]
          if (socket !== null) client.pipelining = (socket as TLSSocket).alpnProtocol === 'h2' ? STREAMS_PER_H2_CONNECTION : 1
          callback(...result)
        })
      })
      return client
    }
  })
  return pool.compose((dispatch) => (request, handler) => dispatch({ ...request, idempotent: true }, handler))
}
