import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'
import type { ChatService } from '../chat/chat-service.js'
import { AppError } from '../errors.js'
import type { LlmClient } from '../llm/types.js'

/** The refusals counted in `simplechat_limit_refusals_total{limit}`, by error code. */
const LIMITS: Record<string, string> = {
  daily_limit_exceeded: 'daily',
  burst_limit_exceeded: 'burst',
  llm_busy: 'llm_busy'
}

/**
 * The Prometheus metrics of one app (SPEC "Operations"), in a registry of its own: tests build many
 * apps in one process. Counting hooks in from outside: the chat service and the provider client are
 * wrapped (`countChats`, `timeProvider`), the HTTP histogram is a hook (plugins/metrics.ts).
 */
export interface Metrics {
  readonly registry: Registry
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>
  readonly provider: Histogram<'outcome'>
  readonly cuts: Counter
  readonly removed: Counter
  /** The exposition text: this process's, or with WORKERS the whole server's (set by the worker). */
  text: () => Promise<string>
  /** A chat message ended: `undefined` for answered, else what it failed or was refused with. */
  chatEnded (endpoint: string, err?: unknown): void
}

export function createMetrics ({ processMetrics }: { processMetrics: boolean }): Metrics {
  const registry = new Registry()
  // The process's CPU, memory, event loop and GC; only when /metrics can be read (their collectors
  // watch the event loop and GC for as long as the process lives).
  if (processMetrics) collectDefaultMetrics({ register: registry })
  const chats = new Counter({
    name: 'simplechat_chat_messages_total',
    help: 'Chat messages by endpoint and outcome: answered, or the error code it ended with (refusals included; client_closed_request and shutting_down store what arrived as incomplete).',
    labelNames: ['endpoint', 'outcome'],
    registers: [registry]
  })
  const refusals = new Counter({
    name: 'simplechat_limit_refusals_total',
    help: 'Messages refused before admission, by limit: daily, burst, llm_busy.',
    labelNames: ['limit'],
    registers: [registry]
  })
  const provider = new Histogram({
    name: 'simplechat_provider_request_duration_seconds',
    help: 'Provider chat-completion calls, from request to the last byte, by outcome (ok or error).',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers: [registry]
  })
  const cuts = new Counter({ name: 'simplechat_middle_out_cuts_total', help: 'Prompts middle-out had to cut to fit the context window.', registers: [registry] })
  const removed = new Counter({ name: 'simplechat_middle_out_removed_tokens_total', help: 'Tokens middle-out removed from prompts.', registers: [registry] })
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route (the pattern, "unmatched" for none) and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry]
  })

  return {
    registry,
    httpDuration,
    provider,
    cuts,
    removed,
    text: async () => await registry.metrics(),
    chatEnded (endpoint, err) {
      if (err === undefined) return chats.inc({ endpoint, outcome: 'answered' })
      const code = err instanceof AppError ? err.code : 'internal_error'
      chats.inc({ endpoint, outcome: code })
      const limit = LIMITS[code]
      if (limit !== undefined) refusals.inc({ limit })
    }
  }
}

/** The chat service, counting how each message ends and what middle-out cut. */
export function countChats (chat: ChatService, metrics: Metrics): ChatService {
  const { cuts, removed } = metrics
  return {
    async begin (input) {
      const turn = await chat.begin(input).catch((err: unknown) => {
        metrics.chatEnded(input.endpoint, err)
        throw err
      })
      return {
        async run (onDelta) {
          try {
            const result = await turn.run(onDelta)
            metrics.chatEnded(input.endpoint)
            if (result.middleOut !== null) {
              cuts.inc()
              removed.inc(result.middleOut.removedTokens)
            }
            return result
          } catch (err) {
            metrics.chatEnded(input.endpoint, err)
            throw err
          }
        }
      }
    }
  }
}

/** The provider client, timing each chat completion (a stream until its last piece). */
export function timeProvider (llm: LlmClient, metrics: Metrics): LlmClient {
  const { provider } = metrics
  return {
    model: llm.model,
    listModels: (signal) => llm.listModels(signal),
    close: () => llm.close(),
    async complete (request) {
      const end = provider.startTimer()
      try {
        const completion = await llm.complete(request)
        end({ outcome: 'ok' })
        return completion
      } catch (err) {
        end({ outcome: 'error' })
        throw err
      }
    },
    async * stream (request) {
      const end = provider.startTimer()
      let outcome = 'error'
      try {
        const ending = yield * llm.stream(request)
        outcome = 'ok'
        return ending
      } finally {
        end({ outcome })
      }
    }
  }
}
