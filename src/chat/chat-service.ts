import { AppError } from '../errors.js'
import type { QuotaPolicy } from '../limits/quota.js'
import type { Capacity } from '../llm/capacity.js'
import type { CompletionEnd, CompletionRequest, LlmClient, Sampling } from '../llm/types.js'
import type { PromptFitter } from '../middle-out/prompt-fitter.js'
import type { ContextRecord, Endpoint, MiddleOutReport } from '../domain/messages.js'
import type { Store } from '../domain/store.js'
import type { Admission } from '../domain/limits.js'
import { titleFrom } from '../domain/conversation-title.js'
import { buildConversation, type Persona, type PreparedTurn, type Screening } from './persona.js'

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
  /**
   * One of the user's conversations (404 `conversation_not_found` otherwise); absent: their most
   * recently used one, created when they have none. The provider sees only its history.
   */
  conversationId?: string
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
  /** The conversation the message and its reply went to. */
  conversationId: string
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
   * Screens the message, takes a provider slot and admits it against the limits (storing it);
   * throws refusals. The turn must then be run: that gives the slot back.
   */
  begin (input: ChatInput): Promise<ChatTurn>
}

/** An admitted message: where it is stored. */
type Stored = Extract<Admission, { admitted: true }>

// Slots free as replies finish, several a second at full load: a short wait is enough.
const BUSY_RETRY_SECONDS = 2

/**
 * One chat turn, cheapest refusal first: screen the message (the crisis scan: someone in crisis is
 * never turned away; the mood, stored with the message: `persona.ts` says why neither can wait) →
 * take a provider slot → admit against the limits (atomically, storing the message) → then, once
 * admitted, read the person's history → build and fit the prompt → ask the provider → store the
 * reply. A refused message costs the screening and the admission, nothing more.
 */
export function createChatService (deps: ChatServiceDeps): ChatService {
  return { begin: async (input) => await begin(deps, input) }
}

/** Screening → provider slot → admission: the turn to run, or the refusal thrown. */
async function begin (deps: ChatServiceDeps, input: ChatInput): Promise<ChatTurn> {
  const { store, capacity, quota, clock } = deps
  const { userId, text, endpoint, conversationId } = input
  const persona = deps.personas[endpoint]
  const screening = persona.screen(text)
  const now = clock()
  const admit = async (exempt: boolean): Promise<Admission> => await store.admitMessage(
    { userId, conversationId, title: titleFrom(text), text, endpoint, createdAt: now, exempt, mood: screening.mood }, quota.windowAt(now))
  /** Where the provider cannot be asked: the persona's own reply, stored exempt, or else the refusal thrown. */
  const unrefused = async (refusal: AppError): Promise<ChatTurn> => {
    if (screening.unrefused === undefined) throw refusal
    return answerWith(deps, stored(quota, await admit(true), now), screening.unrefused)
  }

  // A persona's own reply costs nothing and must reach the person: no provider or slot, admitted
  // over the limits, never counted against them.
  if (screening.exempt) return converse(deps, stored(quota, await admit(true), now), input, persona, screening)
  if (deps.llm === null) return await unrefused(new AppError('llm_not_configured'))
  const release = capacity.tryTake()
  if (release === undefined) return await unrefused(busy())
  let admission: Admission
  try {
    admission = await admit(false)
  } catch (err) {
    release()
    throw err
  }
  if (!admission.admitted) {
    release()
    return await unrefused(quota.refusal(admission, now))
  }
  return releasing(release, converse(deps, admission, input, persona, screening))
}

/** A turn that reads the conversation's history and has the persona prepare it: its own reply, or the provider's. */
function converse (deps: ChatServiceDeps, message: Stored, input: ChatInput, persona: Persona, screening: Screening): ChatTurn {
  const { store, historyMessages } = deps
  const { messageId, conversationId } = message
  return {
    async run (onDelta) {
      let history: readonly ContextRecord[]
      let prepared: PreparedTurn
      try {
        history = input.context ?? (historyMessages > 0 ? await store.promptHistory(input.userId, conversationId, historyMessages) : [])
        prepared = persona.prepare({ username: input.username, text: input.text, history }, screening)
      } catch (err) {
        await store.failMessage(messageId)
        throw err
      }
      if (prepared.reply !== undefined) return await answerWith(deps, message, prepared.reply).run(onDelta)
      return await ask(deps, message, input, history, prepared, onDelta)
    }
  }
}

/**
 * Streams (or completes) the provider's reply and stores it. Once the prompt has gone to the
 * provider the message counts: a client gone then stops the provider and what arrived is stored
 * as `incomplete`; otherwise a failure marks the message `failed`.
 */
async function ask (deps: ChatServiceDeps, { messageId, conversationId }: Stored, input: ChatInput, history: readonly ContextRecord[], prepared: PreparedTurn, onDelta?: (piece: string) => void): Promise<ChatResult> {
  const { store, clock } = deps
  const { signal, sampling, includeUsage } = input
  let received = prepared.lead ?? ''
  let middleOut: MiddleOutReport | null = null
  let ending: CompletionEnd
  let asked = false
  try {
    const llm = deps.llm
    // Unreachable for a message admitted as counted: without a provider it was refused or answered by the persona.
    if (llm === null) throw new AppError('llm_not_configured')
    if (received !== '') onDelta?.(received)
    const fitted = await deps.fitter.fit(buildConversation(input.system ?? prepared.system, history, input.text), sampling?.max_tokens)
    middleOut = fitted.middleOut
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
      await store.completeMessage(messageId, { text: received, createdAt: clock(), status: 'incomplete', ...(middleOut === null ? {} : { middleOut }) })
    } else {
      await store.failMessage(messageId)
    }
    throw err
  }
  // A lead with nothing after it (the provider said nothing) loses its paragraph break.
  const reply = received === prepared.lead ? received.trimEnd() : received
  await store.completeMessage(messageId, { text: reply, createdAt: clock(), status: 'complete', ...(middleOut === null ? {} : { middleOut }) })
  return { response: reply, middleOut, conversationId, ...ending }
}

/** A turn whose whole reply is already known: stored and given as one piece. */
function answerWith ({ store, clock }: ChatServiceDeps, { messageId, conversationId }: Stored, reply: string): ChatTurn {
  return {
    async run (onDelta) {
      onDelta?.(reply)
      await store.completeMessage(messageId, { text: reply, createdAt: clock(), status: 'complete' })
      return { response: reply, middleOut: null, conversationId }
    }
  }
}

/** The admitted message, or the refusal thrown. */
function stored (quota: QuotaPolicy, admission: Admission, now: number): Stored {
  if (!admission.admitted) throw quota.refusal(admission, now)
  return admission
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
