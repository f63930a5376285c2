import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { readTitle, searchKey } from '../../chat/conversation-title.js'
import { AppError, sentence } from '../../errors.js'
import { HistorySchema } from '../../schemas/chat.js'
import { errorResponses } from '../../schemas/common.js'
import {
  ConversationHistoryParamsSchema,
  ConversationListSchema,
  ConversationParamsSchema,
  ConversationQuerySchema,
  ConversationSchema,
  NewConversationSchema,
  RenameConversationSchema
} from '../../schemas/conversations.js'
import type { Conversation } from '../../domain/conversations.js'
import type { Store } from '../../domain/store.js'
import { conversationBody, historyRecord } from '../chat-bodies.js'

export interface ConversationRoutesOptions { store: Store, clock: () => number }

/**
 * The caller's conversations (SPEC "Conversations"). Another user's conversation answers exactly
 * as one that does not exist: 404 `conversation_not_found`.
 */
const conversationRoutes: FastifyPluginAsyncTypebox<ConversationRoutesOptions> = async (app, { store, clock }) => {
  const common = { tags: ['conversations'], security: [{ bearer: [] }] }
  const found = (conversation: Conversation | null): Conversation => {
    if (conversation === null) throw new AppError('conversation_not_found')
    return conversation
  }

  app.get('/conversations', {
    schema: {
      ...common,
      summary: 'Your conversations',
      description: 'Most recently used first; `q` keeps those whose title contains it, whatever the letter case.',
      querystring: ConversationQuerySchema,
      response: { 200: ConversationListSchema, ...errorResponses(401, 422) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    const { q, limit } = request.query
    if (q !== undefined && !q.isWellFormed()) throw new AppError('validation_error', { detail: sentence('invalid_request', { reason: 'q is not well-formed Unicode' }) })
    const search = q === undefined ? '' : searchKey(q)
    const list = await store.listConversations(request.user.userId, { limit, ...(search === '' ? {} : { search }) })
    return list.map(conversationBody)
  })

  app.post('/conversations', {
    schema: {
      ...common,
      summary: 'Start a conversation',
      description: 'Without a title, its first message names it. Refused (409 `too_many_conversations`) while you have 50 without a message.',
      body: NewConversationSchema,
      response: { 201: ConversationSchema, ...errorResponses(400, 401, 409, 413, 415, 422) }
    },
    // Every field is optional: no body at all is `{}`.
    preValidation: [app.authenticate, async (request) => { request.body ??= {} }]
  }, async (request, reply) => {
    const title = request.body.title === undefined ? '' : readTitle(request.body.title)
    const created = await store.createConversation(request.user.userId, title, clock())
    if (created === null) throw new AppError('invalid_token') // the account was deleted meanwhile
    return await reply.code(201).send(conversationBody(created))
  })

  app.patch('/conversations/:id', {
    schema: {
      ...common,
      summary: 'Rename a conversation',
      params: ConversationParamsSchema,
      body: RenameConversationSchema,
      response: { 200: ConversationSchema, ...errorResponses(400, 401, 404, 413, 415, 422) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    const title = readTitle(request.body.title)
    return conversationBody(found(await store.renameConversation(request.user.userId, request.params.id, title)))
  })

  app.delete('/conversations/:id', {
    schema: {
      ...common,
      summary: 'Delete a conversation',
      description: 'Its records leave your history for good. The messages you sent in it still count against today\'s limits.',
      params: ConversationParamsSchema,
      response: { 204: { type: 'null', description: 'Deleted.' }, ...errorResponses(401, 404, 422) }
    },
    preValidation: app.authenticate
  }, async (request, reply) => {
    if (!await store.deleteConversation(request.user.userId, request.params.id, clock())) throw new AppError('conversation_not_found')
    return await reply.code(204).send(null)
  })

  app.get('/conversations/:id/history/:last_n', {
    schema: {
      ...common,
      summary: 'The latest records of a conversation',
      description: 'As /user/history, for one conversation: its last `last_n` records, oldest first.',
      params: ConversationHistoryParamsSchema,
      response: { 200: HistorySchema, ...errorResponses(401, 404, 422) }
    },
    preValidation: app.authenticate
  }, async (request) => {
    const records = await store.conversationHistory(request.user.userId, request.params.id, request.params.last_n)
    if (records === null) throw new AppError('conversation_not_found')
    return records.map(historyRecord)
  })
}

export default conversationRoutes
