import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { Dispatcher } from 'undici'
import { AppError, sentence } from '../errors.js'
import { transportError, type Exchange } from './exchange.js'
import { parseChunk } from './provider-replies.js'
import { replyTooLarge } from './reply-cap.js'
import type { CompletionEnd, Usage } from './types.js'

/**
 * A chat-completions stream (server-sent events) read as it arrives: its text pieces, then how it
 * ended. At most `replyCap` bytes are read.
 */
export async function * readCompletionStream (response: Dispatcher.ResponseData, replyCap: number, includeUsage: boolean, exchange: Exchange): AsyncGenerator<string, CompletionEnd, undefined> {
  const events = createStreamEvents(includeUsage)
  let received = 0
  // Decodes across chunks: a network chunk may end inside a multi-byte character.
  const decoder = new TextDecoder()
  try {
    for await (const data of response.body) {
      received += (data as Buffer).length
      if (received > replyCap) throw replyTooLarge(replyCap)
      events.feed(decoder.decode(data as Buffer, { stream: true }))
      yield * events.take()
      if (events.ended()) break
    }
  } catch (err) {
    // The whole text came and only the usage after it failed to: the reply stands, without usage.
    if (events.textEnded()) return events.end()
    if (err instanceof AppError) throw err
    throw transportError(err, exchange)
  } finally {
    // Stops the upstream generating when we stop reading (finished, failed or aborted).
    response.body.destroy()
  }
  if (events.cutShort()) throw new AppError('llm_error', { detail: sentence('provider_stream_cut') })
  return events.end()
}

/** What a stream's events have said so far: pieces not yet handed on, the finish reason, the usage. */
function createStreamEvents (includeUsage: boolean): {
  /** Parses more of the stream; throws the error event a provider sends mid-stream. */
  feed: (text: string) => void
  take: () => string[]
  ended: () => boolean
  textEnded: () => boolean
  cutShort: () => boolean
  end: () => CompletionEnd
} {
  const pieces: string[] = []
  let finishReason: string | undefined
  let usage: Usage | undefined
  // Some providers count as they go (usage on every chunk): the last count is the whole reply's.
  let finalUsage = false
  let done = false
  let failure: AppError | undefined
  const parser = createParser({
    onEvent: (event: EventSourceMessage) => {
      if (done || failure !== undefined) return
      if (event.data === '[DONE]') {
        done = true
        return
      }
      const chunk = parseChunk(event.data)
      if (chunk instanceof AppError) {
        failure = chunk
        return
      }
      if (chunk.text !== '' && finishReason === undefined) pieces.push(chunk.text)
      finishReason ??= chunk.finishReason
      if (chunk.usage !== undefined) {
        usage = chunk.usage
        finalUsage = finishReason !== undefined
      }
    }
  })
  return {
    feed (text) {
      parser.feed(text)
      if (failure !== undefined) throw failure
    },
    take: () => pieces.splice(0),
    // The text ends with a finish_reason; the usage, when asked for, comes with it or after it.
    ended: () => done || (finishReason !== undefined && (finalUsage || !includeUsage)),
    textEnded: () => finishReason !== undefined,
    cutShort: () => !done && finishReason === undefined,
    // A count from before the end, with no end seen after it, may be short: none is given then.
    end: () => ({ ...(finishReason === undefined ? {} : { finishReason }), ...(usage === undefined || !(finalUsage || done) ? {} : { usage }) })
  }
}
