import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

const healthRoutes: FastifyPluginAsyncTypebox<{ storage: string, llmConfigured: boolean }> = async (app, { storage, llmConfigured }) => {
  app.get('/healthz', {
    schema: {
      tags: ['health'],
      summary: 'Liveness',
      response: { 200: Type.Object({ status: Type.Literal('ok'), storage: Type.String(), llm_configured: Type.Boolean() }) }
    }
  }, async () => ({ status: 'ok' as const, storage, llm_configured: llmConfigured }))
}

export default healthRoutes
