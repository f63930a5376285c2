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

export type ChatRecord =
  | { id: string, type: 'user', text: string, createdAt: number, endpoint: Endpoint, status: UserMessageStatus, mood?: string }
  | { id: string, type: 'ai', text: string, createdAt: number, endpoint: Endpoint, status: AiMessageStatus }

/** What the provider sees of a past record. */
export interface ContextRecord { type: 'user' | 'ai', text: string }

export interface NewMessage {
  userId: string
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
}
