import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponses } from '../../schemas/common.js'
import type { Store } from '../../domain/store.js'

const healthRoutes: FastifyPluginAsyncTypebox<{ store: Store, llmConfigured: boolean }> = async (app, { store, llmConfigured }) => {
  app.get('/healthz', {
    schema: {
      tags: ['health'],
      summary: 'Liveness',
      description: 'The process answers; the database is not asked (see /readyz).',
      response: { 200: Type.Object({ status: Type.Literal('ok'), storage: Type.String(), llm_configured: Type.Boolean() }) }
    }
  }, async () => ({ status: 'ok' as const, storage: store.kind, llm_configured: llmConfigured }))

  app.get('/readyz', {
    schema: {
      tags: ['health'],
      summary: 'Readiness',
      description: 'Ready for traffic: the database answers. 503 `storage_unavailable` when it does not.',
      response: { 200: Type.Object({ status: Type.Literal('ready'), storage: Type.String() }), ...errorResponses(503) }
    }
  }, async () => {
    await store.ping()
    return { status: 'ready' as const, storage: store.kind }
  })
}

export default healthRoutes
