import type { MiddleOutReport } from '../domain/messages.js'
import type { ChatMessage } from '../llm/types.js'

export interface FitResult {
  messages: ChatMessage[]
  middleOut: MiddleOutReport | null
}

/** Fits a prompt into the model's context window, cutting from the middle when it does not. */
export interface PromptFitter {
  fit (messages: ChatMessage[]): Promise<FitResult>
}
