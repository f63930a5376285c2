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
