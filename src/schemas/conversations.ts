import { Type, type Static } from 'typebox'
import { TITLE_MAX_CHARS } from '../domain/conversation-title.js'
import { HistorySchema } from './chat.js'
import { errorResponses } from './common.js'

const TitleSchema = Type.String({
  maxLength: TITLE_MAX_CHARS * 2,
  description: `1–${TITLE_MAX_CHARS} characters, on one line (line breaks and runs of spaces become one space); not only spaces.`,
  examples: ['Python exam']
})

export const ConversationSchema = Type.Object({
  id: Type.String(),
  title: Type.String({ description: 'Empty until the first message names it (its first 60 characters), unless one was given.' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time', description: 'When a message was last sent in it (or it was created); renaming does not change it.' }),
  message_count: Type.Integer({ description: 'Its records: messages and replies, as counted by `last_n`.' })
}, { description: 'A conversation.' })
export type ConversationBody = Static<typeof ConversationSchema>

export const ConversationListSchema = Type.Array(ConversationSchema, { description: 'Most recently used first.' })

export const ConversationQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Only conversations whose title contains this, whatever the letter case.' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'At most this many (the most recently used).' })
})

export const NewConversationSchema = Type.Object({
  title: Type.Optional(TitleSchema)
})

export const RenameConversationSchema = Type.Object({
  title: TitleSchema
})

export const ConversationParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) })

export const ConversationHistoryParamsSchema = Type.Object({
  id: Type.String({ maxLength: 64 }),
  last_n: Type.Integer({ minimum: 1, maximum: 1000, description: 'How many of its latest records (a question and its answer are two).' })
})

/**
 * The routes' declarations (src/http/routes/conversations.ts): validation, serialization and the
 * OpenAPI page from one object each.
 */
const route = { tags: ['conversations'], security: [{ bearer: [] }] }

export const ListConversationsRoute = {
  ...route,
  summary: 'Your conversations',
  description: 'Most recently used first; `q` keeps those whose title contains it, whatever the letter case.',
  querystring: ConversationQuerySchema,
  response: { 200: ConversationListSchema, ...errorResponses(401, 422) }
}

export const CreateConversationRoute = {
  ...route,
  summary: 'Start a conversation',
  description: 'Without a title, its first message names it. Refused (409 `too_many_conversations`) while you have 50 without a message.',
  body: NewConversationSchema,
  response: { 201: ConversationSchema, ...errorResponses(400, 401, 409, 413, 415, 422) }
}

export const RenameConversationRoute = {
  ...route,
  summary: 'Rename a conversation',
  params: ConversationParamsSchema,
  body: RenameConversationSchema,
  response: { 200: ConversationSchema, ...errorResponses(400, 401, 404, 413, 415, 422) }
}

export const DeleteConversationRoute = {
  ...route,
  summary: 'Delete a conversation',
  description: 'Its records leave your history for good. The messages you sent in it still count against today\'s limits.',
  params: ConversationParamsSchema,
  response: { 204: { type: 'null', description: 'Deleted.' }, ...errorResponses(401, 404, 422) }
}

export const ConversationHistoryRoute = {
  ...route,
  summary: 'The latest records of a conversation',
  description: 'As /user/history, for one conversation: its last `last_n` records, oldest first.',
  params: ConversationHistoryParamsSchema,
  response: { 200: HistorySchema, ...errorResponses(401, 404, 422) }
}
