import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { errorResponses } from '../../schemas/common.js'
import { withoutUpgrade } from './security-headers.js'

/** The OpenAPI document (`/openapi.json`) built from the routes' schemas, and Swagger UI at `/docs`, served locally. */
export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Simple chat',
        version: '0.1.0',
        description: 'An AI chat backend: register, log in, chat with an LLM, read your history. Log in with the Authorize button (OAuth2 password flow).\n\n' +
          '**Languages.** Every error is `{"error", "detail"}`: `error` is a stable code, the same in every language; `detail` is a sentence ' +
          'for people, in Simplified Chinese when the request sends `Accept-Language: zh` (or `zh-CN`, `zh-Hans`, any `zh-…`, q-values weighed), ' +
          'in English otherwise. Such answers carry `Content-Language` (`zh-Hans` or `en`) and `Vary: Accept-Language`. ' +
          'Error events of a streamed reply follow the same rule.\n\n' +
          '**Errors below the routes** have the same shape: a request that is not valid HTTP or a URL that cannot be decoded (400), ' +
          'a request too slow to arrive (408), headers too large (431), a body too large (413) or of another type than the operation consumes (415), ' +
          'an unknown path (404 `not_found`) and a known path with another method (405 `method_not_allowed`, with `Allow`). ' +
          'A trailing slash is optional everywhere: `POST /user` is `POST /user/`.'
      },
      components: {
        securitySchemes: {
          bearer: { type: 'oauth2', flows: { password: { tokenUrl: '/token', scopes: {} } } }
        }
      },
      tags: [
        { name: 'users', description: 'Accounts and tokens' },
        { name: 'chat', description: 'Talking to the AI' },
        { name: 'conversations', description: 'Your conversations: each message and its reply belong to one' },
        { name: 'history', description: 'Your records and counts' },
        { name: 'health', description: 'Operations' }
      ]
    }
  })
  // Every documented operation can meet the errors raised below the routes; each lists them.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean, response?: Record<string, unknown> } | undefined
    if (schema?.response === undefined || schema.hide === true) return
    const methods = [route.method].flat()
    const withBody = methods.some((method) => method === 'POST' || method === 'PUT' || method === 'PATCH')
    schema.response = { ...errorResponses(400, 408, 431, ...(withBody ? [413, 415] : [])), ...schema.response }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: withoutUpgrade })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
