import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { ChatService, ChatTurn } from '../../chat/chat-service.js'
import { inKeyConversation, type KeyConversations } from '../../chat/key-conversation.js'
import { readClientMessages, type ClientTurn } from '../../chat/client-messages.js'
import { readClientOptions, type ClientOptions } from '../../chat/client-options.js'
import { AppError, sentence } from '../../errors.js'
import { ChatCompletionBodySchema, OpenAiErrorSchema, type ChatCompletionBody } from '../../schemas/openai.js'
import { logError, toAppError } from '../error-handler.js'
import { languageOf } from '../language.js'
import { openEventStream } from '../sse.js'
import { abortOnDisconnect } from './llm.js'
import { nextTurn } from '../../process/next-turn.js'
import { LONG_MESSAGE_CHARS, longerThan } from '../text-length.js'

export interface OpenAiRoutesOptions {
  chat: ChatService
  store: KeyConversations
  /** The one model served: LLM_MODEL. */
  model: string
  clock: () => number
  maxMessageChars: number
  stopping: AbortSignal
}

const errors = (...statuses: number[]): Record<number, typeof OpenAiErrorSchema> => Object.fromEntries(statuses.map((status) => [status, OpenAiErrorSchema]))

/**
 * OpenAI's chat-completions API over the same chat service as `/llm/message` (limits, middle-out,
 * storage, care), for clients that speak it. Where OpenAI and the seed differ, this follows
 * OpenAI: its error shape, 400 for a bad request, 429 for a limit (SDKs read 401 as a bad key).
 */
const openAiRoutes: FastifyPluginAsyncTypebox<OpenAiRoutesOptions> = async (app, { chat, store, model, clock, maxMessageChars, stopping }) => {
  // The model's `created`: when this server started serving it.
  const startedAt = Math.floor(clock() / 1000)
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const error = toAppError(err)
    logError(request.log, error, err)
    return sendError(reply, error)
  })

  app.get('/v1/models', {
    schema: {
      tags: ['openai'],
      summary: 'The models served (OpenAI)',
      security: [{ bearer: [] }],
      response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(Type.Object({ id: Type.String(), object: Type.Literal('model'), created: Type.Integer(), owned_by: Type.String() })) }), ...errors(401) }
    },
    preValidation: app.authenticate
  }, async () => ({ object: 'list' as const, data: [{ id: model, object: 'model' as const, created: startedAt, owned_by: 'simple-chat' }] }))

  app.post('/v1/chat/completions', {
    schema: {
      tags: ['openai'],
      summary: 'Chat completions (OpenAI)',
      description: "OpenAI's request and answer: a `chat.completion`, or with `stream: true` `chat.completion.chunk` events ending in `data: [DONE]`. The client's messages are the context (middle-out applies); the last user message and the reply are stored in your history and count against your limits as one message. A limit refusal is 429 with Retry-After. Text only: `n` > 1, tools, non-text parts, `logprobs`, a non-text `response_format` and audio are refused (400). Forwarded to the provider: temperature, top_p, max_tokens/max_completion_tokens (at most LLM_MAX_TOKENS), stop, presence_penalty, frequency_penalty, seed; `stream_options.include_usage` gives a last chunk with the provider's usage. Other fields are ignored.",
      security: [{ bearer: [] }],
      body: ChatCompletionBodySchema,
      response: { 200: { description: 'A `chat.completion`, or a `text/event-stream` of `chat.completion.chunk`.', content: { 'application/json': { schema: Type.Unknown() }, 'text/event-stream': { schema: Type.String() } } }, ...errors(400, 401, 404, 413, 415, 429, 502, 503, 504) }
    },
    preValidation: app.authenticate
  }, async (request, reply) => {
    const { text, context, system, sampling, includeUsage } = readCompletionRequest(request.body, model, maxMessageChars)
    // A long request is screened in a turn of the event loop of its own (src/process/next-turn.ts).
    if (text.length > LONG_MESSAGE_CHARS) await nextTurn()

    const user = request.user
    const signal = abortOnDisconnect(reply, stopping)
    const begin = async (conversationId?: string): Promise<ChatTurn> => await chat.begin({
      userId: user.userId, username: user.username, text, endpoint: 'message', context, sampling, includeUsage, signal, conversationId, ...(system === undefined ? {} : { system })
    })
    // A key's messages go to its own conversation; a token's, as /llm/message's, to the most recently used.
    const turn = request.apiKey === null ? await begin() : await inKeyConversation(store, request.apiKey, clock(), begin)
    const head: CompletionHead = { id: `chatcmpl-${randomUUID().replaceAll('-', '')}`, created: Math.floor(clock() / 1000), model }
    if (request.body.stream === true) return await streamCompletion(turn, head, includeUsage, request, reply)
    const result = await turn.run()
    if (result.middleOut !== null) reply.header('x-middle-out-removed-tokens', String(result.middleOut.removedTokens))
    return {
      id: head.id,
      object: 'chat.completion',
      created: head.created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: result.response, refusal: null }, logprobs: null, finish_reason: finishReason(result.finishReason) }],
      ...(result.usage === undefined ? {} : { usage: result.usage })
    }
  })
}

/** What every answer to one request carries: its id, when it was made, the model. */
interface CompletionHead {
  id: string
  created: number
  model: string
}

/** The request as the chat service takes it, after what the schema cannot check (the model, text only, well-formed, not too long). */
function readCompletionRequest (body: ChatCompletionBody, model: string, maxMessageChars: number): ClientTurn & ClientOptions {
  if (body.model !== model) throw new AppError('model_not_found', { detail: sentence('openai_unknown_model', { model: body.model, served: model }), extra: { param: 'model' } })
  const options = readClientOptions(body)
  const turn = readClientMessages(body.messages)
  const all = [turn.text, turn.system ?? '', ...turn.context.map((record) => record.text)]
  if (all.some((part) => !part.isWellFormed())) throw new AppError('validation_error', { status: 400, detail: sentence('message_not_unicode') })
  if (longerThan(turn.text, maxMessageChars)) throw new AppError('message_too_long', { detail: sentence('message_longer_than', { max: maxMessageChars }) })
  return { ...turn, ...options }
}

/** The reply as `chat.completion.chunk` events, then `[DONE]`; an error once the stream is open is an event. */
async function streamCompletion (turn: ChatTurn, head: CompletionHead, includeUsage: boolean, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const events = openEventStream(reply)
  // Asked for usage, every chunk has the field (null), as OpenAI's do, and a last one carries it.
  const chunk = (choices: unknown[], usage?: unknown): unknown =>
    ({ id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model, choices, ...(includeUsage ? { usage: usage ?? null } : {}) })
  const choice = (delta: Record<string, unknown>, finish: string | null): unknown[] => [{ index: 0, delta, logprobs: null, finish_reason: finish }]
  try {
    events.data(chunk(choice({ role: 'assistant', content: '' }, null)))
    const result = await turn.run((piece) => { events.data(chunk(choice({ content: piece }, null))) })
    events.data(chunk(choice({}, finishReason(result.finishReason))))
    if (includeUsage && result.usage !== undefined) events.data(chunk([], result.usage))
    events.data('[DONE]')
  } catch (err) {
    // The stream is open: the error is an event (OpenAI's SDKs throw it), and no [DONE] follows.
    const error = toAppError(err)
    logError(request.log, error, err)
    events.data(openAiError(error, languageOf(request)))
  } finally {
    events.end()
  }
  return reply
}

/**
 * The provider's finish_reason where it means something for a text reply (`length`: max_tokens
 * reached; `content_filter`: the provider withheld the rest), else `stop`: also for a reply the
 * server wrote itself (a crisis reply) and for a provider that gave none.
 */
function finishReason (reason: string | undefined): 'stop' | 'length' | 'content_filter' {
  return reason === 'length' || reason === 'content_filter' ? reason : 'stop'
}

const ERROR_TYPES: Record<number, string> = { 401: 'authentication_error', 403: 'permission_error', 429: 'rate_limit_error' }

function sendError (reply: FastifyReply, error: AppError): FastifyReply {
  const limit = error.code === 'daily_limit_exceeded' || error.code === 'burst_limit_exceeded'
  // 429 whatever RATE_LIMIT_STATUS says, and OpenAI's 400 for a request that breaks the schema.
  const status = limit ? 429 : error.status === 422 ? 400 : error.status
  return reply.code(status).headers(error.headers).send(openAiError(error, languageOf(reply.request), status))
}

/** OpenAI's error body: `type` by status as OpenAI names them, `code` ours. */
function openAiError (error: AppError, language: ReturnType<typeof languageOf>, status = error.status): unknown {
  const type = ERROR_TYPES[status] ?? (status < 500 ? 'invalid_request_error' : 'server_error')
  const param = typeof error.extra.param === 'string' ? error.extra.param : null
  return { error: { message: String(error.toBody(language).detail), type, code: error.code, param } }
}

export default openAiRoutes
