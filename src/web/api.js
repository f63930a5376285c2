/* global fetch, TextDecoder, URLSearchParams */
// The API as the page uses it (same origin, so no CORS and no request leaves the machine).
// Every failure becomes an ApiError with the server's `error` code, or one of the page's own.

import { ApiError } from './errors.js'
import { language } from './i18n.js'
import { createSseParser } from './sse.js'

/** `Retry-After` in seconds: the body's `retry_after`, else the header (seconds or an HTTP date). */
function retryAfterOf (res, body) {
  if (Number.isFinite(body?.retry_after)) return body.retry_after
  const header = res.headers.get('retry-after')
  if (header === null) return null
  if (/^\d+$/.test(header.trim())) return Number(header)
  const at = Date.parse(header)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

async function errorOf (res) {
  let body = null
  try {
    body = await res.json()
  } catch {}
  if (typeof body?.error !== 'string') {
    return new ApiError('bad_response', `HTTP ${res.status}${res.statusText === '' ? '' : ` ${res.statusText}`}`, { status: res.status })
  }
  return new ApiError(body.error, typeof body.detail === 'string' ? body.detail : '', { status: res.status, retryAfter: retryAfterOf(res, body) })
}

async function call (path, { method = 'GET', token, json, form, accept = 'application/json', signal } = {}) {
  // The server's sentences (`detail`) in the page's language, whatever the browser's own is.
  const headers = { accept, 'accept-language': language() }
  if (token !== undefined) headers.authorization = `Bearer ${token}`
  let body
  if (json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(json)
  } else if (form !== undefined) {
    body = new URLSearchParams(form)
  }
  let res
  try {
    res = await fetch(path, { method, headers, body, signal, cache: 'no-store' })
  } catch (err) {
    if (err?.name === 'AbortError') throw err
    throw new ApiError('network_error', String(err?.message ?? err))
  }
  if (!res.ok) throw await errorOf(res)
  return res
}

async function jsonOf (res) {
  try {
    return await res.json()
  } catch {
    throw new ApiError('bad_response', `HTTP ${res.status}, not JSON`, { status: res.status })
  }
}

export async function register (username, password) {
  return jsonOf(await call('/user/', { method: 'POST', json: { username, password } }))
}

/** OAuth2 password form, as the API documents it. */
export async function logIn (username, password) {
  return jsonOf(await call('/token', { method: 'POST', form: { grant_type: 'password', username, password } }))
}

export async function status (token) {
  return jsonOf(await call('/user/status', { token }))
}

/** Your last `n` records (1–1000), oldest first. */
export async function history (token, n) {
  return jsonOf(await call(`/user/history/${Math.min(1000, Math.max(1, n))}`, { token }))
}

/** The last `n` records (1–1000) of one conversation, oldest first. */
export async function conversationHistory (token, id, n) {
  return jsonOf(await call(`/conversations/${encodeURIComponent(id)}/history/${Math.min(1000, Math.max(1, n))}`, { token }))
}

/** Your conversations, most recently used first; with `query`, those whose title contains it. */
export async function conversations (token, query = '') {
  return jsonOf(await call(`/conversations${query === '' ? '' : `?q=${encodeURIComponent(query)}`}`, { token }))
}

export async function createConversation (token) {
  return jsonOf(await call('/conversations', { method: 'POST', token, json: {} }))
}

export async function renameConversation (token, id, title) {
  return jsonOf(await call(`/conversations/${encodeURIComponent(id)}`, { method: 'PATCH', token, json: { title } }))
}

export async function deleteConversation (token, id) {
  await call(`/conversations/${encodeURIComponent(id)}`, { method: 'DELETE', token })
}

/** The report over `days` days, its written summary in `language` (`en` or `zh`). */
export async function report (token, days, language) {
  return jsonOf(await call(`/user/report?days=${encodeURIComponent(days)}&language=${language}`, { token }))
}

/**
 * Sends a message (to `conversationId`, or null: the server's choice). Asks for a stream
 * (`Accept: text/event-stream`) and calls `onDelta` with each piece as it arrives; a server that
 * answers plain JSON gets its whole reply as one piece. `onAdmitted` is called once the server has
 * admitted the message (its answer began). Resolves with `{ response, conversation_id?,
 * middle_out? }`; refusals before the stream are ordinary JSON errors, failures during it come as an
 * `error` event (both throw an ApiError, the latter with `midStream`).
 */
export async function sendMessage ({ token, text, caring, conversationId = null, signal, onAdmitted = () => {}, onDelta }) {
  const json = conversationId === null ? { message: text } : { message: text, conversation_id: conversationId }
  const res = await call(caring ? '/llm/message/advanced' : '/llm/message', {
    method: 'POST', token, json, accept: 'text/event-stream', signal
  })
  onAdmitted()
  const type = res.headers.get('content-type') ?? ''
  if (!type.startsWith('text/event-stream')) {
    const reply = await jsonOf(res)
    if (typeof reply?.response !== 'string') throw new ApiError('bad_response', 'no "response" in the reply', { status: res.status })
    onDelta(reply.response)
    return reply
  }
  return readStream(res, onDelta)
}

async function readStream (res, onDelta) {
  let result = null
  let failure = null
  const parser = createSseParser(({ event, data }) => {
    if (result !== null || failure !== null) return
    let payload
    try {
      payload = JSON.parse(data)
    } catch {
      failure = new ApiError('bad_response', `an unreadable "${event}" event`, { midStream: true })
      return
    }
    if (event === 'delta' && typeof payload.text === 'string') onDelta(payload.text)
    else if (event === 'done') result = payload
    else if (event === 'error') failure = new ApiError(payload.error ?? 'llm_error', payload.detail ?? '', { status: res.status, midStream: true, retryAfter: payload.retry_after ?? null })
  })
  const reader = res.body.getReader()
  // `stream: true` keeps a multi-byte character (Chinese, emoji) split across chunks whole.
  const decoder = new TextDecoder()
  try {
    // Read to the end even after `done`: the server closes the stream once the reply is stored,
    // and hanging up early would look like a client that left.
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parser.push(decoder.decode(value, { stream: true }))
    }
    parser.push(decoder.decode())
    parser.end()
  } catch (err) {
    if (result !== null || failure !== null) return finish(result, failure)
    if (err?.name === 'AbortError') throw err
    throw new ApiError('stream_interrupted', String(err?.message ?? err), { midStream: true })
  }
  return finish(result, failure)
}

function finish (result, failure) {
  if (failure !== null) throw failure
  if (result === null) throw new ApiError('stream_interrupted', 'the stream ended without a "done" event', { midStream: true })
  return result
}

/** Your API keys, newest first, without the keys themselves. */
export async function apiKeys (token) {
  return jsonOf(await call('/user/api-keys', { token }))
}

/** A new API key: `{ id, name, key, created_at }`, the key shown only this once. */
export async function createApiKey (token, name) {
  return jsonOf(await call('/user/api-keys', { method: 'POST', token, json: { name } }))
}

export async function revokeApiKey (token, id) {
  await call(`/user/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE', token })
}

/** OpenAI's model list (`GET /v1/models`): the model an OpenAI client names. */
export async function models (token) {
  return jsonOf(await call('/v1/models', { token }))
}
