import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { checkTitle, searchKey } from '../../domain/conversation-title.js'
import { AppError, sentence } from '../../errors.js'
import {
  ConversationHistoryRoute,
  CreateConversationRoute,
  DeleteConversationRoute,
  ListConversationsRoute,
  RenameConversationRoute
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
  const found = (conversation: Conversation | null): Conversation => {
    if (conversation === null) throw new AppError('conversation_not_found')
    return conversation
  }

  app.get('/conversations', { schema: ListConversationsRoute, preValidation: app.authenticate }, async (request) => {
    const { q, limit } = request.query
    if (q !== undefined && !q.isWellFormed()) throw new AppError('validation_error', { detail: sentence('invalid_request', { reason: 'q is not well-formed Unicode' }) })
    const search = q === undefined ? '' : searchKey(q)
    const list = await store.listConversations(request.user.userId, { limit, ...(search === '' ? {} : { search }) })
    return list.map(conversationBody)
  })

  app.post('/conversations', {
    schema: CreateConversationRoute,
    // Every field is optional: no body at all is `{}`.
    preValidation: [app.authenticate, async (request) => { request.body ??= {} }]
  }, async (request, reply) => {
    const title = request.body.title === undefined ? '' : readTitle(request.body.title)
    const created = await store.createConversation(request.user.userId, title, clock())
    if (created === null) throw new AppError('invalid_token') // the account was deleted meanwhile
    return await reply.code(201).send(conversationBody(created))
  })

  app.patch('/conversations/:id', { schema: RenameConversationRoute, preValidation: app.authenticate }, async (request) => {
    const title = readTitle(request.body.title)
    return conversationBody(found(await store.renameConversation(request.user.userId, request.params.id, title)))
  })

  app.delete('/conversations/:id', { schema: DeleteConversationRoute, preValidation: app.authenticate }, async (request, reply) => {
    if (!await store.deleteConversation(request.user.userId, request.params.id, clock())) throw new AppError('conversation_not_found')
    return await reply.code(204).send(null)
  })

  app.get('/conversations/:id/history/:last_n', { schema: ConversationHistoryRoute, preValidation: app.authenticate }, async (request) => {
    const records = await store.conversationHistory(request.user.userId, request.params.id, request.params.last_n)
    if (records === null) throw new AppError('conversation_not_found')
    return records.map(historyRecord)
  })
}

export default conversationRoutes

/** A title the user gave, as stored; a 422 naming what is wrong with it otherwise. */
function readTitle (given: string): string {
  const checked = checkTitle(given)
  if ('invalid' in checked) throw new AppError('validation_error', { detail: sentence('title_invalid', { reason: checked.invalid }) })
  return checked.title
}
