import type { Dispatcher } from 'undici'
import { AppError, sentence } from '../errors.js'
import { readCompletionStream } from './completion-stream.js'
import { deadline, transportError, type Exchange } from './exchange.js'
import { createProviderPool } from './provider-pool.js'
import { checkDeclaredLength, readCapped, replyTooLarge } from './reply-cap.js'
import { parseCompletion, statusError } from './provider-replies.js'
import type { CompletionEnd, CompletionRequest, LlmClient, ModelInfo } from './types.js'

export interface LlmClientOptions {
  baseUrl: string
  apiKey?: string
  model: string
  maxTokens: number
  timeoutMs: number
  /** LLM_MAX_REPLY_BYTES: the most of one reply that is read (see reply-cap.ts). */
  maxReplyBytes: number
  /** OpenRouter's optional attribution headers. */
  referer?: string
  title?: string
  /** Replies in flight at once: the connections to the provider are sized for it. */
  maxConcurrent: number
  /** Offer HTTP/2 to an https provider. */
  http2: boolean
}

/** An error body is read for its message only. */
const ERROR_BODY_BYTES = 16 * 1024
/** OpenRouter's model list is a few megabytes; it is read once in a while, never per chat. */
const MODEL_LIST_BYTES = 32 * 1024 * 1024

/**
 * An OpenAI-compatible chat-completions client on undici (`provider-pool.ts`): measured here at about 8× the
 * throughput of the global `fetch` for the same passthrough. One pool per provider origin.
 */
export function createOpenAiClient (options: LlmClientOptions): LlmClient {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`)
  const pool = createProviderPool(base.origin, options)
  const connection: Connection = { pool, headers: requestHeaders(options), timeoutMs: options.timeoutMs }
  const replyCap = options.maxReplyBytes
  const chatPath = new URL('chat/completions', base).pathname
  const modelsPath = new URL('models', base).pathname

  return {
    model: options.model,

    async complete (request: CompletionRequest) {
      return parseCompletion(await call(connection, 'POST', chatPath, chatBody(request, false, options), replyCap, request.signal))
    },

    async * stream (request: CompletionRequest): AsyncGenerator<string, CompletionEnd, undefined> {
      const exchange: Exchange = { signal: request.signal, timedOut: () => false }
      const response = await open(connection, 'POST', chatPath, chatBody(request, true, options), exchange)
      checkDeclaredLength(response, replyCap)
      return yield * readCompletionStream(response, replyCap, request.includeUsage === true, exchange)
    },

    async listModels (signal) {
      return modelList(await call(connection, 'GET', modelsPath, undefined, MODEL_LIST_BYTES, signal))
    },

    async close () {
      await pool.close()
    }
  }
}

/** Where requests go and what each carries. */
interface Connection {
  pool: Dispatcher
  headers: Record<string, string>
  timeoutMs: number
}

/**
 * Sends a request; returns the response once its status is 2xx. The exchange's signal aborts it:
 * the caller's (client gone), or one that also ends it at a deadline (`call`); streams rely on
 * undici's idle timeouts instead.
 */
async function open ({ pool, headers }: Connection, method: 'GET' | 'POST', path: string, body: string | undefined, exchange: Exchange): Promise<Dispatcher.ResponseData> {
  let response: Dispatcher.ResponseData
  try {
    response = await pool.request({ method, path, headers, body, signal: exchange.signal })
  } catch (err) {
    throw transportError(err, exchange)
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response
  // An error body is read only for its message: what is past a few kilobytes is dropped.
  throw statusError(response, (await read(response, exchange, ERROR_BODY_BYTES)).text)
}

/** One whole JSON answer, at most `limit` bytes, within the deadline. */
async function call (connection: Connection, method: 'GET' | 'POST', path: string, body: string | undefined, limit: number, caller?: AbortSignal): Promise<unknown> {
  const exchange = deadline(caller, connection.timeoutMs)
  let text: string
  try {
    const response = await open(connection, method, path, body, exchange)
    checkDeclaredLength(response, limit)
    const content = await read(response, exchange, limit)
    if (content.overflow) throw replyTooLarge(limit)
    text = content.text
  } finally {
    exchange.release()
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new AppError('llm_error', { detail: sentence('provider_not_json'), cause: err })
  }
}

function requestHeaders ({ apiKey, referer, title }: LlmClientOptions): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`
  if (referer !== undefined) headers['http-referer'] = referer
  if (title !== undefined) headers['x-title'] = title
  return headers
}

/** The seed's request, with a client's sampling fields when it sent any (max_tokens never above LLM_MAX_TOKENS). */
function chatBody ({ messages, sampling, includeUsage }: CompletionRequest, stream: boolean, { model, maxTokens }: LlmClientOptions): string {
  return JSON.stringify({
    ...sampling,
    model,
    messages,
    max_tokens: Math.min(sampling?.max_tokens ?? maxTokens, maxTokens),
    stream,
    ...(stream && includeUsage === true ? { stream_options: { include_usage: true } } : {})
  })
}

/** The entries of `GET /models` that have an id; OpenRouter's carry `context_length`. */
function modelList (body: unknown): ModelInfo[] {
  const data = (body as { data?: unknown } | null)?.data
  if (!Array.isArray(data)) return []
  return data.flatMap((entry: { id?: unknown, context_length?: unknown }): ModelInfo[] =>
    typeof entry?.id === 'string'
      ? [{ id: entry.id, ...(typeof entry.context_length === 'number' ? { contextLength: entry.context_length } : {}) }]
      : [])
}

async function read (response: Dispatcher.ResponseData, exchange: Exchange, limit: number): Promise<{ text: string, overflow: boolean }> {
  try {
    return await readCapped(response, limit)
  } catch (err) {
    throw transportError(err, exchange)
  }
}
