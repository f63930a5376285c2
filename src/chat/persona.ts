import type { ChatMessage } from '../llm/types.js'
import type { ContextRecord, Endpoint } from '../domain/messages.js'

export interface PersonaInput {
  username: string
  text: string
  /** The user's recent answered exchanges, oldest first. */
  history: readonly ContextRecord[]
}

export interface PreparedTurn {
  system: string
  /** An emotion reading of the message, stored with it for the report. */
  mood?: string
  /** The whole reply, standing instead of the provider's: the provider is not asked at all. */
  reply?: string
  /** Text the reply opens with, sent before the provider's (e.g. a crisis resources note). */
  lead?: string
  /**
   * The whole reply when the provider cannot be asked (over a limit, every slot taken, none
   * configured), instead of the refusal: given, stored and exempt from the limits like `reply`.
   */
  unrefused?: string
}

/** How one chat endpoint talks: its system prompt and what it reads from the person. */
export interface Persona {
  readonly endpoint: Endpoint
  prepare (input: PersonaInput): PreparedTurn
}

/** Builds the provider's conversation: system prompt, recent history, then the new message. */
export function buildConversation (system: string, history: readonly ContextRecord[], text: string): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: system }]
  for (const record of history) {
    messages.push({ role: record.type === 'user' ? 'user' : 'assistant', content: record.text })
  }
  messages.push({ role: 'user', content: text })
  return messages
}
