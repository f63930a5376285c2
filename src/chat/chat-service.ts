import { AppError } from '../errors.js'
import type { QuotaPolicy } from '../limits/quota.js'
import type { LlmClient } from '../llm/types.js'
import type { MiddleOutReport, PromptFitter } from '../middle-out/prompt-fitter.js'
import type { ChatRecord, Endpoint, Store } from '../storage/store.js'
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

export interface ChatService {
  send (input: ChatInput): Promise<ChatResult>
}

/**
 * One chat turn: read the person → admit against the limits (atomically, storing the message)
 * → build and fit the prompt → ask the provider → store the reply. A provider failure leaves the
 * message in history as `failed`, which gives its quota back.
 */
export function createChatService (deps: ChatServiceDeps): ChatService {
  const { store, fitter, quota, personas, clock } = deps

  return {
    async send ({ userId, username, text, endpoint, signal }) {
      const llm = deps.llm
      if (llm === null) throw new AppError('llm_not_configured')

      const history = deps.historyMessages > 0 ? contextOf(await store.history(userId, deps.historyMessages)) : []
      const turn = personas[endpoint].prepare({ username, text, history })

      const now = clock()
      const admission = await store.admitMessage(
        { userId, text, endpoint, createdAt: now, ...(turn.mood === undefined ? {} : { mood: turn.mood }) },
        quota.windowAt(now))
      if (!admission.admitted) throw quota.refusal(admission, now)

      let reply: string
      let middleOut: MiddleOutReport | null
      try {
        const fitted = await fitter.fit(buildConversation(turn.system, history, text))
        middleOut = fitted.cut
        const completion = await llm.complete({ messages: fitted.messages, ...(signal === undefined ? {} : { signal }) })
        reply = turn.finish === undefined ? completion.text : turn.finish(completion.text)
      } catch (err) {
        await store.failMessage(admission.messageId)
        throw err
      }
      await store.completeMessage(admission.messageId, { text: reply, createdAt: clock(), status: 'complete' })
      return { response: reply, middleOut }
    }
  }
}

/** What the provider sees of the past: answered questions and their replies, in order. */
function contextOf (records: ChatRecord[]): ChatRecord[] {
  return records.filter((r) => r.type === 'ai' || r.status === 'answered')
}
