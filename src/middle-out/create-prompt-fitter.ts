import { AppError, sentence } from '../errors.js'
import type { ChatMessage, ModelInfo } from '../llm/types.js'
import { createContextWindow, type MiddleOutLog } from './context-window.js'
import { nextTurn } from '../process/next-turn.js'
import { ContextTooSmallError, cutMiddle, encodingLimit, encodingOrder, fitsUnread, type ChatTemplateCost } from './cut.js'
import { createEncodingCache, type EncodingCache } from './encoding-cache.js'
import { modelProfile, type ModelProfile, type TokenizerKind } from './models.js'
import type { PromptFitter } from './prompt-fitter.js'
import { createEstimateTokenizer } from './tokenizers/estimate.js'
import { loadTokenizer } from './tokenizers/load-tokenizer.js'
import type { Tokenizer } from './tokenizers/tokenizer.js'

export interface PromptFitterOptions {
  /** LLM_MODEL. */
  model: string
  /** LLM_CONTEXT_TOKENS: overrides the provider's and the table's context window. */
  contextTokens?: number
  /** LLM_MAX_TOKENS: room kept for the reply. */
  maxTokens: number
  /** The provider's `GET /models`; it may throw, which only means the table is used. */
  listModels: (signal?: AbortSignal) => Promise<ModelInfo[]>
  log?: MiddleOutLog
  /** How long the first chat waits for the model list (default 1.5 s). */
  modelListWaitMs?: number
  /** Replaces the tokenizer loader (tests). */
  loadTokenizer?: (kind: TokenizerKind) => Promise<Tokenizer>
}

/** A budget below this is almost certainly a misconfiguration (LLM_MAX_TOKENS near the window). */
const SMALL_BUDGET = 256

/**
 * The prompt fitter for one model: budget = context window − the reply's room (LLM_MAX_TOKENS, or a
 * client's smaller `max_tokens`), with the chat template's
 * overhead counted inside the prompt (see README.md). The tokenizer and the window are both resolved
 * on the first `fit`, not at start-up; a tokenizer that fails to load is replaced by the estimate.
 */
export function createPromptFitter (options: PromptFitterOptions): PromptFitter {
  const { model, maxTokens, log } = options
  const profile = modelProfile(model)
  const contextWindow = createContextWindow({
    model,
    tableTokens: profile.contextTokens,
    listModels: options.listModels,
    ...(options.contextTokens === undefined ? {} : { contextTokens: options.contextTokens }),
    ...(log === undefined ? {} : { log }),
    ...(options.modelListWaitMs === undefined ? {} : { waitMs: options.modelListWaitMs })
  })
  const tokenizer = createTokenizerSource(model, profile, options.loadTokenizer ?? loadTokenizer, log)
  const encodings = createEncodingCache()
  let warnedBudget = false

  return {
    async fit (messages, replyTokens) {
      const [counter, window] = await Promise.all([tokenizer(), contextWindow()])
      if (window.tokens - maxTokens < SMALL_BUDGET && !warnedBudget) {
        warnedBudget = true
        log?.warn({ model, contextTokens: window.tokens, maxTokens, budget: window.tokens - maxTokens }, 'LLM_MAX_TOKENS leaves almost no room for the prompt')
      }
      const budget = window.tokens - Math.min(replyTokens ?? maxTokens, maxTokens)
      if (!counter.exact || !fitsUnread(messages, budget, profile.template)) await encodeInTurns(messages, budget, profile.template, counter, encodings)
      try {
        const { messages: fitted, middleOut } = cutMiddle(messages, budget, counter, profile.template, encodings)
        return { messages: fitted, middleOut: middleOut === null ? null : { ...middleOut, contextTokens: window.tokens } }
      } catch (err) {
        if (!(err instanceof ContextTooSmallError)) throw err
        throw new AppError('llm_context_too_small', {
          detail: sentence('context_too_small', { budget: err.budget, minimum: err.minimum }),
          cause: err
        })
      }
    }
  }
}

/**
 * The model's tokenizer, loaded on first use; the conservative estimate while it fails to load
 * (tried again on each request, since the failure may pass, but said once until it does).
 */
function createTokenizerSource (model: string, profile: ModelProfile, load: (kind: TokenizerKind) => Promise<Tokenizer>, log: MiddleOutLog | undefined): () => Promise<Tokenizer> {
  let announced = false
  let failing = false
  return async () => {
    try {
      const loaded = await load(profile.tokenizer)
      failing = false
      if (!announced) {
        announced = true
        log?.info({ model, family: profile.family, tokenizer: loaded.name, template: profile.template }, 'middle-out tokenizer loaded')
      }
      return loaded
    } catch (err) {
      if (!failing) log?.warn({ err, model, tokenizer: profile.tokenizer }, 'tokenizer failed to load: counting with the conservative estimate')
      failing = true
      return createEstimateTokenizer()
    }
  }
}

/**
 * Fills the cache with what the cut will encode (`encodingOrder`), each long text not encoded yet
 * in a turn of the event loop of its own: a history read for the first time after a restart or a
 * long message is then a few short steps, never one long stall (src/process/next-turn.ts).
 */
async function encodeInTurns (messages: readonly ChatMessage[], budget: number, template: ChatTemplateCost, counter: Tokenizer, encodings: EncodingCache): Promise<void> {
  const limit = encodingLimit(budget)
  const counts: number[] = []
  for (const i of encodingOrder(messages, budget, template, counts)) {
    const content = (messages[i] as ChatMessage).content
    if (encodings.misses(content, limit, counter)) await nextTurn()
    counts[i] = encodings.encode(content, limit, counter).count
  }
  // The messages dropped unencoded are sized from a few samples each, in a turn of their own.
  const dropped = messages.filter((_, i) => counts[i] === undefined)
  if (dropped.length > 0) {
    await nextTurn()
    for (const { content } of dropped) encodings.estimate(content, limit, counter)
  }
}
