/** The OpenAI chat-completions shapes this service sends and reads. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/**
 * Sampling fields a client may set (`/v1/chat/completions`), in OpenAI's names, forwarded as they
 * are; `max_tokens` never above LLM_MAX_TOKENS (the client caps it). The seed's endpoints send none.
 */
export interface Sampling {
  temperature?: number
  top_p?: number
  max_tokens?: number
  stop?: string | string[]
  presence_penalty?: number
  frequency_penalty?: number
  seed?: number
}

export interface CompletionRequest {
  messages: ChatMessage[]
  sampling?: Sampling
  /** Asks a stream for the provider's token counts (`stream_options.include_usage`). */
  includeUsage?: boolean
  /** Aborts the upstream request, e.g. when the client goes away. */
  signal?: AbortSignal
}

/** The provider's token counts, in OpenAI's names. */
export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** How a reply ended, as far as the provider said. */
export interface CompletionEnd {
  /** OpenAI's `finish_reason` (`stop`, `length`, `content_filter`, …), when the provider gave one. */
  finishReason?: string
  usage?: Usage
}

export interface Completion extends CompletionEnd {
  text: string
  model?: string
}

export interface ModelInfo {
  id: string
  contextLength?: number
}

export interface LlmClient {
  readonly model: string
  complete (request: CompletionRequest): Promise<Completion>
  /**
   * The reply as it is generated (`stream: true`), one text piece at a time, returning how it ended.
   * Errors before the first piece and mid-stream alike are thrown as `AppError`s; the timeout is
   * idle time between pieces.
   */
  stream (request: CompletionRequest): AsyncGenerator<string, CompletionEnd, undefined>
  /** The provider's model list (`GET /models`); OpenRouter's entries carry `context_length`. */
  listModels (signal?: AbortSignal): Promise<ModelInfo[]>
  close (): Promise<void>
}
