import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { AppError, type ErrorCode } from '../errors.js'

// Fastify's own client errors, by code, mapped to ours.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request'
}

/** Turns every error into the SPEC's `{"error", "detail"}` body; 5xx are logged, never explained. */
export function installErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const error = toAppError(err)
    if (error.status >= 500) {
      request.log.error({ err, code: error.code }, 'request failed')
    } else if (error.code === 'storage_unavailable' || error.code.startsWith('llm_')) {
      request.log.warn({ code: error.code, cause: (err.cause as Error | undefined)?.message }, 'upstream failed')
    }
    return send(reply, error)
  })

  app.setNotFoundHandler((request, reply) => send(reply, new AppError('not_found', {
    detail: `There is nothing at ${request.method} ${request.url.split('?')[0]}; see /docs.`
  })))
}

export function send (reply: FastifyReply, error: AppError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.toBody())
}

function toAppError (err: FastifyError): AppError {
  if (err instanceof AppError) return err
  if (err.validation !== undefined) {
    return new AppError('validation_error', { detail: `Invalid request: ${err.message}.` })
  }
  const code = FASTIFY_CODES[err.code]
  if (code !== undefined) return new AppError(code, { detail: code === 'bad_request' ? `${err.message}.` : undefined })
  // Any other client error Fastify raised keeps its status, with a generic code.
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('bad_request', { status: err.statusCode, detail: err.message })
  }
  return new AppError('internal_error', { cause: err })
}
