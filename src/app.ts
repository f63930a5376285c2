import { randomUUID } from 'node:crypto'
import cors from '@fastify/cors'
import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import { loadJwtSecret } from './auth/secret.js'
import { createLoginThrottle, createRegistrationLimit } from './auth/throttles.js'
import { createTokenService, type TokenService } from './auth/tokens.js'
import { createChatService, type ChatService } from './chat/chat-service.js'
import { advancedPersona } from './chat/advanced-persona.js'
import { messagePersona } from './chat/message-persona.js'
import { corsOrigins, llmApiKey, maxReplyBytes, OPENROUTER_BASE_URL, trustProxy, type Config } from './config.js'
import { installDrain } from './http/drain.js'
import { answerClientError } from './http/client-error.js'
import { answerFrameworkError, installErrorHandler } from './http/error-handler.js'
import authPlugin from './http/plugins/auth.js'
import requestLog from './http/plugins/request-log.js'
import securityHeaders from './http/plugins/security-headers.js'
import swaggerPlugin from './http/plugins/swagger.js'
import { validatorCompiler } from './http/validator.js'
import webPlugin from './http/plugins/web.js'
import metricsPlugin from './http/plugins/metrics.js'
import openAiRoutes from './http/routes/openai.js'
import apiKeyRoutes from './http/routes/api-keys.js'
import accountRoutes from './http/routes/account.js'
import healthRoutes from './http/routes/health.js'
import historyRoutes from './http/routes/history.js'
import conversationRoutes from './http/routes/conversations.js'
import llmRoutes from './http/routes/llm.js'
import reportRoutes from './http/routes/report.js'
import tokenRoutes from './http/routes/token.js'
import userRoutes from './http/routes/users.js'
import { createQuotaPolicy, type QuotaPolicy } from './limits/quota.js'
import { createReportService } from './report/report-service.js'
import { createCapacity } from './llm/capacity.js'
import { createOpenAiClient } from './llm/openai-client.js'
import type { LlmClient } from './llm/types.js'
import { countChats, createMetrics, timeProvider, type Metrics } from './metrics/metrics.js'
import type { MiddleOutLog } from './middle-out/context-window.js'
import { createPromptFitter } from './middle-out/create-prompt-fitter.js'
import { createStore } from './storage/create-store.js'
import type { Store } from './domain/store.js'

export interface AppDeps {
  /** Epoch milliseconds; tests pass a controllable clock. */
  clock?: () => number
  store?: Store
  /** `null` forces "not configured". */
  llm?: LlmClient | null
  /** Where logs go (stdout by default); tests capture them. */
  logStream?: NodeJS.WritableStream
  /** A WORKERS process passes its own, whose text is the whole server's. */
  metrics?: Metrics
}

const REQUEST_ID = /^[\w.-]{1,64}$/

/** The app's own services, built once and handed to the routes that use them. */
interface Services {
  store: Store
  llm: LlmClient | null
  metrics: Metrics
  clock: () => number
  tokens: TokenService
  quota: QuotaPolicy
  chat: ChatService
}

type App = ReturnType<typeof createServer>

/** The one factory: builds the whole app from configuration; server and tests both use it. */
export async function buildApp (config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const clock = deps.clock ?? Date.now
  const app = createServer(config, deps.logStream)
  const store = deps.store ?? await createStore(config)
  const metrics = deps.metrics ?? createMetrics({ processMetrics: config.METRICS_TOKEN !== undefined })
  const provider = deps.llm !== undefined ? deps.llm : createLlm(config)
  const llm = provider === null ? null : timeProvider(provider, metrics)
  if (llm === null) app.log.warn('no LLM provider configured: set LLM_API_KEY (or OPENROUTER_API_KEY); chat answers 503 until then')
  const stopping = installDrain(app, config.SHUTDOWN_GRACE_SECONDS)
  app.addHook('onClose', async () => {
    await Promise.all([store.close(), llm?.close()])
  })

  const tokens = createTokenService(loadJwtSecret(config.JWT_SECRET, config.DATA_DIR), config.ACCESS_TOKEN_TTL_MINUTES * 60, clock)
  const quota = createQuotaPolicy({
    dailyLimit: config.DAILY_MESSAGE_LIMIT,
    burstLimit: config.BURST_MESSAGE_LIMIT,
    burstWindowSeconds: config.BURST_WINDOW_SECONDS,
    timeZone: config.DAY_TIMEZONE,
    refusalStatus: config.RATE_LIMIT_STATUS,
    pendingTimeoutMs: config.LLM_TIMEOUT_SECONDS * 1000 + 60_000
  })
  const chat = countChats(createChat(config, { store, llm, quota, clock, log: app.log }), metrics)
  await registerRoutes(app, config, { store, llm, metrics, clock, tokens, quota, chat }, stopping)
  return app
}

/** Fastify with the contract's options: request ids, body size, error shapes, trusted proxies. */
function createServer (config: Config, logStream: NodeJS.WritableStream | undefined) {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL, ...(logStream === undefined ? {} : { stream: logStream }) },
    // Fastify's own request lines are off: plugins/request-log.ts writes one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    // Room for MAX_MESSAGE_CHARS characters even when every one is JSON-escaped.
    bodyLimit: Math.max(1024 * 1024, config.MAX_MESSAGE_CHARS * 12 + 64 * 1024),
    // No client input may reach a 500 through a prototype-poisoned body.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // `POST /user` is `POST /user/` (the seed's path), and so for every route.
    routerOptions: { ignoreTrailingSlash: true },
    // Errors raised below the routes answer in the contract's shape too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // request.ip, which the login and registration throttles count by, honours only these proxies.
    trustProxy: proxyTrust(config)
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  installErrorHandler(app)
  return app
}

/** The chat service: the provider behind its slots, the prompt fitter, the limits, the personas. */
function createChat (config: Config, { store, llm, quota, clock, log }: Pick<Services, 'store' | 'llm' | 'quota' | 'clock'> & { log: MiddleOutLog }): ChatService {
  const fitter = createPromptFitter({
    model: config.LLM_MODEL,
    contextTokens: config.LLM_CONTEXT_TOKENS,
    maxTokens: config.LLM_MAX_TOKENS,
    listModels: (signal?: AbortSignal) => llm === null ? Promise.reject(new Error('no provider')) : llm.listModels(signal),
    log
  })
  // Per process: with WORKERS=n the server writes n × LLM_MAX_CONCURRENT replies at once.
  // Its llm_busy refusals are counted in /metrics (simplechat_limit_refusals_total{limit="llm_busy"}).
  const capacity = createCapacity(config.LLM_MAX_CONCURRENT)
  return createChatService({
    store,
    llm,
    capacity,
    fitter,
    quota,
    personas: { message: messagePersona, advanced: advancedPersona },
    clock,
    historyMessages: config.HISTORY_CONTEXT_MESSAGES
  })
}

/** Plugins, then routes, in the order they apply; a list reads better than autoload at this size. */
async function registerRoutes (app: App, config: Config, { store, llm, metrics, clock, tokens, quota, chat }: Services, stopping: AbortSignal): Promise<void> {
  await app.register(requestLog)
  await app.register(securityHeaders)
  // CORS stays closed (no Access-Control headers) unless CORS_ORIGINS names the allowed origins.
  const origins = corsOrigins(config)
  if (origins !== undefined) await app.register(cors, { origin: origins })
  await app.register(formbody)
  await app.register(swaggerPlugin)
  await app.register(webPlugin)
  await app.register(authPlugin, { tokens, users: store })
  await app.register(metricsPlugin, { metrics, token: config.METRICS_TOKEN })
  await app.register(healthRoutes, { store, llmConfigured: llm !== null })
  const throttle = createLoginThrottle({
    store,
    clock,
    maxFailures: config.LOGIN_MAX_FAILURES,
    maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowMs: config.LOGIN_WINDOW_MINUTES * 60_000
  })
  const registrations = createRegistrationLimit({ store, clock, perHour: config.REGISTRATIONS_PER_ADDRESS_PER_HOUR })
  await app.register(userRoutes, { store, registrations, clock })
  await app.register(tokenRoutes, { store, tokens, throttle, clock })
  await app.register(accountRoutes, { store, throttle })
  await app.register(apiKeyRoutes, { store, clock })
  await app.register(llmRoutes, { chat, maxMessageChars: config.MAX_MESSAGE_CHARS, rateLimitStatus: config.RATE_LIMIT_STATUS, stopping })
  await app.register(openAiRoutes, { chat, store, model: config.LLM_MODEL, clock, maxMessageChars: config.MAX_MESSAGE_CHARS, stopping })
  await app.register(historyRoutes, {
    store,
    quota,
    clock,
    limits: { daily: config.DAILY_MESSAGE_LIMIT, burst: config.BURST_MESSAGE_LIMIT, burstWindowSeconds: config.BURST_WINDOW_SECONDS },
    model: config.LLM_MODEL
  })
  await app.register(conversationRoutes, { store, clock })
  await app.register(reportRoutes, { reports: createReportService({ store, timeZone: config.DAY_TIMEZONE, clock }) })
}

/** Fastify's types take a hop count as a function (its own translation of a number). */
function proxyTrust (config: Config): false | string[] | ((address: string, hop: number) => boolean) {
  const trusted = trustProxy(config)
  return typeof trusted === 'number' ? (_address, hop) => hop < trusted : trusted
}

/** OpenRouter needs a key; any other base URL (Ollama, vLLM, llama.cpp) may not. */
function createLlm (config: Config): LlmClient | null {
  const apiKey = llmApiKey(config)
  if (apiKey === undefined && config.LLM_BASE_URL.replace(/\/+$/, '') === OPENROUTER_BASE_URL) return null
  return createOpenAiClient({
    baseUrl: config.LLM_BASE_URL,
    apiKey,
    model: config.LLM_MODEL,
    maxTokens: config.LLM_MAX_TOKENS,
    timeoutMs: config.LLM_TIMEOUT_SECONDS * 1000,
    maxReplyBytes: maxReplyBytes(config),
    maxConcurrent: config.LLM_MAX_CONCURRENT,
    http2: config.LLM_HTTP2,
    referer: config.LLM_HTTP_REFERER,
    title: config.LLM_APP_TITLE
  })
}
