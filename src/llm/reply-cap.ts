import type { Dispatcher } from 'undici'
import { AppError, sentence } from '../errors.js'

/**
 * A provider's reply is read only up to a byte cap (LLM_MAX_REPLY_BYTES): a misbehaving provider
 * could otherwise send megabytes that are buffered, parsed, stored and then tokenized on every later
 * chat. Past the cap, reading stops and the body is destroyed, which aborts the upstream request.
 */
export function replyTooLarge (limit: number): AppError {
  return new AppError('llm_reply_too_large', {
    detail: sentence('reply_larger_than', { limit })
  })
}

/** Throws `llm_reply_too_large` at once when the declared length is already over the cap. */
export function checkDeclaredLength (response: Dispatcher.ResponseData, limit: number): void {
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    abandon(response)
    throw replyTooLarge(limit)
  }
}

/**
 * The body as text, at most `limit` bytes of it; `overflow` says there was more (the rest is never
 * read: the body is destroyed). Decoded once at the end, so no character is split.
 */
export async function readCapped (response: Dispatcher.ResponseData, limit: number): Promise<{ text: string, overflow: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size))
      abandon(response)
      return { text: Buffer.concat(chunks).toString('utf8'), overflow: true }
    }
    chunks.push(buffer)
    size += buffer.length
  }
  return { text: Buffer.concat(chunks).toString('utf8'), overflow: false }
}

/**
 * Stops reading: the body is destroyed, which aborts the upstream request. undici then emits the
 * abort as an `error` on a body nobody reads any more; unheard, that would be an uncaught exception.
 */
function abandon (response: Dispatcher.ResponseData): void {
  response.body.on('error', () => {})
  response.body.destroy()
}
