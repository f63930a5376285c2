import { Type, type Static } from 'typebox'

export const MessageBodySchema = Type.Object({
  message: Type.String({ description: 'What the user says: non-empty after trimming, at most MAX_MESSAGE_CHARS characters (413 beyond).', examples: ['hi, my name is Eric'] }),
  username: Type.Optional(Type.String({ description: "Optional; when given it must be the token's user (403 otherwise)." }))
})
export type MessageBody = Static<typeof MessageBodySchema>

export const MiddleOutSchema = Type.Object({
  prompt_tokens: Type.Integer({ description: 'Tokens of the whole prompt before the cut.' }),
  removed_tokens: Type.Integer({ description: 'Tokens removed from the middle.' }),
  removed_messages: Type.Integer({ description: 'Whole earlier messages left out.' }),
  budget: Type.Integer({ description: 'Tokens the prompt had to fit, chat template overhead included: context window − max_tokens.' })
}, { description: 'Present only when the prompt was too big for the model and middle-out cut it.' })

export const MessageReplySchema = Type.Object({
  response: Type.String({ description: "The AI's answer.", examples: ['Hi Eric, what can I do for you!'] }),
  middle_out: Type.Optional(MiddleOutSchema)
})

export const HistoryParamsSchema = Type.Object({
  last_n: Type.Integer({ minimum: 1, maximum: 1000, description: 'How many of your latest records (a question and its answer are two).' })
})

export const HistoryRecordSchema = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('ai')]),
  text: Type.String({ description: 'The original text, as typed (never the middle-out version).' }),
  created_at: Type.String({ format: 'date-time' }),
  endpoint: Type.Union([Type.Literal('message'), Type.Literal('advanced')], { description: 'Which chat endpoint it went through.' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('answered'), Type.Literal('failed'), Type.Literal('complete'), Type.Literal('incomplete')], {
    description: 'user: pending (reply on its way), answered, or failed (no reply; uses no quota). ai: complete, or incomplete (stream cut short).'
  })
})
export type HistoryRecord = Static<typeof HistoryRecordSchema>

export const HistorySchema = Type.Array(HistoryRecordSchema, { description: 'Oldest first.' })

export const StatusSchema = Type.Object({
  username: Type.String(),
  chat_cnt: Type.Integer({ description: 'Messages sent today (in DAY_TIMEZONE) that count against the daily limit.' })
})
