import type { MiddleOutReport } from '../domain/messages.js'
import type { ChatMessage } from '../llm/types.js'

export interface FitResult {
  messages: ChatMessage[]
  middleOut: MiddleOutReport | null
}

/** Fits a prompt into the model's context window, cutting from the middle when it does not. */
export interface PromptFitter {
  /**
   * `replyTokens`: the room the client asked for its reply (`max_tokens`), when less than
   * LLM_MAX_TOKENS: the prompt may then use the rest of the window.
   */
  fit (messages: ChatMessage[], replyTokens?: number): Promise<FitResult>
}
