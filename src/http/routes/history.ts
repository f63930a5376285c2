import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { QuotaPolicy } from '../../limits/quota.js'
import { errorResponses } from '../../schemas/common.js'
import { HistoryParamsSchema, HistorySchema, StatusSchema } from '../../schemas/chat.js'
import type { Store } from '../../domain/store.js'
import { historyRecord } from '../chat-bodies.js'

export interface HistoryRoutesOptions {
  store: Store
  quota: QuotaPolicy
  clock: () => number
  /** What the status tells the page besides the count. */
  limits: { daily: number, burst: number, burstWindowSeconds: number }
  model: string
}

const historyRoutes: FastifyPluginAsyncTypebox<HistoryRoutesOptions> = async (app, { store, quota, clock, limits, model }) => {
  app.get('/user/history/:last_n', {
    schema: {
      tags: ['history'],
      summary: 'Your latest chat records',
      description: 'Your own last `last_n` records across all your conversations, oldest first: each question and each answer is one record. Texts are the originals, as typed.',
      security: [{ bearer: [] }],
      params: HistoryParamsSchema,
      response: { 200: HistorySchema, ...errorResponses(401, 422) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    return (await store.history(request.user.userId, request.params.last_n)).map(historyRecord)
  })

  app.get('/user/status', {
    schema: {
      tags: ['history'],
      summary: "Today's message count, and the limits it is held to",
      description: 'What a client needs to show "n / 20 today" and the model: the count, the limits and the model\'s name.',
      security: [{ bearer: [] }],
      response: { 200: StatusSchema, ...errorResponses(401) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    const chatCount = await store.countToday(request.user.userId, quota.windowAt(clock()))
    return {
      username: request.user.username,
      chat_cnt: chatCount,
      daily_limit: limits.daily,
      burst_limit: limits.burst,
      burst_window_seconds: limits.burstWindowSeconds,
      model
    }
  })
}

export default historyRoutes
