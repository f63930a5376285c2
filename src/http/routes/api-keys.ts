import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { newApiKey } from '../../auth/api-keys.js'
import { AppError, sentence } from '../../errors.js'
import { ApiKeyParamsSchema, ApiKeySchema, NewApiKeyBodySchema, NewApiKeySchema } from '../../schemas/api-keys.js'
import { errorResponses } from '../../schemas/common.js'
import type { Store } from '../../domain/store.js'
import type { ApiKey } from '../../domain/users.js'

export interface ApiKeyRoutesOptions { store: Store, clock: () => number }

/**
 * Personal API keys, for clients that keep a static key (OpenAI SDKs, Open WebUI). Managed only
 * with an access token: a leaked key cannot make more keys, or hide by revoking the others.
 */
const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyRoutesOptions> = async (app, { store, clock }) => {
  const requireToken = async (request: FastifyRequest): Promise<void> => {
    if (request.credential !== 'token') throw new AppError('forbidden', { detail: sentence('api_keys_need_token') })
  }
  const common = { tags: ['api keys'], security: [{ bearer: [] }] }

  app.post('/user/api-keys', {
    schema: {
      ...common,
      summary: 'Create an API key',
      description: 'The key is in this answer only; the server keeps only its SHA-256. It works wherever an access token does, until revoked or the account is deleted; a password change leaves it working.',
      body: NewApiKeyBodySchema,
      response: { 201: NewApiKeySchema, ...errorResponses(400, 401, 403, 413, 415, 422) }
    },
    preValidation: [app.authenticate, requireToken]
  }, async (request, reply) => {
    const name = request.body.name.trim()
    if (name === '' || !name.isWellFormed()) throw new AppError('validation_error', { detail: sentence('invalid_request', { reason: 'the name is empty or not well-formed Unicode' }) })
    const { key, hash } = newApiKey()
    const stored = await store.createApiKey(request.user.userId, name, hash, clock())
    if (stored === null) throw new AppError('invalid_token')
    request.log.info({ userId: request.user.userId, apiKeyId: stored.id }, 'api key created')
    return await reply.code(201).send({ ...toBody(stored), key })
  })

  app.get('/user/api-keys', {
    schema: { ...common, summary: 'List your API keys', description: 'Newest first, without the keys.', response: { 200: Type.Array(ApiKeySchema), ...errorResponses(401, 403) } },
    preValidation: [app.authenticate, requireToken]
  }, async (request) => (await store.listApiKeys(request.user.userId)).map(toBody))

  app.delete('/user/api-keys/:id', {
    schema: {
      ...common,
      summary: 'Revoke an API key',
      description: 'The key stops working at once.',
      params: ApiKeyParamsSchema,
      response: { 204: { type: 'null', description: 'Revoked.' }, ...errorResponses(401, 403, 404, 422) }
    },
    preValidation: [app.authenticate, requireToken]
  }, async (request, reply) => {
    if (!await store.deleteApiKey(request.user.userId, request.params.id)) throw new AppError('api_key_not_found')
    request.log.info({ userId: request.user.userId, apiKeyId: request.params.id }, 'api key revoked')
    return await reply.code(204).send(null)
  })
}

function toBody (key: ApiKey): { id: string, name: string, created_at: string } {
  return { id: key.id, name: key.name, created_at: new Date(key.createdAt).toISOString() }
}

export default apiKeyRoutes
