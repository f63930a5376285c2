import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { redactUrl } from '../redact-url.js'

/**
 * One log line per request (Fastify's default is two), with the request id, route, status and
 * time. Never headers or bodies: they carry passwords, tokens and message text; nor a secret in the
 * query string. A client that leaves before the answer is done gets its line too, at `info`, with
 * status 499 (nginx's "client closed request"): leaving is the client's choice, not a fault.
 */
export default fp(async (app) => {
  const logged = new WeakSet<FastifyRequest>()
  const line = (request: FastifyRequest, status: number, reply: FastifyReply): void => {
    if (logged.has(request)) return
    logged.add(request)
    request.log.info({
      method: request.method,
      url: redactUrl(request.url),
      route: request.routeOptions.url,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      user: (request.user as { userId?: string } | null)?.userId
    }, 'request')
  }
  // Fastify's onResponse waits for 'finish', which a connection closed early never emits.
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) line(request, 499, reply) })
    done()
  })
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.addHook('onResponse', async (request, reply) => { line(request, reply.statusCode, reply) })
}, { name: 'request-log' })
