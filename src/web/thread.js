/* global ResizeObserver */
// The conversation on screen: its history paged in as you scroll up, the list the chat appends to,
// staying with the newest message while reading it, and the "Newest" button when scrolled away.
// The thread's state lives in one object (`thread`) that the functions below share.

import * as api from './api.js'
import { byId } from './dom.js'
import { renderRecord } from './message.js'
import { say, t } from './i18n.js'

const PAGE = 30
const MAX_HISTORY = 1000 // the history endpoints take 1–1000
const NEAR_BOTTOM_PX = 80

const el = {
  log: byId('log'),
  messages: byId('messages'),
  loadEarlier: byId('load-earlier'),
  historyStatus: byId('history-status'),
  jump: byId('jump-newest')
}

/**
 * @param {{ getToken: () => string|null, fail: (err: unknown) => void, onLoaded: () => void }} options
 *   `fail` says an error; `onLoaded` hears when the messages on screen changed by loading
 */
export function createThread (options) {
  // `state` is replaced for each conversation opened: an answer for an earlier one finds its
  // state gone and is dropped.
  const thread = { ...options, state: fresh(null), following: true }
  listenToScrolling(thread)

  return {
    /** Shows a conversation (`null`: the user's whole history), from its newest messages. */
    open (conversationId) {
      thread.state = fresh(conversationId)
      updateEarlierButton(thread.state)
      return load(thread)
    },
    /** Leaves: drops answers still on their way, empties the list. */
    close () {
      thread.state = fresh(null)
      el.messages.replaceChildren()
    },
    conversationId: () => thread.state.conversationId,
    /** A message just sent has made this conversation the one on screen (no reload: it is shown). */
    adopt (conversationId) {
      thread.state.conversationId = conversationId
    },
    /** Adds messages at the end (and follows them), counting `records` the server now holds. */
    append (items, records = items.length) {
      if (thread.state.anchor === null) setStatus()
      el.messages.append(...items)
      thread.state.known += records
      scrollToBottom(thread)
    },
    /** Counts records the server stored for items already on screen. */
    stored (records) {
      thread.state.known += records
    },
    /** Stays with the newest message if the reader was there. */
    keepUp () {
      if (nearBottom()) scrollToBottom(thread)
    },
    nearBottom,
    scrollToBottom: () => scrollToBottom(thread),
    items: () => el.messages.children
  }
}

/** What is known of the conversation on screen; a new one for each conversation opened. */
function fresh (conversationId) {
  return {
    conversationId, // null: the user's whole history (no conversation chosen yet)
    // The oldest record on screen that came from the server, and how many records (at most)
    // the server holds from it to the newest: the API pages by "last n", so earlier pages are
    // found by asking for more and cutting at this anchor.
    anchor: null,
    known: 0,
    noMore: false,
    loadingEarlier: false
  }
}

// ---- following the newest message ----

const nearBottom = () => el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < NEAR_BOTTOM_PX

function follow (thread, now) {
  thread.following = now
  el.jump.hidden = now
}

function scrollToBottom (thread) {
  el.log.scrollTop = el.log.scrollHeight
  follow(thread, true)
}

// Reading the newest message: stay with it while replies grow and the layout around the log
// changes (the toolbar wraps, a notice appears). Scrolled up to read: stay put.
function listenToScrolling (thread) {
  el.log.addEventListener('scroll', () => {
    follow(thread, nearBottom())
    if (el.log.scrollTop < 40) loadEarlier(thread)
  }, { passive: true })
  const stay = new ResizeObserver(() => { if (thread.following) el.log.scrollTop = el.log.scrollHeight })
  stay.observe(el.log)
  stay.observe(el.messages)
  el.jump.addEventListener('click', () => {
    scrollToBottom(thread)
    el.log.focus({ preventScroll: true })
  })
  el.loadEarlier.addEventListener('click', () => loadEarlier(thread))
}

// ---- loading ----

/** The line above the conversation: message keys (with params), said one after the other. */
function setStatus (...parts) {
  say(el.historyStatus, () => parts.map(([key, params]) => t(key, params)).join(t('sentence.gap')))
}

function updateEarlierButton (state) {
  el.loadEarlier.hidden = state.noMore
  el.loadEarlier.disabled = state.loadingEarlier
}

function history (thread, n) {
  const { conversationId } = thread.state
  return conversationId === null
    ? api.history(thread.getToken(), n)
    : api.conversationHistory(thread.getToken(), conversationId, n)
}

async function load (thread) {
  const { state } = thread
  el.messages.replaceChildren()
  setStatus(['chat.loading'])
  try {
    const records = await history(thread, PAGE)
    if (state !== thread.state) return
    el.messages.append(...records.map(renderRecord))
    state.anchor = records[0] ?? null
    state.known = records.length
    state.noMore = records.length < PAGE
    setStatus(...(records.length === 0 ? [['chat.empty']] : state.noMore ? [['chat.start']] : []))
    updateEarlierButton(state)
    scrollToBottom(thread)
    thread.onLoaded()
  } catch (err) {
    if (state !== thread.state) return
    setStatus()
    thread.fail(err)
  }
}

async function loadEarlier (thread) {
  const { state } = thread
  if (state.noMore || state.loadingEarlier || state.anchor === null) return
  state.loadingEarlier = true
  updateEarlierButton(state)
  setStatus(['chat.loadingEarlier'])
  try {
    const n = Math.min(MAX_HISTORY, state.known + PAGE)
    const records = await history(thread, n)
    if (state !== thread.state) return
    const at = records.findIndex((r) => sameRecord(r, state.anchor))
    // Not found: more was written since (another tab?) than we know of; start over from the end.
    if (at === -1) return await load(thread)
    prependEarlier(state, records, at, n)
    thread.onLoaded()
  } catch (err) {
    if (state !== thread.state) return
    setStatus()
    thread.fail(err)
  } finally {
    if (state === thread.state) {
      state.loadingEarlier = false
      updateEarlierButton(state)
    }
  }
}

/** Puts the `records` before the anchor (at `at`) above what is on screen, where the reader stays. */
function prependEarlier (state, records, at, n) {
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
  setStatus(['chat.loadedEarlier', { n: earlier.length }], ...end)
}

function sameRecord (a, b) {
  return a.created_at === b.created_at && a.type === b.type && a.text === b.text
}
