import { Type, type Static, type TSchema } from 'typebox'

/**
 * OpenAI's chat-completions request, as far as this server reads it. Other fields are allowed
 * (clients send many) and ignored; which are forwarded to the provider, which refused and which
 * ignored: src/chat/client-options.ts and README "OpenAI-compatible API".
 */
/** A field a client may leave out or send as null (the SDKs send null for "not set"). */
function nullable<T extends TSchema> (schema: T) {
  return Type.Optional(Type.Union([schema, Type.Null()]))
}

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
  n: nullable(Type.Integer()),
  tools: Type.Optional(Type.Unknown()),
  functions: Type.Optional(Type.Unknown()),
  // Forwarded to the provider (OpenAI's ranges).
  temperature: nullable(Type.Number({ minimum: 0, maximum: 2 })),
  top_p: nullable(Type.Number({ minimum: 0, maximum: 1 })),
  max_tokens: nullable(Type.Integer({ minimum: 1, description: 'At most LLM_MAX_TOKENS: a larger value is lowered to it.' })),
  max_completion_tokens: nullable(Type.Integer({ minimum: 1, description: 'As max_tokens (the smaller of the two when both are sent).' })),
  stop: nullable(Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { maxItems: 4 })])),
  presence_penalty: nullable(Type.Number({ minimum: -2, maximum: 2 })),
  frequency_penalty: nullable(Type.Number({ minimum: -2, maximum: 2 })),
  seed: nullable(Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })),
  stream_options: nullable(Type.Object({ include_usage: nullable(Type.Boolean()) })),
  // Refused when they ask for what this server does not give.
  logprobs: nullable(Type.Boolean()),
  response_format: nullable(Type.Object({ type: Type.String() })),
  modalities: nullable(Type.Array(Type.String())),
  audio: Type.Optional(Type.Unknown())
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
