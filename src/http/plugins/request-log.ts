import fp from 'fastify-plugin'

/**
 * One log line per request (Fastify's default is two), with the request id, route, status and
 * time. Never headers or bodies: they carry passwords, tokens and message text.
 */
export default fp(async (app) => {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      user: (request.user as { userId?: string } | null)?.userId
    }, 'request')
  })
}, { name: 'request-log' })
