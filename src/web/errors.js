// The page's errors: what the API answered (its `error` code, see src/errors.ts), or a failure that
// never reached it. The sentence a person reads comes from the catalogue (`error.<code>`), in the
// page's language; a code the page does not know yet shows the server's own sentence.

import { LANGUAGES, language, t } from './i18n.js'

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
    /** When it happened: a wait (`retryAfter`) counts from here. */
    this.at = Date.now()
  }
}

/** Codes that mean "log in again": the token is missing, bad or expired. */
export const SESSION_CODES = new Set(['not_authenticated', 'invalid_token'])
/** Codes of a refused message, with a wait before the next one. */
export const LIMIT_CODES = new Set(['daily_limit_exceeded', 'burst_limit_exceeded'])
/** Codes after which the message is kept in history as failed (the provider was asked and failed). */
export const PROVIDER_CODES = new Set(['llm_error', 'llm_reply_too_large', 'llm_rate_limited', 'llm_timeout', 'stream_interrupted'])
/** The page's own codes, for failures that are not an API answer. */
export const PAGE_CODES = ['network_error', 'bad_response', 'stream_interrupted', 'session_expired']

/** The sentence for an error of any kind, in the page's language. */
export function describeError (err) {
  if (!(err instanceof ApiError)) return t('error.bad_response', { detail: String(err?.message ?? err) })
  // A code this page does not know yet: the server's sentence is still meant for people.
  if (!(`error.${err.code}` in LANGUAGES[language()].catalogue)) return err.detail
  return t(`error.${err.code}`, err)
}
