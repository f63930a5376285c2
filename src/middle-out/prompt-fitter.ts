import type { ChatMessage } from '../llm/types.js'

/** What middle-out did to a prompt; `null` when it fit unchanged. */
export interface MiddleOutReport {
  /** Tokens of the prompt before the cut, by the model's tokenizer (or its estimate). */
  promptTokens: number
  /** Tokens removed from the middle. */
  removedTokens: number
  /** Whole history messages dropped. */
  removedMessages: number
  /** The token budget the prompt had to fit. */
  budget: number
}

export interface FitResult {
  messages: ChatMessage[]
  middleOut: MiddleOutReport | null
}

/** Fits a prompt into the model's context window, cutting from the middle when it does not. */
export interface PromptFitter {
  fit (messages: ChatMessage[]): Promise<FitResult>
}
