/* global window, sessionStorage, ResizeObserver */
// The chat view: the conversation (history paged in as you scroll up), the message box, streamed
// replies, today's count, the caring-mode switch, and the countdown after a limit refusal.

import * as api from './api.js'
import { createCountdown } from './countdown.js'
import { byId, h } from './dom.js'
import { createMarkdownStream } from './markdown.js'
import { addNote, bubbleOf, message, note, renderRecord, setSource, setText } from './message.js'
import { ApiError, LIMIT_CODES, PROVIDER_CODES, SESSION_CODES, describeError } from './errors.js'
import { say, sayAttr, t } from './i18n.js'

const PAGE = 30
const MAX_HISTORY = 1000 // GET /user/history/{last_n} takes 1–1000
const NEAR_BOTTOM_PX = 80

const el = {
  log: byId('log'),
  messages: byId('messages'),
  loadEarlier: byId('load-earlier'),
  historyStatus: byId('history-status'),
  usageText: byId('usage-text'),
  usageMeter: byId('usage-meter'),
  caring: byId('caring'),
  error: byId('chat-error'),
  composer: byId('composer'),
  input: byId('message'),
  send: byId('send'),
  stop: byId('stop')
}

/**
 * @param {{ getToken: () => string|null, username: () => string, endSession: (code: string) => void }} session
 */
export function createChat (session) {
  let state = fresh()

  function fresh () {
    return {
      // The oldest record on screen that came from the server, and how many records (at most)
      // the server holds from it to the newest: the API pages by "last n", so earlier pages are
      // found by asking for more and cutting at this anchor.
      anchor: null,
      known: 0,
      noMore: false,
      loadingEarlier: false,
      sending: null, // the AbortController of the message in flight
      dailyLimit: null,
      dailyLimitReached: false,
      generation: 0 // bumps on stop(): answers for an older session are dropped
    }
  }

  const storageKey = (what) => `simple-chat.${what}.${session.username().toLowerCase()}`
  const countdown = createCountdown({
    storageKey: () => storageKey('retry'),
    onChange (waiting, code) {
      el.send.disabled = waiting || state.sending !== null
      // A new day may have begun: the count starts again.
      if (!waiting && code === 'daily_limit_exceeded') refreshUsage()
    }
  })

  // ---- the conversation -------------------------------------------------------------------

  function nearBottom () {
    return el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < NEAR_BOTTOM_PX
  }

  function scrollToBottom () {
    el.log.scrollTop = el.log.scrollHeight
    following = true
  }

  // Reading the newest message: stay with it while replies grow and the layout around the log
  // changes (the toolbar wraps, a notice appears). Scrolled up to read: stay put.
  let following = true
  el.log.addEventListener('scroll', () => { following = nearBottom() }, { passive: true })
  new ResizeObserver(() => { if (following) el.log.scrollTop = el.log.scrollHeight }).observe(el.log)
  new ResizeObserver(() => { if (following) el.log.scrollTop = el.log.scrollHeight }).observe(el.messages)

  /** The line above the conversation: message keys (with params), said one after the other. */
  function setHistoryStatus (...parts) {
    say(el.historyStatus, () => parts.map(([key, params]) => t(key, params)).join(t('sentence.gap')))
  }

  function updateEarlierButton () {
    el.loadEarlier.hidden = state.noMore
    el.loadEarlier.disabled = state.loadingEarlier
  }

  async function loadInitial () {
    const generation = state.generation
    el.messages.replaceChildren()
    setHistoryStatus(['chat.loading'])
    try {
      const records = await api.history(session.getToken(), PAGE)
      if (generation !== state.generation) return
      el.messages.append(...records.map(renderRecord))
      state.anchor = records[0] ?? null
      state.known = records.length
      state.noMore = records.length < PAGE
      setHistoryStatus(...(records.length === 0 ? [['chat.empty']] : state.noMore ? [['chat.start']] : []))
      updateEarlierButton()
      scrollToBottom()
    } catch (err) {
      if (generation !== state.generation) return
      setHistoryStatus()
      fail(err)
    }
  }

  async function loadEarlier () {
    if (state.noMore || state.loadingEarlier || state.anchor === null) return
    const generation = state.generation
    state.loadingEarlier = true
    updateEarlierButton()
    setHistoryStatus(['chat.loadingEarlier'])
    try {
      const n = Math.min(MAX_HISTORY, state.known + PAGE)
      const records = await api.history(session.getToken(), n)
      if (generation !== state.generation) return
      const at = records.findIndex((r) => sameRecord(r, state.anchor))
      // Not found: more was written since (another tab?) than we know of; start over from the end.
      if (at === -1) return await loadInitial()
      const earlier = records.slice(0, at)
      const before = el.log.scrollHeight
      const top = el.log.scrollTop
      el.messages.prepend(...earlier.map(renderRecord))
      el.log.scrollTop = top + (el.log.scrollHeight - before)
      if (earlier.length > 0) state.anchor = earlier[0]
      state.known = records.length
      state.noMore = records.length < n || earlier.length === 0 || n === MAX_HISTORY
      const end = records.length < n || earlier.length === 0
        ? [['chat.start']]
        : n === MAX_HISTORY ? [['chat.beyond', { max: MAX_HISTORY }]] : []
      setHistoryStatus(['chat.loadedEarlier', { n: earlier.length }], ...end)
    } catch (err) {
      if (generation !== state.generation) return
      setHistoryStatus()
      fail(err)
    } finally {
      if (generation === state.generation) {
        state.loadingEarlier = false
        updateEarlierButton()
      }
    }
  }

  function sameRecord (a, b) {
    return a.created_at === b.created_at && a.type === b.type && a.text === b.text
  }

  // ---- today's count ----------------------------------------------------------------------

  async function refreshUsage () {
    try {
      const now = await api.status(session.getToken())
      if (Number.isInteger(now.daily_limit)) state.dailyLimit = now.daily_limit
      // The API does not say the daily limit; refused by it, today's count is the limit.
      else if (state.dailyLimitReached) state.dailyLimit = now.chat_cnt
      showUsage(now.chat_cnt)
    } catch (err) {
      if (err instanceof ApiError && SESSION_CODES.has(err.code)) session.endSession(err.code)
      // Otherwise the count just stays as it was; the next turn refreshes it.
    }
  }

  function showUsage (count) {
    const limit = state.dailyLimit
    if (limit === null) {
      say(el.usageText, 'usage.count', { count })
      el.usageMeter.hidden = true
      return
    }
    say(el.usageText, 'usage.ofLimit', { count, limit })
    el.usageMeter.max = limit
    el.usageMeter.value = Math.min(count, limit)
    el.usageMeter.low = Math.floor(limit * 0.75)
    el.usageMeter.high = limit - 1
    el.usageMeter.optimum = 0
    sayAttr(el.usageMeter, 'aria-valuetext', 'usage.valueText', { count, limit })
    el.usageMeter.hidden = false
  }

  // ---- errors and the limit countdown -----------------------------------------------------

  /** Shows `render()` (said again after a language switch) in the chat's alert. */
  function showError (render) {
    say(el.error, render)
    el.error.hidden = false
  }

  function clearError () {
    el.error.hidden = true
    say(el.error, () => '')
  }

  /** Session errors end the session; everything else is said in the chat's alert. */
  function fail (err) {
    if (err instanceof ApiError && SESSION_CODES.has(err.code)) return session.endSession(err.code)
    showError(() => describeError(err))
  }

  // ---- sending ----------------------------------------------------------------------------

  function setSending (controller) {
    // The button under the focus is about to hide: keep the focus in the message box.
    if ((controller !== null && el.send.matches(':focus')) || (controller === null && el.stop.matches(':focus'))) el.input.focus()
    state.sending = controller
    el.send.disabled = controller !== null || countdown.waiting()
    el.send.hidden = controller !== null
    el.stop.hidden = controller === null
    el.composer.setAttribute('aria-busy', String(controller !== null))
  }

  async function send (text) {
    if (state.sending !== null || countdown.waiting()) return
    const generation = state.generation
    const caring = el.caring.checked
    clearError()
    countdown.quiet()
    if (state.anchor === null) setHistoryStatus()
    const mine = message('user', text, new Date(), caring ? [note('note.caring', 'badge')] : [])
    const sendingNote = addNote(mine, note('note.sending'))
    const typing = h('span', { class: 'typing', 'aria-hidden': 'true' }, h('span'), h('span'), h('span'))
    const reply = message('ai', '', new Date())
    const bubble = bubbleOf(reply)
    bubble.append(typing)
    let stream = null
    reply.setAttribute('aria-busy', 'true')
    el.messages.append(mine, reply)
    scrollToBottom()
    el.input.value = ''
    saveDraft()

    const controller = new window.AbortController()
    setSending(controller)
    let received = ''
    try {
      const result = await api.sendMessage({
        token: session.getToken(),
        text,
        caring,
        signal: controller.signal,
        onDelta (piece) {
          if (generation !== state.generation) return
          const follow = nearBottom()
          if (received === '') {
            sendingNote.remove()
            stream = createMarkdownStream(bubble)
          }
          received += piece
          stream.append(piece)
          setSource(reply, received)
          if (follow) scrollToBottom()
        }
      })
      if (generation !== state.generation) return
      sendingNote.remove()
      stream?.cancel()
      setText(reply, result.response)
      if (result.middle_out !== undefined) {
        addNote(reply, sayAttr(note('note.middleOut'), 'title', 'note.middleOutTitle', { n: result.middle_out.removed_tokens }))
      }
      state.known += 2
    } catch (err) {
      if (generation !== state.generation) return
      sendingNote.remove()
      stream?.cancel()
      settleFailure(err, { text, mine, reply, partial: received })
    } finally {
      if (generation === state.generation) {
        reply.removeAttribute('aria-busy')
        setSending(null)
        if (nearBottom()) scrollToBottom()
        refreshUsage()
      }
    }
  }

  function settleFailure (err, { text, mine, reply, partial }) {
    const restore = () => {
      if (el.input.value.trim() === '') el.input.value = text
      saveDraft()
    }
    if (err?.name === 'AbortError') {
      // Stopped by the user: whatever arrived stays, marked as cut short.
      if (partial === '') {
        reply.remove()
      } else {
        setText(reply, partial)
        addNote(reply, note('note.stopped'))
      }
      state.known += 2
      return
    }
    if (err instanceof ApiError && err.midStream && partial !== '') {
      // The stream broke after some text: the server keeps it as an incomplete reply.
      setText(reply, partial)
      addNote(reply, note('note.cutShort'))
      state.known += 2
      restore()
      const cut = new ApiError('stream_interrupted', '')
      return showError(() => err.detail === '' ? describeError(cut) : t('error.withDetail', { text: describeError(cut), detail: err.detail }))
    }
    reply.remove()
    if (err instanceof ApiError && (PROVIDER_CODES.has(err.code) || err.midStream)) {
      // Admitted, then the provider failed: history keeps the message as failed (no quota used).
      addNote(mine, note('note.noReply'))
      mine.classList.add('failed')
      state.known += 1
      restore()
      return showError(() => describeError(err))
    }
    // Refused before it was stored (limits, validation, auth, no provider, network): take it back.
    mine.remove()
    restore()
    if (err instanceof ApiError && err.code === 'daily_limit_exceeded') state.dailyLimitReached = true
    if (err instanceof ApiError && LIMIT_CODES.has(err.code)) return countdown.start(err)
    fail(err)
  }

  function saveDraft () {
    if (el.input.value === '') sessionStorage.removeItem(storageKey('draft'))
    else sessionStorage.setItem(storageKey('draft'), el.input.value)
  }

  // ---- wiring -----------------------------------------------------------------------------

  el.composer.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = el.input.value
    if (text.trim() === '') {
      showError(() => t('chat.writeFirst'))
      el.input.focus()
      return
    }
    send(text)
  })
  el.input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a new line; Enter that confirms an IME composition (Chinese,
    // Japanese input) must not send half a sentence.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
    event.preventDefault()
    el.composer.requestSubmit()
  })
  el.input.addEventListener('input', saveDraft)
  el.stop.addEventListener('click', () => {
    state.sending?.abort()
    el.input.focus()
  })
  el.loadEarlier.addEventListener('click', () => loadEarlier())
  el.log.addEventListener('scroll', () => {
    if (el.log.scrollTop < 40) loadEarlier()
  }, { passive: true })
  el.caring.addEventListener('change', () => {
    sessionStorage.setItem(storageKey('caring'), el.caring.checked ? '1' : '0')
  })

  return {
    /** Shows the signed-in user's conversation. */
    start () {
      state = fresh()
      clearError()
      countdown.clear()
      setSending(null)
      el.caring.checked = sessionStorage.getItem(storageKey('caring')) === '1'
      el.input.value = sessionStorage.getItem(storageKey('draft')) ?? ''
      say(el.usageText, 'usage.loading')
      el.usageMeter.hidden = true
      updateEarlierButton()
      countdown.resume()
      loadInitial()
      refreshUsage()
    },
    /** Leaves: aborts what is in flight and drops late answers. */
    stop () {
      saveDraft()
      state.sending?.abort()
      countdown.clear()
      state.generation++
      state = { ...fresh(), generation: state.generation }
      el.messages.replaceChildren()
      setSending(null)
    }
  }
}
