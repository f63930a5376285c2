import type { Static } from 'typebox'
import type { HistoryRecord, MiddleOutSchema } from '../schemas/chat.js'
import type { ConversationBody } from '../schemas/conversations.js'
import type { Conversation } from '../domain/conversations.js'
import type { ChatRecord, MiddleOutReport } from '../domain/messages.js'

/** The API's form of what the chat and history routes answer with, from the store's. */

export function middleOutBody (cut: MiddleOutReport): Static<typeof MiddleOutSchema> {
  return {
    part: cut.messageRemovedTokens > 0 ? 'message' : 'history',
    prompt_tokens: cut.promptTokens,
    removed_tokens: cut.removedTokens,
    message_removed_tokens: cut.messageRemovedTokens,
    removed_messages: cut.removedMessages,
    budget: cut.budget,
    context_tokens: cut.contextTokens
  }
}

export function historyRecord (r: ChatRecord): HistoryRecord {
  return {
    conversation_id: r.conversationId,
    type: r.type,
    text: r.text,
    created_at: new Date(r.createdAt).toISOString(),
    endpoint: r.endpoint,
    status: r.status,
    ...(r.type === 'user' && r.middleOut !== undefined ? { middle_out: middleOutBody(r.middleOut) } : {})
  }
}

export function conversationBody (c: Conversation): ConversationBody {
  return {
    id: c.id,
    title: c.title,
    created_at: new Date(c.createdAt).toISOString(),
    updated_at: new Date(c.updatedAt).toISOString(),
    message_count: c.messageCount
  }
}
