import { AppError } from '../errors.js'
import type { QuotaPolicy } from '../limits/quota.js'
import type { Capacity } from '../llm/capacity.js'
import type { CompletionEnd, CompletionRequest, LlmClient, Sampling } from '../llm/types.js'
import type { MiddleOutReport, PromptFitter } from '../middle-out/prompt-fitter.js'
import type { ContextRecord, Endpoint } from '../domain/messages.js'
import type { Store } from '../domain/store.js'
import { buildConversation, type Persona, type PreparedTurn } from './persona.js'

export interface ChatServiceDeps {
  store: Store
  /** `null` when no provider is configured: chat then answers 503 `llm_not_configured`. */
  llm: LlmClient | null
  /** Replies in flight at once; beyond it a message is refused (503 `llm_busy`) before admission. */
  capacity: Capacity
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
  /**
   * The conversation so far as the client keeps it (`/v1/chat/completions`), used instead of the
   * stored history; with `system`, the client's system prompt instead of the persona's.
   */
  context?: readonly ContextRecord[]
  system?: string
  /** The client's sampling fields and whether it wants a stream's usage (`/v1/chat/completions`). */
  sampling?: Sampling
  includeUsage?: boolean
}

/** The reply, with how the provider said it ended (nothing when no provider was asked). */
export interface ChatResult extends CompletionEnd {
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
  /**
   * Reads the person, takes a provider slot and admits the message against the limits (storing
   * it); throws refusals. The turn must then be run: that gives the slot back.
   */
  begin (input: ChatInput): Promise<ChatTurn>
}

// Slots free as replies finish, several a second at full load: a short wait is enough.
const BUSY_RETRY_SECONDS = 2

/**
 * One chat turn: read the person → take a provider slot → admit against the limits (atomically,
 * storing the message) → build and fit the prompt → ask the provider → store the reply.
 */
export function createChatService (deps: ChatServiceDeps): ChatService {
  const { store, capacity, fitter, quota, personas, clock } = deps

  return {
    async begin ({ userId, username, text, endpoint, signal, context, system, sampling, includeUsage }) {
      const history = context ?? (deps.historyMessages > 0 ? await store.context(userId, deps.historyMessages) : [])
      const persona = personas[endpoint].prepare({ username, text, history })
      const prepared = system === undefined ? persona : { ...persona, system }
      const llm = deps.llm
      // A persona's own reply costs nothing and must reach the person (someone in crisis is never
      // turned away): it needs no provider or slot, is admitted over the limits and never counts
      // against them. Where the provider cannot be asked, `unrefused` stands instead of the refusal.
      let turn = prepared.reply === undefined && llm === null ? unrefused(prepared, new AppError('llm_not_configured')) : prepared
      const slot = turn.reply === undefined ? capacity.tryTake() : undefined
      if (turn.reply === undefined && slot === undefined) turn = unrefused(turn, busy())
      let release = slot ?? (() => {})

      const now = clock()
      const admit = async (exempt: boolean) => await store.admitMessage(
        { userId, text, endpoint, createdAt: now, exempt, ...(turn.mood === undefined ? {} : { mood: turn.mood }) },
        quota.windowAt(now)).catch((err: unknown) => { release(); throw err })
      let admission = await admit(turn.reply !== undefined)
      if (!admission.admitted && turn.reply === undefined) {
        release()
        release = () => {}
        turn = unrefused(turn, quota.refusal(admission, now))
        admission = await admit(true)
      }
      if (!admission.admitted) {
        release()
        throw quota.refusal(admission, now)
      }
      const { messageId } = admission

      return releasing(release, {
        async run (onDelta) {
          if (turn.reply !== undefined || llm === null) { // (llm is null only with a reply)
            const reply = turn.reply ?? ''
            onDelta?.(reply)
            await store.completeMessage(messageId, { text: reply, createdAt: clock(), status: 'complete' })
            return { response: reply, middleOut: null }
          }
          let received = turn.lead ?? ''
          let middleOut: MiddleOutReport | null
          let ending: CompletionEnd
          let asked = false
          try {
            if (received !== '') onDelta?.(received)
            const fitted = await fitter.fit(buildConversation(turn.system, history, text))
            middleOut = fitted.cut
            signal?.throwIfAborted()
            const request: CompletionRequest = {
              messages: fitted.messages,
              ...(signal === undefined ? {} : { signal }),
              ...(sampling === undefined ? {} : { sampling }),
              ...(includeUsage === true ? { includeUsage } : {})
            }
            asked = true
            if (onDelta === undefined) {
              const completion = await llm.complete(request)
              received += completion.text
              ending = { finishReason: completion.finishReason, usage: completion.usage }
            } else {
              ending = await relay(llm.stream(request), (piece) => {
                received += piece
                onDelta(piece)
              })
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
          return { response: reply, middleOut, ...ending }
        }
      })
    }
  }
}

/** Hands each piece of a stream on; how it ended. Stops the stream if `onPiece` throws. */
async function relay (pieces: AsyncGenerator<string, CompletionEnd, undefined>, onPiece: (piece: string) => void): Promise<CompletionEnd> {
  try {
    for (let next = await pieces.next(); ; next = await pieces.next()) {
      if (next.done === true) return next.value
      onPiece(next.value)
    }
  } finally {
    await pieces.return({})
  }
}

/** The turn with its `unrefused` reply as the whole reply, or else the refusal thrown. */
function unrefused (turn: PreparedTurn, refusal: AppError): PreparedTurn {
  if (turn.unrefused === undefined) throw refusal
  return { ...turn, reply: turn.unrefused }
}

/** Every provider slot is taken: refused at once, with when to try again. */
function busy (): AppError {
  return new AppError('llm_busy', { extra: { retry_after: BUSY_RETRY_SECONDS }, headers: { 'retry-after': String(BUSY_RETRY_SECONDS) } })
}

/** The turn, giving its slot back when it ends, however it ends. */
function releasing (release: () => void, turn: ChatTurn): ChatTurn {
  return {
    async run (onDelta) {
      try {
        return await turn.run(onDelta)
      } finally {
        release()
      }
    }
  }
}
