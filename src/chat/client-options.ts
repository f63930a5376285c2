import type { Sampling } from '../llm/types.js'
import type { ChatCompletionBody } from '../schemas/openai.js'
import { unsupported } from './client-messages.js'

/** What a client's OpenAI request asks of the provider beyond its messages. */
export interface ClientOptions {
  sampling: Sampling
  /** `stream_options.include_usage`: a stream ends with a usage chunk. */
  includeUsage: boolean
}

/** Fields forwarded to the provider as they are (the schema holds them to OpenAI's ranges). */
const FORWARDED = ['temperature', 'top_p', 'stop', 'presence_penalty', 'frequency_penalty', 'seed'] as const

/**
 * Reads the request's other fields. Forwarded: sampling that only shapes the one text reply
 * (`FORWARDED`, and `max_tokens`/`max_completion_tokens`, which the provider client keeps at or
 * below LLM_MAX_TOKENS). Refused (400): what would change the answer's shape or need what this
 * server does not do — more than one choice, tools, log-probabilities, a non-text response format,
 * audio — since ignoring it would answer a question the client did not ask. Every other field
 * (`user`, `metadata`, `logit_bias`, `tool_choice`, …) is ignored: never sent on to the provider,
 * whose key and bill are the server's.
 */
export function readClientOptions (body: ChatCompletionBody): ClientOptions {
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw unsupported('n', 'openai_one_choice')
  if (body.tools !== undefined || body.functions !== undefined) throw unsupported(body.tools !== undefined ? 'tools' : 'functions', 'openai_no_tools')
  if (body.logprobs === true) throw unsupported('logprobs', 'openai_no_logprobs')
  if (body.response_format != null && body.response_format.type !== 'text') throw unsupported('response_format', 'openai_free_text')
  if (body.modalities?.some((modality) => modality !== 'text') === true || (body.audio !== undefined && body.audio !== null)) throw unsupported('audio', 'openai_text_replies')

  const sampling: Sampling = {}
  for (const field of FORWARDED) {
    const value = body[field]
    if (value !== undefined && value !== null) (sampling as Record<string, unknown>)[field] = value
  }
  const limits = [body.max_tokens, body.max_completion_tokens].filter((value): value is number => typeof value === 'number')
  if (limits.length > 0) sampling.max_tokens = Math.min(...limits)
  return { sampling, includeUsage: body.stream === true && body.stream_options?.include_usage === true }
}
