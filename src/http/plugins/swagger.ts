import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

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
          'Error events of a streamed reply follow the same rule.'
      },
      components: {
        securitySchemes: {
          bearer: { type: 'oauth2', flows: { password: { tokenUrl: '/token', scopes: {} } } }
        }
      },
      tags: [
        { name: 'users', description: 'Accounts and tokens' },
        { name: 'chat', description: 'Talking to the AI' },
        { name: 'history', description: 'Your records and counts' },
        { name: 'health', description: 'Operations' }
      ]
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
