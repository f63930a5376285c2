import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidConfigError, corsOrigins, llmApiKey, loadConfig, trustProxy } from '../src/config.js'

let cwd: string
beforeEach(async () => { cwd = await mkdtemp(join(tmpdir(), 'simple-chat-config-')) })
afterEach(async () => { await rm(cwd, { recursive: true, force: true }) })

describe('loadConfig', () => {
  it('has the SPEC defaults', () => {
    expect(loadConfig({}, cwd)).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8000,
      DATA_DIR: './data',
      MONGODB_DB: 'simplechat',
      ACCESS_TOKEN_TTL_MINUTES: 60,
      LLM_BASE_URL: 'https://openrouter.ai/api/v1',
      LLM_MODEL: 'mistralai/mistral-7b-instruct',
      LLM_MAX_TOKENS: 1024,
      LLM_TIMEOUT_SECONDS: 60,
      LLM_MAX_CONCURRENT: 4000,
      LLM_HTTP2: true,
      MAX_MESSAGE_CHARS: 200000,
      DAILY_MESSAGE_LIMIT: 20,
      BURST_MESSAGE_LIMIT: 3,
      BURST_WINDOW_SECONDS: 30,
      RATE_LIMIT_STATUS: 401,
      DAY_TIMEZONE: 'UTC',
      LOGIN_MAX_FAILURES: 5,
      LOGIN_WINDOW_MINUTES: 15,
      LOGIN_MAX_FAILURES_PER_ADDRESS: 30,
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: 10
    })
    expect(trustProxy(loadConfig({}, cwd))).toBe(false)
  })

  it('reads .env, lets the real environment win, and treats empty values as unset', async () => {
    await writeFile(join(cwd, '.env'), 'PORT=9000\nDAILY_MESSAGE_LIMIT=5\nOPENROUTER_API_KEY=sk-from-dotenv\nLLM_MODEL=\n')
    const config = loadConfig({ PORT: '9100', LLM_MODEL: '', UNRELATED: 'x' }, cwd)
    expect(config.PORT).toBe(9100)
    expect(config.DAILY_MESSAGE_LIMIT).toBe(5)
    expect(config.LLM_MODEL).toBe('mistralai/mistral-7b-instruct')
    expect(llmApiKey(config)).toBe('sk-from-dotenv')
    expect(llmApiKey(loadConfig({ LLM_API_KEY: 'sk-main', OPENROUTER_API_KEY: 'sk-other' }, cwd))).toBe('sk-main')
  })

  it('reads .env as operators write it: comments, quotes, export, CRLF, a stray line without =', async () => {
    // Node 20's util.parseEnv reads "TYPO\nPORT=9000" as one key "TYPO\nPORT", losing PORT: dotenv does not.
    await writeFile(join(cwd, '.env'), [
      '# provider', 'export LLM_MODEL="openai/gpt-4o # not a comment"', "LLM_APP_TITLE='My chat' # a comment",
      'TYPO', 'PORT=9000', 'LLM_HTTP_REFERER=https://chat.example/?a=1&b=2', 'DAY_TIMEZONE = Asia/Shanghai  ', ''
    ].join('\r\n'))
    expect(loadConfig({}, cwd)).toMatchObject({
      LLM_MODEL: 'openai/gpt-4o # not a comment',
      LLM_APP_TITLE: 'My chat',
      PORT: 9000,
      LLM_HTTP_REFERER: 'https://chat.example/?a=1&b=2',
      DAY_TIMEZONE: 'Asia/Shanghai'
    })
  })

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ RATE_LIMIT_STATUS: '500' }, /RATE_LIMIT_STATUS/],
    [{ DAY_TIMEZONE: 'Mars/Olympus' }, /DAY_TIMEZONE/],
    [{ LLM_BASE_URL: 'ftp://x' }, /LLM_BASE_URL/],
    [{ MONGODB_URI: 'postgres://x' }, /MONGODB_URI/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ DAILY_MESSAGE_LIMIT: '0' }, /DAILY_MESSAGE_LIMIT/],
    [{ LLM_MAX_CONCURRENT: '0' }, /LLM_MAX_CONCURRENT/],
    [{ LLM_HTTP2: 'maybe' }, /LLM_HTTP2/],
    [{ CORS_ORIGINS: 'https://chat.example, chat.example, https://x.example/app' }, /CORS_ORIGINS[^]*"chat.example", "https:\/\/x.example\/app"/],
    [{ LOGIN_MAX_FAILURES: '0' }, /LOGIN_MAX_FAILURES/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY[^]*believe any client/],
    [{ TRUST_PROXY: '10.0.0.1, proxy.example, 10.0.0.0/33' }, /TRUST_PROXY[^]*"proxy.example", "10.0.0.0\/33"/]
  ])('refuses %o with a readable error', (env, pattern) => {
    expect(() => loadConfig(env, cwd)).toThrow(InvalidConfigError)
    expect(() => loadConfig(env, cwd)).toThrow(pattern)
  })

  it('reads LLM_HTTP2 as a boolean', () => {
    expect(loadConfig({ LLM_HTTP2: 'false' }, cwd).LLM_HTTP2).toBe(false)
    expect(loadConfig({ LLM_HTTP2: '0' }, cwd).LLM_HTTP2).toBe(false)
  })

  it('reads CORS_ORIGINS as a list of origins, and leaves CORS closed without it', () => {
    expect(corsOrigins(loadConfig({ CORS_ORIGINS: ' https://chat.example ,http://localhost:5173,' }, cwd))).toEqual(['https://chat.example', 'http://localhost:5173'])
    expect(corsOrigins(loadConfig({}, cwd))).toBeUndefined()
  })

  it('reads TRUST_PROXY as a hop count or a list of proxies', () => {
    expect(trustProxy(loadConfig({ TRUST_PROXY: '1' }, cwd))).toBe(1)
    expect(trustProxy(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }, cwd))).toEqual(['loopback', '10.0.0.0/8', '::1'])
    expect(trustProxy(loadConfig({ TRUST_PROXY: 'false' }, cwd))).toBe(false)
  })
})
