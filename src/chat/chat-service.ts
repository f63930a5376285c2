import { AppError } from '../errors.js'
import type { QuotaPolicy } from '../limits/quota.js'
import type { LlmClient } from '../llm/types.js'
import type { MiddleOutReport, PromptFitter } from '../middle-out/prompt-fitter.js'
import type { Endpoint, Store } from '../storage/store.js'
import { buildConversation, type Persona } from './persona.js'

export interface ChatServiceDeps {
  store: Store
  /** `null` when no provider is configured: chat then answers 503 `llm_not_configured`. */
  llm: LlmClient | null
  fitter: PromptFitter
  quota: QuotaPolicy
  personas: Record<Endpoint, Persona>
  clock: () => number
  /** How many recent records the provider sees. */
  historyMessages: number
}

export interface ChatInput {
  userId: string
  username: string
  text: string
  endpoint: Endpoint
  /** Aborted when the client goes away. */
  signal?: AbortSignal
}

export interface ChatResult {
  response: string
  middleOut: MiddleOutReport | null
}

/** An admitted message, whose reply is still to come. */
export interface ChatTurn {
  /**
   * Produces, stores and returns the reply; with `onDelta` it is streamed from the provider piece
   * by piece. Once the prompt has gone to the provider the message counts: if the client goes away
   * then, the provider is stopped and what arrived (maybe nothing) is stored as `incomplete`. Only a
   * provider failure, or a client gone before the provider was asked, marks it `failed` (no quota
   * used). Either way it then throws.
   */
  run (onDelta?: (piece: string) => void): Promise<ChatResult>
}

export interface ChatService {
  /** Reads the person and admits the message against the limits (storing it); throws refusals. */
  begin (input: ChatInput): Promise<ChatTurn>
}

/**
 * One chat turn: read the person → admit against the limits (atomically, storing the message)
 * → build and fit the prompt → ask the provider → store the reply.
 */
export function createChatService (deps: ChatServiceDeps): ChatService {
  const { store, fitter, quota, personas, clock } = deps

  return {
    async begin ({ userId, username, text, endpoint, signal }) {
      const history = deps.historyMessages > 0 ? await store.context(userId, deps.historyMessages) : []
      const turn = personas[endpoint].prepare({ username, text, history })
      // A persona's own reply (the crisis reply) needs no provider, so it is given even without one.
      const llm = deps.llm
      if (llm === null && turn.reply === undefined) throw new AppError('llm_not_configured')

      const now = clock()
      // A persona's own reply costs nothing and must reach the person (someone in crisis is never
      // turned away by a limit): it is admitted over the limits and never counts against them.
      const exempt = turn.reply !== undefined
      const admission = await store.admitMessage(
        { userId, text, endpoint, createdAt: now, exempt, ...(turn.mood === undefined ? {} : { mood: turn.mood }) },
        quota.windowAt(now))
      if (!admission.admitted) throw quota.refusal(admission, now)
      const { messageId } = admission

      return {
        async run (onDelta) {
          if (turn.reply !== undefined || llm === null) { // (llm is null only with a reply)
            const reply = turn.reply ?? ''
            onDelta?.(reply)
            await store.completeMessage(messageId, { text: reply, createdAt: clock(), status: 'complete' })
            return { response: reply, middleOut: null }
          }
          let received = turn.lead ?? ''
          let middleOut: MiddleOutReport | null
          let asked = false
          try {
            if (received !== '') onDelta?.(received)
            const fitted = await fitter.fit(buildConversation(turn.system, history, text))
            middleOut = fitted.cut
            signal?.throwIfAborted()
            const request = { messages: fitted.messages, ...(signal === undefined ? {} : { signal }) }
            asked = true
            if (onDelta === undefined) {
              received += (await llm.complete(request)).text
            } else {
              for await (const piece of llm.stream(request)) {
                received += piece
                onDelta(piece)
              }
            }
          } catch (err) {
            // The provider was asked and the client left: the provider's work counts (SPEC "Limits").
            if (asked && signal?.aborted === true) {
              await store.completeMessage(messageId, { text: received, createdAt: clock(), status: 'incomplete' })
            } else {
              await store.failMessage(messageId)
            }
            throw err
          }
          // A lead with nothing after it (the provider said nothing) loses its paragraph break.
          const reply = received === turn.lead ? received.trimEnd() : received
          await store.completeMessage(messageId, { text: reply, createdAt: clock(), status: 'complete' })
          return { response: reply, middleOut }
        }
      }
    }
  }
}
