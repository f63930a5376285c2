// What the page says for every error the API can give (the codes of src/errors.ts), plus the
// failures that never reach the API. The server's own `detail` is shown too when it says more.

import { describeDuration } from './dom.js'

/** An error answer of the API, or a failure on the way to it. */
export class ApiError extends Error {
  /**
   * @param {string} code the body's `error`, or one of the page's own codes below
   * @param {string} detail the server's sentence (or the page's)
   * @param {{ status?: number, retryAfter?: number|null, midStream?: boolean }} [more]
   */
  constructor (code, detail, more = {}) {
    super(detail)
    this.name = 'ApiError'
    this.code = code
    this.detail = detail
    this.status = more.status ?? 0
    this.retryAfter = more.retryAfter ?? null
    this.midStream = more.midStream ?? false
  }
}

/** Codes that mean "log in again": the token is missing, bad or expired. */
export const SESSION_CODES = new Set(['not_authenticated', 'invalid_token'])
/** Codes of a refused message, with a wait before the next one. */
export const LIMIT_CODES = new Set(['daily_limit_exceeded', 'burst_limit_exceeded'])
/** Codes after which the message is kept in history as failed (the provider was asked and failed). */
export const PROVIDER_CODES = new Set(['llm_error', 'llm_rate_limited', 'llm_timeout', 'stream_interrupted'])

const wait = (e) => e.retryAfter === null ? '' : ` Try again in ${describeDuration(e.retryAfter)}.`
const notCounted = 'It did not count against your limits.'

/**
 * One function per code: the sentence a person reads. `detail` is the server's sentence.
 * Keys cover every code of src/errors.ts (a test checks it) and the page's own failures.
 */
export const MESSAGES = {
  invalid_json: (e) => `The server could not read what the page sent (${e.detail}) Reload the page and try again.`,
  bad_request: (e) => `The server could not understand the request: ${e.detail} Reload the page and try again.`,
  not_authenticated: () => 'You are not logged in, or your session has ended. Please log in again.',
  invalid_token: () => 'Your session has expired. Please log in again.',
  invalid_credentials: () => 'Incorrect username or password.',
  forbidden: (e) => `Not allowed: ${e.detail}`,
  not_found: (e) => `The server has nothing at that address: ${e.detail}`,
  method_not_allowed: (e) => `The server refused the request method: ${e.detail}`,
  username_taken: () => 'This username is already taken (names are the same whatever their case). Choose another one.',
  payload_too_large: () => 'That is too much to send at once. Shorten the message and try again.',
  message_too_long: (e) => `Your message is too long: ${e.detail} Shorten it and try again.`,
  unsupported_media_type: (e) => `The server could not read what the page sent: ${e.detail} Reload the page and try again.`,
  validation_error: (e) => `The server did not accept this: ${e.detail.replace(/^Invalid request: /, '')}`,
  // The wait itself is shown by a live countdown beside the message box, so these leave it out.
  daily_limit_exceeded: (e) => {
    const zone = /midnight \(([^)]+)\)/.exec(e.detail)?.[1]
    return `You have reached today's message limit. It resets at midnight${zone === undefined ? '' : ` (${zone} time)`}.`
  },
  burst_limit_exceeded: (e) => {
    const rule = /at most [^;]+/i.exec(e.detail)?.[0].replace(/\.$/, '')
    return `You are sending messages too quickly${rule === undefined ? '' : ` (${rule.toLowerCase()})`}.`
  },
  too_many_login_attempts: (e) => `Too many failed logins for this username.${wait(e) || ' Wait a little before trying again.'}`,
  internal_error: () => 'Something went wrong on the server. Please try again.',
  llm_error: (e) => `The AI provider returned an error, so there is no reply. ${notCounted} (${e.detail})`,
  llm_not_configured: () => 'Chat is not available yet: the server has no AI provider configured. An administrator needs to set LLM_API_KEY (or LLM_BASE_URL).',
  llm_rate_limited: (e) => `The AI provider is busy, so there is no reply. ${notCounted}${wait(e) || ' Try again shortly.'}`,
  storage_unavailable: () => 'The database is unavailable right now. Please try again shortly.',
  client_closed_request: () => 'The request was cancelled before it finished.',
  llm_timeout: () => `The AI provider did not answer in time, so there is no reply. ${notCounted} Try again.`,
  // The page's own codes.
  network_error: () => 'Cannot reach the server. Check your connection and try again.',
  bad_response: (e) => `The server gave an unexpected answer (${e.detail}). Please try again.`,
  stream_interrupted: () => 'The reply was cut off before it finished. Try again.',
  session_expired: () => 'Your session has expired. Please log in again.'
}

/** The sentence for an error of any kind. */
export function describeError (err) {
  if (!(err instanceof ApiError)) return MESSAGES.bad_response({ detail: String(err?.message ?? err) })
  const message = MESSAGES[err.code]
  // A code this page does not know yet: the server's sentence is still meant for people.
  return message === undefined ? err.detail : message(err)
}
