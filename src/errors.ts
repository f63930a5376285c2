/**
 * Every error the API answers with, in one table: its code (the body's `error`), status and
 * default sentence (the body's `detail`) in English and in Simplified Chinese (`zh`, given to a
 * request with `Accept-Language: zh…`). Domain code throws `AppError`; the HTTP error handler
 * turns it into `{"error", "detail", ...extra}` in the request's language. A new code needs both
 * sentences (test/errors.test.ts fails without them).
 */
export const ERRORS = {
  invalid_json: { status: 400, detail: 'The request body is not valid JSON.', zh: '请求体不是有效的 JSON。' },
  bad_request: { status: 400, detail: 'The request could not be understood.', zh: '无法理解这个请求。' },
  malformed_request: { status: 400, detail: 'The request is not valid HTTP.', zh: '这个请求不是有效的 HTTP 请求。' },
  not_authenticated: { status: 401, detail: 'A valid Bearer token is required: log in at POST /token.', zh: '需要有效的 Bearer 令牌：请在 POST /token 登录。' },
  invalid_token: { status: 401, detail: 'The token is invalid or has expired: log in again at POST /token.', zh: '令牌无效或已过期：请在 POST /token 重新登录。' },
  invalid_credentials: { status: 401, detail: 'Incorrect username or password.', zh: '用户名或密码不正确。' },
  forbidden: { status: 403, detail: 'You can only act as the user your token belongs to.', zh: '只能以令牌所属的用户身份操作。' },
  api_key_not_found: { status: 404, detail: 'You have no API key with this id.', zh: '你没有这个 id 的 API 密钥。' },
  model_not_found: { status: 404, detail: 'This model is not served here; see GET /v1/models.', zh: '这里不提供这个模型；请先查看可用模型的列表。' },
  unsupported_parameter: { status: 400, detail: 'The request asks for something this server does not do.', zh: '请求要求了这个服务器不支持的功能。' },
  conversation_not_found: { status: 404, detail: 'You have no conversation with this id (it may have been deleted).', zh: '你没有这个 id 的对话（它可能已被删除）。' },
  not_found: { status: 404, detail: 'There is nothing at this address.', zh: '这个地址没有内容。' },
  method_not_allowed: { status: 405, detail: 'This method is not allowed here.', zh: '这里不允许使用这个请求方法。' },
  username_taken: { status: 409, detail: 'This username is already taken; try another.', zh: '这个用户名已被占用，请换一个。' },
  too_many_conversations: { status: 409, detail: 'You already have many empty conversations: write in one of them, or delete some, before starting another.', zh: '你已有很多空对话：请先在其中一个里发消息，或删除一些，再开始新的对话。' },
  request_timeout: { status: 408, detail: 'The request did not arrive in time.', zh: '请求没有及时到达。' },
  payload_too_large: { status: 413, detail: 'The request body is too large.', zh: '请求体太大。' },
  message_too_long: { status: 413, detail: 'The message is too long.', zh: '消息太长。' },
  unsupported_media_type: { status: 415, detail: 'Send the body as application/json.', zh: '请以 application/json 格式发送请求体。' },
  headers_too_large: { status: 431, detail: 'The request headers are too large.', zh: '请求头太大。' },
  validation_error: { status: 422, detail: 'The request does not match the schema.', zh: '请求不符合接口定义。' },
  // Status is configuration (RATE_LIMIT_STATUS); 401 is the seed's choice.
  daily_limit_exceeded: { status: 401, detail: 'You have reached the daily message limit.', zh: '今天的消息数量已达上限。' },
  burst_limit_exceeded: { status: 401, detail: 'You are sending messages too quickly.', zh: '发送消息太快了。' },
  too_many_login_attempts: { status: 429, detail: 'Too many failed logins for this username or from this address; wait before trying again.', zh: '这个用户名或这个地址登录失败次数过多，请稍后再试。' },
  too_many_registrations: { status: 429, detail: 'Too many new accounts from this address; wait before trying again.', zh: '这个地址创建的账号过多，请稍后再试。' },
  // nginx's convention for a client that left before the answer; it never reaches the client.
  client_closed_request: { status: 499, detail: 'The client closed the connection before the reply was ready.', zh: '回复准备好之前，客户端已关闭连接。' },
  internal_error: { status: 500, detail: 'Something went wrong on our side.', zh: '服务器出了问题。' },
  llm_error: { status: 502, detail: 'The language model provider returned an error.', zh: '语言模型服务返回了错误。' },
  llm_reply_too_large: { status: 502, detail: 'The language model provider sent a reply larger than LLM_MAX_REPLY_BYTES; it was not used.', zh: '语言模型服务的回复超过了 LLM_MAX_REPLY_BYTES，未被采用。' },
  llm_not_configured: { status: 503, detail: 'No language model provider is configured: set LLM_API_KEY (or OPENROUTER_API_KEY), or point LLM_BASE_URL at an OpenAI-compatible server.', zh: '没有配置语言模型服务：请设置 LLM_API_KEY（或 OPENROUTER_API_KEY），或让 LLM_BASE_URL 指向一个兼容 OpenAI 的服务器。' },
  // LLM_MAX_TOKENS leaves the prompt less room in LLM_CONTEXT_TOKENS than the smallest prompt needs.
  llm_context_too_small: { status: 503, detail: "The model's context window leaves no room for the prompt: an administrator needs to lower LLM_MAX_TOKENS or raise LLM_CONTEXT_TOKENS.", zh: '模型的上下文窗口没有给提示词留下空间：需要管理员调低 LLM_MAX_TOKENS 或调高 LLM_CONTEXT_TOKENS。' },
  // Our own cap (LLM_MAX_CONCURRENT) is reached: refused before the message is admitted.
  llm_busy: { status: 503, detail: 'Too many replies are being written right now; try again in a few seconds.', zh: '正在生成的回复太多，请过几秒再试。' },
  llm_rate_limited: { status: 503, detail: 'The language model provider is busy; try again shortly.', zh: '语言模型服务繁忙，请稍后再试。' },
  shutting_down: { status: 503, detail: 'The server is restarting; try again in a moment.', zh: '服务器正在重启，请稍后再试。' },
  storage_unavailable: { status: 503, detail: 'The database is unavailable; try again shortly.', zh: '数据库暂时不可用，请稍后再试。' },
  llm_timeout: { status: 504, detail: 'The language model provider did not answer in time.', zh: '语言模型服务没有及时回答。' }
} as const satisfies Record<string, { status: number, detail: string, zh: string }>

export type ErrorCode = keyof typeof ERRORS

/**
 * Sentences that say more than a code's default, with `{name}` placeholders, in both languages.
 * Thrown as `new AppError(code, { detail: sentence('key', { name: value }) })`.
 */
export const SENTENCES = {
  method_not_allowed_at: { en: '{path} does not answer {method}; it answers {allowed}.', zh: '{path} 不接受 {method} 请求，只接受 {allowed}。' },
  not_found_at: { en: 'There is nothing at {method} {path}; see /docs.', zh: '{method} {path} 没有内容；请参阅 /docs。' },
  invalid_request: { en: 'Invalid request: {reason}.', zh: '请求无效：{reason}。' },
  request_unreadable: { en: '{reason}.', zh: '无法读取请求：{reason}。' },
  openai_unsupported: { en: '{param} is not supported here: {reason}.', zh: '这里不支持 {param}：{reason}。' },
  // Reasons of openai_unsupported (client-messages.ts `unsupported`).
  openai_one_choice: { en: 'one choice per request', zh: '每次请求只生成一个回复' },
  openai_no_tools: { en: 'no tool calling', zh: '不支持工具调用' },
  openai_no_logprobs: { en: 'the provider\'s log-probabilities are not passed on', zh: '不转发模型的对数概率' },
  openai_free_text: { en: 'replies are free text', zh: '回复是自由文本' },
  openai_text_replies: { en: 'replies are text only', zh: '回复只有文字' },
  openai_roles: { en: 'only system, developer, user and assistant messages are (no tools)', zh: '只支持系统、开发者、用户和助手消息（不支持工具）' },
  openai_text_parts: { en: 'only text parts are', zh: '只支持文本内容' },
  openai_last_not_user: { en: 'Invalid request: the last message must be a user message with text.', zh: '请求无效：最后一条消息必须是带文字的用户消息。' },
  openai_unknown_model: { en: 'The model "{model}" is not served here; it serves {served} (GET /v1/models).', zh: '这里不提供模型“{model}”；可用的是 {served}。' },
  api_key_invalid: { en: 'The API key is not valid: it was revoked, or never issued.', zh: 'API 密钥无效：它已被撤销，或从未签发。' },
  api_keys_need_token: { en: 'API keys are managed with an access token from POST /token, not with an API key.', zh: 'API 密钥只能用 POST /token 得到的访问令牌管理，不能用 API 密钥管理。' },
  wrong_password: { en: 'The password is not right.', zh: '密码不正确。' },
  username_taken_named: { en: 'The username "{username}" is already taken; try another.', zh: '用户名“{username}”已被占用，请换一个。' },
  token_of_another_user: { en: 'This token belongs to "{owner}"; it cannot send messages as "{username}".', zh: '这个令牌属于“{owner}”，不能以“{username}”的身份发送消息。' },
  title_invalid: { en: 'Invalid title: it is {reason}.', zh: '标题无效：{reason}。' },
  message_empty: { en: 'Invalid request: the message is empty.', zh: '请求无效：消息是空的。' },
  message_not_unicode: { en: 'Invalid request: the message is not well-formed Unicode (a lone surrogate).', zh: '请求无效：消息不是格式正确的 Unicode（含有孤立的代理字符）。' },
  message_longer_than: { en: 'The message is longer than {max} characters.', zh: '消息超过了 {max} 个字符。' },
  daily_limit_reached: {
    en: 'You have sent {limit} messages today, the daily limit; it resets at midnight ({zone}), in {wait} s.',
    zh: '今天已发送 {limit} 条消息，达到每日上限；上限在午夜（{zone}）重置，{wait} 秒后可以再发。'
  },
  burst_limit_reached: { en: 'At most {limit} messages per {window} s; try again in {wait} s.', zh: '每 {window} 秒最多 {limit} 条消息；{wait} 秒后可以再发。' },
  context_too_small: {
    en: "The model's context window leaves only {budget} tokens for the prompt after LLM_MAX_TOKENS; at least {minimum} are needed: lower LLM_MAX_TOKENS or raise LLM_CONTEXT_TOKENS.",
    zh: '扣除 LLM_MAX_TOKENS 后，模型的上下文窗口只给提示词留下 {budget} 个 token，至少需要 {minimum} 个：请调低 LLM_MAX_TOKENS 或调高 LLM_CONTEXT_TOKENS。'
  },
  provider_not_json: { en: 'The language model provider sent a response that is not valid JSON.', zh: '语言模型服务返回的响应不是有效的 JSON。' },
  provider_stream_cut: { en: 'The language model provider ended the stream before the reply was complete.', zh: '回复还没完成，语言模型服务就结束了数据流。' },
  provider_no_choices: { en: 'The language model provider sent no reply (no choices in its response).', zh: '语言模型服务没有给出回复（响应中没有 choices）。' },
  provider_event_not_json: { en: 'The language model provider sent a stream event that is not valid JSON.', zh: '语言模型服务发送的流事件不是有效的 JSON。' },
  provider_failed_mid_stream: { en: 'The language model provider failed mid-stream.', zh: '语言模型服务在传输途中出错。' },
  provider_unreachable: { en: 'Could not reach the language model provider.', zh: '无法连接语言模型服务。' },
  provider_rate_limiting: {
    en: 'The language model provider is rate-limiting requests (it answered 429); try again in {wait} s.',
    zh: '语言模型服务正在限制请求频率（返回了 429）；{wait} 秒后再试。'
  },
  reply_larger_than: { en: 'The language model provider sent a reply larger than {limit} bytes; it was not used.', zh: '语言模型服务的回复超过了 {limit} 字节，未被采用。' },
  provider_answered: { en: 'The language model provider answered {status}.', zh: '语言模型服务返回了 {status}。' }
} as const satisfies Record<string, { en: string, zh: string }>

/** The languages of `detail`: English, and Simplified Chinese. */
export type Language = 'en' | 'zh'

/** A sentence in both languages. */
export type Detail = Record<Language, string>

/** A sentence of `SENTENCES` with its placeholders filled in (values are inserted as they are). */
export function sentence (key: keyof typeof SENTENCES, values: Record<string, string | number> = {}): Detail {
  const fill = (template: string): string => template.replace(/\{(\w+)\}/g, (whole, name: string) => name in values ? String(values[name]) : whole)
  return { en: fill(SENTENCES[key].en), zh: fill(SENTENCES[key].zh) }
}

export interface AppErrorOptions {
  /** A sentence in both languages, or an English one (Chinese then falls back to the code's). */
  detail?: Detail | string
  status?: number
  /** Extra body fields, e.g. `retry_after`. */
  extra?: Record<string, unknown>
  headers?: Record<string, string>
  cause?: unknown
}

export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  readonly status: number
  /** The English sentence. */
  readonly detail: string
  readonly extra: Record<string, unknown>
  readonly headers: Record<string, string>
  readonly #zh: string

  constructor (code: ErrorCode, options: AppErrorOptions = {}) {
    const given = options.detail
    const detail = typeof given === 'string' ? given : given?.en ?? ERRORS[code].detail
    super(detail, { cause: options.cause })
    this.code = code
    this.status = options.status ?? ERRORS[code].status
    this.detail = detail
    this.#zh = typeof given === 'object' ? given.zh : ERRORS[code].zh
    this.extra = options.extra ?? {}
    this.headers = options.headers ?? {}
  }

  /** The sentence in `language`. */
  detailIn (language: Language): string {
    return language === 'zh' ? this.#zh : this.detail
  }

  toBody (language: Language = 'en'): Record<string, unknown> {
    return { error: this.code, detail: this.detailIn(language), ...this.extra }
  }
}

/**
 * What stops the server from starting (a setting, a file, the database): its message is the one
 * line the operator is shown, naming what to fix (`process/startup-error.ts`).
 */
export class StartupError extends Error {
  override name = 'StartupError'
}

/** Seconds a client is asked to wait after `storage_unavailable`: a retry then usually finds the database back. */
const STORAGE_RETRY_AFTER_SECONDS = 5

/** The database did not answer (unreachable, locked, or no primary within the deadline): 503 with `Retry-After`. */
export function storageUnavailable (cause: unknown): AppError {
  const wait = STORAGE_RETRY_AFTER_SECONDS
  return new AppError('storage_unavailable', { cause, extra: { retry_after: wait }, headers: { 'retry-after': String(wait) } })
}
