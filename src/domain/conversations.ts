/** A user's conversations: each record belongs to one. */

/**
 * The records of one topic. `title` is empty until the first message names it (unless given);
 * `updatedAt` is its creation or its newest message's admission (renaming does not move it);
 * `messageCount` counts its records, messages and replies, the unit of `history`'s `lastN`.
 */
export interface Conversation {
  id: string
  title: string
  createdAt: number
  updatedAt: number
  messageCount: number
}

export interface ConversationQuery {
  /** Only conversations whose title contains this, case-insensitively (compared as `titleKey`). */
  search?: string
  limit: number
}

/** `createConversation`'s refusal: the user already has this many conversations without a message. */
export const MAX_EMPTY_CONVERSATIONS = 50
