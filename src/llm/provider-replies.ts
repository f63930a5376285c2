import type { Dispatcher } from 'undici'
import { AppError, sentence } from '../errors.js'
import type { Completion, Usage } from './types.js'

/** The reply text of a chat-completions response, or a 502 saying what is wrong with it. */
export function parseCompletion (body: unknown): Completion {
  const choice = (body as { choices?: Array<{ message?: { content?: unknown }, finish_reason?: unknown }> })?.choices?.[0]
  const content = messageText(choice?.message?.content)
  if (choice === undefined || content === undefined) {
    throw new AppError('llm_error', { detail: sentence('provider_no_choices'), cause: providerSaid(body) })
  }
  const model = (body as { model?: unknown }).model
  const usage = parseUsage((body as { usage?: unknown }).usage)
  return {
    text: content,
    ...(typeof model === 'string' ? { model } : {}),
    ...(typeof choice.finish_reason === 'string' ? { finishReason: choice.finish_reason } : {}),
    ...(usage === undefined ? {} : { usage })
  }
}

/** One `data:` payload of a chat-completions stream: a piece of text, maybe the end or the usage, or an error. */
export interface StreamChunk {
  text: string
  finishReason?: string
  usage?: Usage
}

export function parseChunk (data: string): StreamChunk | AppError {
  let chunk: { choices?: Array<{ delta?: { content?: unknown }, finish_reason?: unknown }>, usage?: unknown, error?: { message?: unknown } }
  try {
    chunk = JSON.parse(data)
  } catch {
    return new AppError('llm_error', { detail: sentence('provider_event_not_json') })
  }
  if (chunk.error !== undefined) {
    return new AppError('llm_error', { detail: sentence('provider_failed_mid_stream'), cause: providerSaid(chunk) })
  }
  const choice = chunk.choices?.[0]
  const content = choice?.delta?.content
  const usage = parseUsage(chunk.usage)
  return {
    text: typeof content === 'string' ? content : '',
    ...(typeof choice?.finish_reason === 'string' ? { finishReason: choice.finish_reason } : {}),
    ...(usage === undefined ? {} : { usage })
  }
}

/**
 * The provider's token counts when it gave them as OpenAI does: whole, non-negative numbers.
 * A missing total is the sum; anything else unreadable is no usage at all (never a made-up count).
 */
function parseUsage (usage: unknown): Usage | undefined {
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = (usage ?? {}) as Record<string, unknown>
  if (!isCount(prompt) || !isCount(completion)) return undefined
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: isCount(total) ? total : prompt + completion }
}

function isCount (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** Content is a string, or (some providers) an array of text parts. */
function messageText (content: unknown): string | undefined {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('')
  }
  return undefined
}

/** A provider's non-2xx answer: 429 with when to try again, anything else 502 naming the status. */
export function statusError (response: Dispatcher.ResponseData, text: string): AppError {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {}
  const cause = providerSaid(body)
  if (response.statusCode === 429) {
    const retryAfter = retryAfterSeconds(response.headers['retry-after'])
    return new AppError('llm_rate_limited', {
      detail: sentence('provider_rate_limiting', { wait: retryAfter }),
      extra: { retry_after: retryAfter },
      headers: { 'retry-after': String(retryAfter) },
      cause
    })
  }
  return new AppError('llm_error', { detail: sentence('provider_answered', { status: response.statusCode }), cause })
}

/** Retry-After is seconds or an HTTP date; absent or unreadable means a short default. */
function retryAfterSeconds (header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header
  if (value !== undefined) {
    const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000
    if (Number.isFinite(seconds)) return Math.min(3600, Math.max(1, Math.ceil(seconds)))
  }
  return 5
}

/**
 * The provider's own error message as the error's cause: it goes to the log (error-handler.ts logs a
 * provider failure's cause), never to the client, whose sentence names only the provider's status.
 * It may carry the provider's internals: account names, quota details, a key's prefix.
 */
export function providerSaid (body: unknown): Error | undefined {
  const message = providerMessage(body)
  return message === undefined ? undefined : new Error(`the provider said: ${message}`)
}

/** The provider's own error message (`{"error": {"message"}}`), clipped, when it sent one. */
function providerMessage (body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message
  if (typeof message !== 'string') return undefined
  return message.length > 300 ? `${message.slice(0, 300)}…` : message
}
