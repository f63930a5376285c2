import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Locale } from 'typebox/system'
import { AppError, sentence, type ErrorCode } from '../errors.js'
import { trackAllowedMethods } from './allowed-methods.js'
import { languageOf, speak } from './language.js'

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
    logError(request.log, error, err)
    return send(reply, error)
  })

  const allowedAt = trackAllowedMethods(app)
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const allowed = allowedAt(path)
    if (allowed.length > 0) {
      return send(reply, new AppError('method_not_allowed', {
        detail: sentence('method_not_allowed_at', { method: request.method, path, allowed: allowed.join(', ') }),
        headers: { allow: allowed.join(', ') }
      }))
    }
    return send(reply, new AppError('not_found', { detail: sentence('not_found_at', { method: request.method, path }) }))
  })
}

/** Fastify's `frameworkErrors`: a URL it cannot decode answers like every other error, not in Fastify's shape. */
export function answerFrameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error = toAppError(err)
  logError(request.log, error, err)
  send(reply, error)
}

/** The error's body in the request's language (`Accept-Language`). */
function send (reply: FastifyReply, error: AppError): FastifyReply {
  const language = languageOf(reply.request)
  return speak(reply.code(error.status).headers(error.headers), language).send(error.toBody(language))
}

/** 5xx are errors with their stack; provider and storage trouble are warnings; the rest is the client's. */
export function logError (log: FastifyBaseLogger, error: AppError, cause: unknown): void {
  if (error.status >= 500 && error.code !== 'storage_unavailable' && error.code !== 'shutting_down' && !error.code.startsWith('llm_')) {
    log.error({ err: cause, code: error.code }, 'request failed')
  } else if (error.status >= 500 && error.code !== 'shutting_down') {
    log.warn({ code: error.code, cause: ((cause as Error).cause as Error | undefined)?.message }, 'upstream failed')
  } else if (error.code === 'client_closed_request') {
    log.info({ code: error.code }, 'client went away')
  } else if (error.code === 'shutting_down') {
    log.info({ code: error.code }, 'stopped by the shutdown')
  }
}

/** Any thrown value as one of our errors; what is not a known client error is a 500. */
export function toAppError (err: unknown): AppError {
  if (err instanceof AppError) return err
  const e = (err ?? {}) as Partial<FastifyError>
  if (e.validation !== undefined) {
    return new AppError('validation_error', { detail: { en: sentence('invalid_request', { reason: e.message ?? '' }).en, zh: sentence('invalid_request', { reason: validationInChinese(e) }).zh } })
  }
  const code = e.code === undefined ? undefined : FASTIFY_CODES[e.code]
  if (code !== undefined) return new AppError(code, { detail: code === 'bad_request' ? sentence('request_unreadable', { reason: e.message ?? '' }) : undefined })
  // Any other client error Fastify raised keeps its status, with a generic code.
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('bad_request', { status: e.statusCode, detail: e.message })
  }
  return new AppError('internal_error', { cause: err })
}

/** Fastify's validation message ("body/message must be string, …") with TypeBox's Chinese wording. */
function validationInChinese (e: Partial<FastifyError>): string {
  return (e.validation ?? []).map((v) => {
    const where = `${e.validationContext ?? ''}${v.instancePath}`
    return `${where} ${Locale.zh_Hans(v as unknown as Parameters<typeof Locale.zh_Hans>[0])}`.trim()
  }).join('，')
}
