import type { ModelInfo } from '../llm/types.js'

export interface MiddleOutLog {
  info (obj: object, msg: string): void
  warn (obj: object, msg: string): void
}

export interface ContextWindow {
  tokens: number
  /** `config`: LLM_CONTEXT_TOKENS; `provider`: the model list; `table`: built in (known model or default). */
  source: 'config' | 'provider' | 'table'
}

export interface ContextWindowOptions {
  model: string
  /** LLM_CONTEXT_TOKENS; when set, the provider is never asked. */
  contextTokens?: number
  /** The built-in value for this model. */
  tableTokens: number
  listModels: (signal?: AbortSignal) => Promise<ModelInfo[]>
  log?: MiddleOutLog
  /** How long a chat waits for the model list before going on with the table (it keeps loading). */
  waitMs?: number
  /** When a model-list request is given up. */
  fetchTimeoutMs?: number
  /** How long a failed fetch is remembered before the provider is asked again. */
  retryAfterMs?: number
  now?: () => number
}

/**
 * The model's context window: LLM_CONTEXT_TOKENS, else the provider's model list (OpenRouter's
 * `context_length`), else the built-in table. The list is fetched on first use, once: a chat waits
 * for it at most `waitMs`, a slow fetch finishes in the background for later chats, and a failure is
 * logged and remembered for `retryAfterMs`, during which the table answers without waiting.
 */
export function createContextWindow (options: ContextWindowOptions): () => Promise<ContextWindow> {
  const { model, tableTokens, log } = options
  const waitMs = options.waitMs ?? 1500
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 10_000
  const retryAfterMs = options.retryAfterMs ?? 5 * 60_000
  const now = options.now ?? Date.now
  const table: ContextWindow = { tokens: tableTokens, source: 'table' }

  if (options.contextTokens !== undefined) {
    const fixed: ContextWindow = { tokens: options.contextTokens, source: 'config' }
    return async () => fixed
  }

  let resolved: ContextWindow | undefined
  let pending: Promise<ContextWindow> | undefined
  let failedAt = -Infinity

  const fetchWindow = async (): Promise<ContextWindow> => {
    try {
      const models = await options.listModels(AbortSignal.timeout(fetchTimeoutMs))
      // OpenRouter lists variants (":free", ":nitro") apart; without one, the base model's window holds.
      const entry = models.find((candidate) => candidate.id === model) ?? models.find((candidate) => candidate.id === model.replace(/:[^/:]*$/, ''))
      const listed = entry?.contextLength
      resolved = listed !== undefined && Number.isInteger(listed) && listed > 0 ? { tokens: listed, source: 'provider' } : table
      log?.info({ model, contextTokens: resolved.tokens, source: resolved.source }, 'model context window resolved')
      return resolved
    } catch (err) {
      failedAt = now()
      log?.warn({ err, model, contextTokens: tableTokens }, 'model list unavailable: using the built-in context window')
      return table
    }
  }

  return async () => {
    if (resolved !== undefined) return resolved
    if (now() - failedAt < retryAfterMs) return table
    pending ??= fetchWindow().finally(() => { pending = undefined })
    let timer: NodeJS.Timeout | undefined
    const giveUp = new Promise<ContextWindow>((resolve) => {
      timer = setTimeout(() => resolve(table), waitMs)
      timer.unref()
    })
    try {
      return await Promise.race([pending, giveUp])
    } finally {
      clearTimeout(timer)
    }
  }
}
