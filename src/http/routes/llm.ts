import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { ChatResult, ChatService, ChatTurn } from '../../chat/chat-service.js'
import { Type } from 'typebox'
import { AppError, sentence } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { middleOutBody } from '../chat-bodies.js'
import { MessageBodySchema, MessageReplySchema, type MessageBody } from '../../schemas/chat.js'
import type { Endpoint } from '../../domain/messages.js'
import { usernameKey } from '../../domain/users.js'
import { logError, toAppError } from '../error-handler.js'
import { languageOf } from '../language.js'
import { openEventStream, wantsEventStream } from '../sse.js'
import { nextTurn } from '../../process/next-turn.js'
import { LONG_MESSAGE_CHARS, longerThan } from '../text-length.js'

export interface LlmRoutesOptions {
  chat: ChatService
  maxMessageChars: number
  rateLimitStatus: number
  /** Aborted when the server stops the chats still open at shutdown. */
  stopping: AbortSignal
}

const DESCRIPTIONS: Record<Endpoint, { path: string, summary: string, description: string }> = {
  message: {
    path: '/llm/message',
    summary: 'Chat with the AI',
    description: 'The provider sees a system prompt, the recent history of the conversation (`conversation_id`, else your most recently used) and this message, fitted into the model\'s context window by middle-out. At most DAILY_MESSAGE_LIMIT messages a day and BURST_MESSAGE_LIMIT per BURST_WINDOW_SECONDS, shared with /llm/message/advanced. When the server is already writing LLM_MAX_CONCURRENT replies, 503 `llm_busy` with Retry-After, before the message counts.'
  },
  advanced: {
    path: '/llm/message/advanced',
    summary: 'Chat with the AI, with human care',
    description: 'As /llm/message, with a reply designed for human care (人文关怀): it reads how you feel, listens first, and answers a crisis with help.'
  }
}

const llmRoutes: FastifyPluginAsyncTypebox<LlmRoutesOptions> = async (app, { chat, maxMessageChars, rateLimitStatus, stopping }) => {
  for (const endpoint of Object.keys(DESCRIPTIONS) as Endpoint[]) {
    const { path, summary, description } = DESCRIPTIONS[endpoint]
    app.post(path, {
      schema: {
        tags: ['chat'],
        summary,
        description,
        security: [{ bearer: [] }],
        body: MessageBodySchema,
        response: {
          200: {
            description: 'The reply; with `Accept: text/event-stream`, server-sent events: `delta` {text} pieces as they arrive, then `done` (this JSON) or `error` {error, detail}.',
            content: {
              'application/json': { schema: MessageReplySchema },
              'text/event-stream': { schema: Type.String() }
            }
          },
          ...errorResponses(400, 401, 403, 404, 413, 415, 422, rateLimitStatus, 502, 503, 504)
        }
      },
      preValidation: app.authenticate
    }, async (request, reply) => {
      const { message, conversation_id: conversationId } = request.body
      const user = request.user
      checkMessage(request.body, user.username, maxMessageChars)
      // A long message is screened (the crisis check) in a turn of the event loop of its own, apart
      // from its body's parsing: other requests' I/O goes on in between (src/process/next-turn.ts).
      if (message.length > LONG_MESSAGE_CHARS) await nextTurn()
      // Refusals and every other error up to here are plain JSON, before any stream opens.
      const turn = await chat.begin({
        userId: user.userId,
        username: user.username,
        text: message,
        endpoint,
        ...(conversationId === undefined ? {} : { conversationId }),
        signal: abortOnDisconnect(reply, stopping)
      })
      if (wantsEventStream(request.headers.accept)) return await streamReply(turn, request, reply)
      const result = await turn.run()
      if (result.middleOut !== null) reply.header('x-middle-out-removed-tokens', String(result.middleOut.removedTokens))
      return replyBody(request.log, result)
    })
  }
}

/** What the schema cannot say of a message: sent with the token's own user, not blank, well-formed, not too long. */
function checkMessage ({ message, username }: MessageBody, owner: string, maxMessageChars: number): void {
  if (username !== undefined && usernameKey(username) !== usernameKey(owner)) {
    throw new AppError('forbidden', { detail: sentence('token_of_another_user', { owner, username }) })
  }
  if (message.trim() === '') throw new AppError('validation_error', { detail: sentence('message_empty') })
  // A lone surrogate cannot be stored as UTF-8: history would not give back the original text.
  if (!message.isWellFormed()) throw new AppError('validation_error', { detail: sentence('message_not_unicode') })
  if (longerThan(message, maxMessageChars)) {
    throw new AppError('message_too_long', { detail: sentence('message_longer_than', { max: maxMessageChars }) })
  }
}

/**
 * The reply as server-sent events: `delta` pieces, then `done` with the JSON body, or `error`.
 * The middle-out header cannot follow once the stream is open: the final event carries it.
 */
async function streamReply (turn: ChatTurn, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const events = openEventStream(reply)
  try {
    const result = await turn.run((text) => events.send('delta', { text }))
    events.send('done', replyBody(request.log, result))
  } catch (err) {
    const error = toAppError(err)
    logError(request.log, error, err)
    events.send('error', error.toBody(languageOf(request)))
  } finally {
    events.end()
  }
  return reply
}

function replyBody (log: FastifyBaseLogger, { response, middleOut: cut, conversationId }: ChatResult): Static<typeof MessageReplySchema> {
  if (cut === null) return { response, conversation_id: conversationId }
  log.info({ middleOut: cut }, `middle-out removed ${cut.removedTokens} tokens`)
  return { response, conversation_id: conversationId, middle_out: middleOutBody(cut) }
}

/** Aborted when the client closes the connection before the reply is sent, or the server stops it. */
export function abortOnDisconnect (reply: FastifyReply, stopping: AbortSignal): AbortSignal {
  const controller = new AbortController()
  const stop = (): void => { controller.abort(stopping.reason) }
  stopping.addEventListener('abort', stop, { once: true })
  reply.raw.once('close', () => {
    // The server's signal lives as long as the server: the listener must not keep the reply.
    stopping.removeEventListener('abort', stop)
    if (!reply.raw.writableFinished) controller.abort(new AppError('client_closed_request'))
  })
  return controller.signal
}

export default llmRoutes
