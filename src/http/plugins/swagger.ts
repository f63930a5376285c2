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
        description: 'An AI chat backend: register, log in, chat with an LLM, read your history. Log in with the Authorize button (OAuth2 password flow).'
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
