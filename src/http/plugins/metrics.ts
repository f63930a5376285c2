import { createHash, timingSafeEqual } from 'node:crypto'
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import { AppError, sentence } from '../../errors.js'
import type { Metrics } from '../../metrics/metrics.js'
import { errorResponses } from '../../schemas/common.js'

/**
 * Every request into `http_request_duration_seconds`, and `GET /metrics`: Prometheus text for a
 * request bearing METRICS_TOKEN, and 404 for any other (unset token included), as if it were not there.
 */
const metricsPlugin: FastifyPluginAsyncTypebox<{ metrics: Metrics, token: string | undefined }> = async (app, { metrics, token }) => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode)
    }, reply.elapsedTime / 1000)
  })

  const expected = token === undefined ? undefined : digest(`Bearer ${token}`)
  app.get('/metrics', {
    schema: {
      tags: ['health'],
      summary: 'Prometheus metrics',
      description: 'Served only when METRICS_TOKEN is set, to `Authorization: Bearer <METRICS_TOKEN>`; 404 otherwise. With WORKERS, the whole server.',
      security: [{ bearer: [] }],
      response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: Type.String() } } }, ...errorResponses(404) }
    }
  }, async (request, reply) => {
    const given = request.headers.authorization
    // Compared as digests, in constant time: the token's length and prefix stay unknown.
    if (expected === undefined || given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new AppError('not_found', { detail: sentence('not_found_at', { method: request.method, path: '/metrics' }) })
    }
    reply.header('content-type', metrics.registry.contentType)
    return await metrics.text()
  })
}

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

export default fp(metricsPlugin, { name: 'metrics' })
