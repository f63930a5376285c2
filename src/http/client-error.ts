import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.js'

/**
 * After a refusal, what the client is still sending is read and dropped (a "lingering close", as
 * nginx and Go's net/http do) up to these bounds, then the connection is cut. Closing a socket with
 * unread input makes the kernel reset it, and a reset can reach the client before it has read the
 * answer: headers of 64 KiB and more did that on Node 26 (Node's own 431 too).
 */
const LINGER_MS = 10_000
const LINGER_BYTES = 1024 * 1024

/** Sockets already answered: a failed parser reports every later chunk of input again. */
const answered = new WeakSet<Duplex>()

/**
 * Node's own refusals, raised before any request exists (Fastify's `clientErrorHandler`): headers
 * too large (431), a request that is not HTTP (400), one too slow to arrive (408). Answered in the
 * contract's shape, in English (no headers were read), and the connection is closed, as Node does.
 */
export function answerClientError (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (answered.has(socket)) {
    if (((socket as { bytesRead?: number }).bytesRead ?? 0) > LINGER_BYTES) socket.destroy()
    return
  }
  // A reset connection has nobody to answer; a response already under way cannot be replaced.
  const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const error = err.code === 'HPE_HEADER_OVERFLOW'
    ? new AppError('headers_too_large')
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? new AppError('request_timeout') : new AppError('malformed_request')
  this.log.info({ code: error.code, cause: err.code }, 'refused a malformed request')
  // Only a failed parser drops later input; after a timeout it would read it as a new request.
  if (!socket.writable || started || err.code?.startsWith('HPE_') !== true) {
    if (socket.writable && !started) socket.write(answer(error))
    socket.destroy()
    return
  }
  answered.add(socket)
  socket.end(answer(error))
  const timer = setTimeout(() => socket.destroy(), LINGER_MS)
  socket.once('close', () => clearTimeout(timer))
}

function answer (error: AppError): string {
  const body = JSON.stringify(error.toBody())
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
    'content-type: application/json; charset=utf-8\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
}
