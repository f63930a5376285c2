import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.js'

/**
 * Node's own refusals, raised before any request exists (Fastify's `clientErrorHandler`): headers
 * too large (431), a request that is not HTTP (400), one too slow to arrive (408). Answered in the
 * contract's shape, in English (no headers were read), and the connection is closed, as Node does.
 */
export function answerClientError (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody to answer; a response already under way cannot be replaced.
  const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const error = err.code === 'HPE_HEADER_OVERFLOW'
    ? new AppError('headers_too_large')
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? new AppError('request_timeout') : new AppError('malformed_request')
  this.log.info({ code: error.code, cause: err.code }, 'refused a malformed request')
  if (socket.writable && !started) {
    const body = JSON.stringify(error.toBody())
    socket.write(`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}
