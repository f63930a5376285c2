import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import ipaddr from 'ipaddr.js'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { StartupError } from './errors.js'

/** The default provider, which needs a key (`llmApiKey`); any other base URL (Ollama, vLLM, llama.cpp) may not. */
export const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1'

/**
 * Every setting, declared once: the schema gives defaults, validation and the `Config` type.
 * Keys are the environment variables' own names, so the README table, `.env` and code agree.
 */
const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
  WORKERS: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
  LOG_LEVEL: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], { default: 'info' }),
  DATA_DIR: Type.String({ default: './data' }),
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  MONGODB_DB: Type.String({ default: 'simplechat' }),
  // Put before every collection name, so several deployments (or test runs) share one database.
  MONGODB_COLLECTION_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: 40, default: '' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ACCESS_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 60 * 24 * 30, default: 60 }),
  LLM_BASE_URL: Type.String({ pattern: '^https?://', default: OPENROUTER_BASE_URL }),
  LLM_API_KEY: Type.Optional(Type.String()),
  OPENROUTER_API_KEY: Type.Optional(Type.String()),
  LLM_MODEL: Type.String({ minLength: 1, default: 'mistralai/mistral-7b-instruct' }),
  LLM_CONTEXT_TOKENS: Type.Optional(Type.Integer({ minimum: 256 })),
  LLM_MAX_TOKENS: Type.Integer({ minimum: 1, default: 1024 }),
  LLM_TIMEOUT_SECONDS: Type.Number({ exclusiveMinimum: 0, default: 60 }),
  // The most of one provider reply that is read; unset: derived from LLM_MAX_TOKENS (maxReplyBytes).
  LLM_MAX_REPLY_BYTES: Type.Optional(Type.Integer({ minimum: 1024 })),
  // Replies being generated at once, per process; one more is answered 503 llm_busy, never queued.
  LLM_MAX_CONCURRENT: Type.Integer({ minimum: 1, maximum: 100_000, default: 4000 }),
  // Offer HTTP/2 to an https provider (ALPN): many replies then share a few connections.
  LLM_HTTP2: Type.Boolean({ default: true }),
  // OpenRouter's optional attribution headers (https://openrouter.ai/docs/api-reference/overview#headers).
  LLM_HTTP_REFERER: Type.Optional(Type.String()),
  LLM_APP_TITLE: Type.String({ default: 'Simple chat' }),
  // How many of the user's latest records (user + ai) the provider sees before the new message.
  HISTORY_CONTEXT_MESSAGES: Type.Integer({ minimum: 0, maximum: 1000, default: 20 }),
  MAX_MESSAGE_CHARS: Type.Integer({ minimum: 1, default: 200_000 }),
  DAILY_MESSAGE_LIMIT: Type.Integer({ minimum: 1, default: 20 }),
  BURST_MESSAGE_LIMIT: Type.Integer({ minimum: 1, default: 3 }),
  BURST_WINDOW_SECONDS: Type.Number({ exclusiveMinimum: 0, default: 30 }),
  RATE_LIMIT_STATUS: Type.Union([Type.Literal(401), Type.Literal(429)], { default: 401 }),
  DAY_TIMEZONE: Type.String({ default: 'UTC' }),
  // Comma-separated origins allowed by CORS; unset keeps CORS closed.
  CORS_ORIGINS: Type.Optional(Type.String()),
  // Login throttling (README "Security"): failed logins per username and address, and per address.
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  LOGIN_WINDOW_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  LOGIN_MAX_FAILURES_PER_ADDRESS: Type.Integer({ minimum: 1, maximum: 10_000, default: 30 }),
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: Type.Integer({ minimum: 1, maximum: 10_000, default: 10 }),
  // Which proxies' X-Forwarded-For is believed: a number of hops, or their addresses/CIDRs; unset: none.
  TRUST_PROXY: Type.Optional(Type.String()),
  // On SIGTERM/SIGINT, replies in flight get this long to finish; streams still open a second
  // before the end get their error event, what arrived is stored, and the process exits.
  SHUTDOWN_GRACE_SECONDS: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 10 }),
  // Bearer token for GET /metrics; unset, /metrics answers 404.
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 }))
})

export type Config = Static<typeof ConfigSchema>

/** A setting is missing, malformed or out of range. */
export class InvalidConfigError extends StartupError {
  override name = 'InvalidConfigError'
}

/**
 * Reads the configuration from `env` plus a `.env` file in `cwd` (the real environment wins,
 * an empty value counts as unset). The only place that touches `process.env`.
 */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const merged: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...readDotenv(cwd), ...env })) {
    if (key in ConfigSchema.properties && value !== undefined && value !== '') merged[key] = value
  }
  const config = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, merged)) as unknown
  if (!Value.Check(ConfigSchema, config)) {
    const problems = [...Value.Errors(ConfigSchema, config)]
      .map((e) => `${e.instancePath.slice(1) || 'config'} ${e.message}`)
    throw new InvalidConfigError(`invalid configuration: ${problems.join('; ')}`)
  }
  if (!isTimeZone(config.DAY_TIMEZONE)) {
    throw new InvalidConfigError(`invalid configuration: DAY_TIMEZONE "${config.DAY_TIMEZONE}" is not an IANA time zone`)
  }
  // An origin with a path or without its scheme would silently never match a browser's Origin.
  const notOrigins = (corsOrigins(config) ?? []).filter((origin) => !isOrigin(origin))
  if (notOrigins.length > 0) {
    throw new InvalidConfigError(`invalid configuration: CORS_ORIGINS must list origins like https://chat.example (scheme, host, optional port); not ${notOrigins.map((o) => `"${o}"`).join(', ')}`)
  }
  const proxies = trustProxy(config)
  const notProxies = Array.isArray(proxies) ? proxies.filter((entry) => !isProxyEntry(entry)) : []
  if (notProxies.length > 0) {
    throw new InvalidConfigError('invalid configuration: TRUST_PROXY must be the number of proxies in front of the server, or their addresses or CIDR ranges ' +
      `(or loopback, linklocal, uniquelocal), comma-separated; not ${notProxies.map((p) => `"${p}"`).join(', ')}` +
      (notProxies.includes('true') ? ' ("true" would believe any client\'s X-Forwarded-For)' : ''))
  }
  return config
}

/**
 * Whose X-Forwarded-For is believed: nobody's (`false`), the nearest `n` proxies', or those at
 * these addresses (Fastify's `trustProxy`, through proxy-addr).
 */
export function trustProxy (config: Config): false | number | string[] {
  const value = config.TRUST_PROXY?.trim()
  if (value === undefined || value === '' || value === 'false') return false
  if (/^\d+$/.test(value)) return Number(value)
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
}

function isProxyEntry (entry: string): boolean {
  return ['loopback', 'linklocal', 'uniquelocal'].includes(entry) || ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry)
}

/**
 * Whether start-up errors may show their stack: LOG_LEVEL debug or trace, read without the rest of
 * the configuration (which may be what failed).
 */
export function wantsStacks (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): boolean {
  let level = env.LOG_LEVEL
  if (level === undefined || level === '') {
    try {
      level = readDotenv(cwd).LOG_LEVEL
    } catch {}
  }
  return level === 'debug' || level === 'trace'
}

/** The provider key under either of its names. */
export function llmApiKey (config: Config): string | undefined {
  return config.LLM_API_KEY ?? config.OPENROUTER_API_KEY
}

/**
 * LLM_MAX_REPLY_BYTES, or 1 KiB per reply token plus 64 KiB: a streamed token costs a whole SSE
 * frame (ids, model, choices; 150–400 bytes at OpenRouter), so this leaves room to spare.
 */
export function maxReplyBytes (config: Config): number {
  return config.LLM_MAX_REPLY_BYTES ?? config.LLM_MAX_TOKENS * 1024 + 64 * 1024
}

/** The origins CORS allows, or `undefined` to keep CORS closed. */
export function corsOrigins (config: Config): string[] | undefined {
  return config.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')
}

function isOrigin (origin: string): boolean {
  try {
    return new URL(origin).origin === origin
  } catch {
    return false
  }
}

function readDotenv (cwd: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(resolve(cwd, '.env')))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw err
  }
}

function isTimeZone (zone: string): boolean {
  try {
    Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
