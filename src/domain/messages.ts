/**
 * A chat's records: the user's messages and the replies, as the service and both storage backends
 * speak of them. Times are epoch milliseconds; ids are opaque strings.
 */

/**
 * The chat endpoint a message went through, by the name the API gives it: `message` (`POST
 * /llm/message`, also `/v1/chat/completions`) or `advanced` (`POST /llm/message/advanced`). The
 * report's `plain_share` (SPEC) is the share of `message`.
 */
export type Endpoint = 'message' | 'advanced'

/**
 * A user message is `pending` while its reply is being produced, `answered` once it has one and
 * `failed` when the provider failed (kept in history, but it uses no quota).
 * An ai record is `complete`, or `incomplete` when the stream was cut short by the client.
 */
export type UserMessageStatus = 'pending' | 'answered' | 'failed'
export type AiMessageStatus = 'complete' | 'incomplete'

/** What middle-out did to a prompt (`cutMiddle`). */
export interface MiddleOutCut {
  /** Tokens of the prompt before the cut, by the model's tokenizer (or its estimate). */
  promptTokens: number
  /** Tokens removed from the middle, in all. */
  removedTokens: number
  /** Of those, the tokens removed from the new message itself (0 when only earlier ones were cut). */
  messageRemovedTokens: number
  /** Whole history messages dropped. */
  removedMessages: number
  /** The token budget the prompt had to fit. */
  budget: number
}

/** The cut with the model's context window, which the budget is taken from. */
export interface MiddleOutReport extends MiddleOutCut {
  contextTokens: number
}

/**
 * Every record belongs to a conversation. A user message may carry what middle-out cut from the
 * prompt that carried it, kept so a client can still say so after a reload.
 */
export type ChatRecord =
  | { id: string, conversationId: string, type: 'user', text: string, createdAt: number, endpoint: Endpoint, status: UserMessageStatus, mood?: string, middleOut?: MiddleOutReport }
  | { id: string, conversationId: string, type: 'ai', text: string, createdAt: number, endpoint: Endpoint, status: AiMessageStatus }

/** What the provider sees of a past record. */
export interface ContextRecord { type: 'user' | 'ai', text: string }

export interface NewMessage {
  userId: string
  /**
   * One of the user's conversations (`conversation_not_found` otherwise, also for another user's);
   * absent: the user's most recently used one, created when they have none, inside the admission.
   */
  conversationId?: string
  /** The title the conversation takes if it has none yet (from this message: `titleFrom`). */
  title?: string
  text: string
  endpoint: Endpoint
  createdAt: number
  /** The message's emotion reading (both endpoints read it, `chat/persona.ts`), kept for the report. */
  mood?: string
  /**
   * Answered without the provider (the crisis reply): admitted whatever the limits say and never
   * counted against them, though stored, in history and in the report like any other message.
   */
  exempt?: boolean
}

export interface Reply {
  text: string
  createdAt: number
  status: AiMessageStatus
  /** What middle-out cut from the prompt: stored with the user's message. */
  middleOut?: MiddleOutReport
}
