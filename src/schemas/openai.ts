import { Type, type Static } from 'typebox'

/**
 * OpenAI's chat-completions request, as far as this server reads it. Other fields are allowed
 * (clients send many) and ignored: none is forwarded to the provider (see README "OpenAI-compatible API").
 */
const ContentPartSchema = Type.Object({ type: Type.String(), text: Type.Optional(Type.String()) })

export const ChatCompletionMessageSchema = Type.Object({
  role: Type.String({ description: '`system`, `developer`, `user` or `assistant`.' }),
  content: Type.Union([Type.String(), Type.Array(ContentPartSchema), Type.Null()])
})
export type ChatCompletionMessage = Static<typeof ChatCompletionMessageSchema>

export const ChatCompletionBodySchema = Type.Object({
  model: Type.String({ description: 'One of GET /v1/models.' }),
  messages: Type.Array(ChatCompletionMessageSchema, { minItems: 1, maxItems: 10_000, description: 'The conversation; the last one is the user\'s new message.' }),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  n: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  tools: Type.Optional(Type.Unknown()),
  functions: Type.Optional(Type.Unknown())
})
export type ChatCompletionBody = Static<typeof ChatCompletionBodySchema>

export const OpenAiErrorSchema = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    code: Type.Union([Type.String(), Type.Null()]),
    param: Type.Union([Type.String(), Type.Null()])
  })
}, { description: "OpenAI's error shape." })
