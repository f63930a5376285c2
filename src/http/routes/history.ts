import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { QuotaPolicy } from '../../limits/quota.js'
import { errorResponses } from '../../schemas/common.js'
import { HistoryParamsSchema, HistorySchema, StatusSchema, type HistoryRecord } from '../../schemas/chat.js'
import type { Store } from '../../domain/store.js'

export interface HistoryRoutesOptions { store: Store, quota: QuotaPolicy, clock: () => number }

const historyRoutes: FastifyPluginAsyncTypebox<HistoryRoutesOptions> = async (app, { store, quota, clock }) => {
  app.get('/user/history/:last_n', {
    schema: {
      tags: ['history'],
      summary: 'Your latest chat records',
      description: 'Your own last `last_n` records, oldest first: each question and each answer is one record. Texts are the originals, as typed.',
      security: [{ bearer: [] }],
      params: HistoryParamsSchema,
      response: { 200: HistorySchema, ...errorResponses(401, 422) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    const records = await store.history(request.user.userId, request.params.last_n)
    return records.map((r): HistoryRecord => ({
      type: r.type, text: r.text, created_at: new Date(r.createdAt).toISOString(), endpoint: r.endpoint, status: r.status
    }))
  })

  app.get('/user/status', {
    schema: {
      tags: ['history'],
      summary: "Today's message count",
      security: [{ bearer: [] }],
      response: { 200: StatusSchema, ...errorResponses(401) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    const chatCount = await store.countToday(request.user.userId, quota.windowAt(clock()))
    return { username: request.user.username, chat_cnt: chatCount }
  })
}

export default historyRoutes
