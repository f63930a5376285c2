import { Type, type Static } from 'typebox'

export const MessageBodySchema = Type.Object({
  message: Type.String({ description: 'What the user says: non-empty after trimming, at most MAX_MESSAGE_CHARS characters (413 beyond).', examples: ['hi, my name is Eric'] }),
  username: Type.Optional(Type.String({ description: "Optional; when given it must be the token's user (403 otherwise)." })),
  conversation_id: Type.Optional(Type.String({
    maxLength: 64,
    description: 'One of your conversations (404 `conversation_not_found` otherwise). Without it: your most recently used conversation, or a new one when you have none. The provider sees only this conversation\'s history.'
  }))
})
export type MessageBody = Static<typeof MessageBodySchema>

export const MiddleOutSchema = Type.Object({
  part: Type.Union([Type.Literal('message'), Type.Literal('history')], {
    description: '`message`: your own message was shortened (`message_removed_tokens`; earlier ones may have gone too); `history`: only the earlier conversation was.'
  }),
  prompt_tokens: Type.Integer({ description: 'Tokens of the whole prompt before the cut.' }),
  removed_tokens: Type.Integer({ description: 'Tokens removed from the middle, in all.' }),
  message_removed_tokens: Type.Integer({ description: 'Of those, the tokens removed from your new message.' }),
  removed_messages: Type.Integer({ description: 'Whole earlier messages left out.' }),
  budget: Type.Integer({ description: 'Tokens the prompt had to fit, chat template overhead included: context window − max_tokens.' }),
  context_tokens: Type.Integer({ description: "The model's context window, in tokens." })
}, { description: 'Present only when the prompt was too big for the model and middle-out cut it; kept with your message in history.' })

export const MessageReplySchema = Type.Object({
  response: Type.String({ description: "The AI's answer.", examples: ['Hi Eric, what can I do for you!'] }),
  conversation_id: Type.String({ description: 'The conversation the message and its reply were stored in.' }),
  middle_out: Type.Optional(MiddleOutSchema)
})

export const HistoryParamsSchema = Type.Object({
  last_n: Type.Integer({ minimum: 1, maximum: 1000, description: 'How many of your latest records (a question and its answer are two).' })
})

export const HistoryRecordSchema = Type.Object({
  conversation_id: Type.String({ description: 'The conversation it belongs to.' }),
  type: Type.Union([Type.Literal('user'), Type.Literal('ai')]),
  text: Type.String({ description: 'The original text, as typed (never the middle-out version).' }),
  created_at: Type.String({ format: 'date-time' }),
  endpoint: Type.Union([Type.Literal('message'), Type.Literal('advanced')], { description: 'Which chat endpoint it went through.' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('answered'), Type.Literal('failed'), Type.Literal('complete'), Type.Literal('incomplete')], {
    description: 'user: pending (reply on its way), answered, or failed (no reply; uses no quota). ai: complete, or incomplete (stream cut short).'
  }),
  middle_out: Type.Optional(MiddleOutSchema)
})
export type HistoryRecord = Static<typeof HistoryRecordSchema>

export const HistorySchema = Type.Array(HistoryRecordSchema, { description: 'Oldest first.' })

export const StatusSchema = Type.Object({
  username: Type.String(),
  chat_cnt: Type.Integer({ description: 'Messages sent today (in DAY_TIMEZONE) that count against the daily limit.' }),
  daily_limit: Type.Integer({ description: 'DAILY_MESSAGE_LIMIT: messages a day.' }),
  burst_limit: Type.Integer({ description: 'BURST_MESSAGE_LIMIT: messages in any BURST_WINDOW_SECONDS.' }),
  burst_window_seconds: Type.Integer({ description: 'BURST_WINDOW_SECONDS.' }),
  model: Type.String({ description: 'LLM_MODEL: the model that answers.' })
})
