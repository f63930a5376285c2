/** The OpenAI chat-completions shapes this service sends and reads. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface CompletionRequest {
  messages: ChatMessage[]
  /** Aborts the upstream request, e.g. when the client goes away. */
  signal?: AbortSignal
}

export interface Completion {
  text: string
  model?: string
  finishReason?: string
}

export interface ModelInfo {
  id: string
  contextLength?: number
}

export interface LlmClient {
  readonly model: string
  complete (request: CompletionRequest): Promise<Completion>
  /**
   * The reply as it is generated (`stream: true`), one text piece at a time. Errors before the
   * first piece and mid-stream alike are thrown as `AppError`s; the timeout is idle time between pieces.
   */
  stream (request: CompletionRequest): AsyncIterable<string>
  /** The provider's model list (`GET /models`); OpenRouter's entries carry `context_length`. */
  listModels (signal?: AbortSignal): Promise<ModelInfo[]>
  close (): Promise<void>
}
