import { PassThrough } from 'node:stream'
import type { FastifyReply } from 'fastify'

/**
 * A server-sent event stream as the reply body. Each event is one `event:` and one `data:` line of
 * JSON (JSON.stringify never emits a raw newline, so one data line always suffices).
 */
export interface EventStream {
  send (event: string, data: unknown): void
  /** An unnamed event (OpenAI's stream): one `data:` line, JSON, or the text as given. */
  data (data: unknown): void
  end (): void
}

export function openEventStream (reply: FastifyReply): EventStream {
  const body = new PassThrough()
  // Node holds a streamed response's headers until its first byte, and the first event may be many
  // seconds away (the provider's first token): the client gets them as soon as Fastify pipes.
  reply.raw.once('pipe', () => { reply.raw.flushHeaders() })
  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    // Tells nginx-style proxies not to buffer the stream.
    .header('x-accel-buffering', 'no')
    .send(body)
  return {
    send (event, data) {
      if (!body.writableEnded) body.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    },
    data (data) {
      if (!body.writableEnded) body.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
    },
    end () {
      body.end()
    }
  }
}

/** Whether the client asked for a stream (`Accept: text/event-stream`). */
export function wantsEventStream (accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept)
}
