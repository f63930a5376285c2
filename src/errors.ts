/**
 * Every error the API answers with, in one table: its code (the body's `error`), status and
 * default sentence (the body's `detail`). Domain code throws `AppError`; the HTTP error handler
 * turns it into `{"error", "detail", ...extra}`.
 */
export const ERRORS = {
  invalid_json: { status: 400, detail: 'The request body is not valid JSON.' },
  bad_request: { status: 400, detail: 'The request could not be understood.' },
  not_authenticated: { status: 401, detail: 'A valid Bearer token is required: log in at POST /token.' },
  invalid_token: { status: 401, detail: 'The token is invalid or has expired: log in again at POST /token.' },
  invalid_credentials: { status: 401, detail: 'Incorrect username or password.' },
  forbidden: { status: 403, detail: 'You can only act as the user your token belongs to.' },
  not_found: { status: 404, detail: 'There is nothing at this address.' },
  method_not_allowed: { status: 405, detail: 'This method is not allowed here.' },
  username_taken: { status: 409, detail: 'This username is already taken; try another.' },
  payload_too_large: { status: 413, detail: 'The request body is too large.' },
  message_too_long: { status: 413, detail: 'The message is too long.' },
  unsupported_media_type: { status: 415, detail: 'Send the body as application/json.' },
  validation_error: { status: 422, detail: 'The request does not match the schema.' },
  // Status is configuration (RATE_LIMIT_STATUS); 401 is the seed's choice.
  daily_limit_exceeded: { status: 401, detail: 'You have reached the daily message limit.' },
  burst_limit_exceeded: { status: 401, detail: 'You are sending messages too quickly.' },
  too_many_login_attempts: { status: 429, detail: 'Too many failed logins for this username; wait before trying again.' },
  // nginx's convention for a client that left before the answer; it never reaches the client.
  client_closed_request: { status: 499, detail: 'The client closed the connection before the reply was ready.' },
  internal_error: { status: 500, detail: 'Something went wrong on our side.' },
  llm_error: { status: 502, detail: 'The language model provider returned an error.' },
  llm_reply_too_large: { status: 502, detail: 'The language model provider sent a reply larger than LLM_MAX_REPLY_BYTES; it was not used.' },
  llm_not_configured: { status: 503, detail: 'No language model provider is configured: set LLM_API_KEY (or OPENROUTER_API_KEY), or point LLM_BASE_URL at an OpenAI-compatible server.' },
  llm_rate_limited: { status: 503, detail: 'The language model provider is busy; try again shortly.' },
  storage_unavailable: { status: 503, detail: 'The database is unavailable; try again shortly.' },
  llm_timeout: { status: 504, detail: 'The language model provider did not answer in time.' }
} as const satisfies Record<string, { status: number, detail: string }>

export type ErrorCode = keyof typeof ERRORS

export interface AppErrorOptions {
  detail?: string
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
  readonly detail: string
  readonly extra: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor (code: ErrorCode, options: AppErrorOptions = {}) {
    const detail = options.detail ?? ERRORS[code].detail
    super(detail, { cause: options.cause })
    this.code = code
    this.status = options.status ?? ERRORS[code].status
    this.detail = detail
    this.extra = options.extra ?? {}
    this.headers = options.headers ?? {}
  }

  toBody (): Record<string, unknown> {
    return { error: this.code, detail: this.detail, ...this.extra }
  }
}
