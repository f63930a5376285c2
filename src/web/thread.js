/* global ResizeObserver */
// The conversation on screen: its history paged in as you scroll up, the list the chat appends to,
// staying with the newest message while reading it, and the "Newest" button when scrolled away.

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
export function createThread ({ getToken, fail, onLoaded }) {
  let generation = 0
  let state = fresh(null)

  function fresh (conversationId) {
    return {
      conversationId, // null: the user's whole history (no conversation chosen yet)
      // The oldest record on screen that came from the server, and how many records (at most)
      // the server holds from it to the newest: the API pages by "last n", so earlier pages are
      // found by asking for more and cutting at this anchor.
      anchor: null,
      known: 0,
      noMore: false,
      loadingEarlier: false,
      generation: ++generation // answers for an earlier conversation are dropped
    }
  }

  const history = (n) => state.conversationId === null
    ? api.history(getToken(), n)
    : api.conversationHistory(getToken(), state.conversationId, n)

  // ---- following the newest message ----

  let following = true
  const nearBottom = () => el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < NEAR_BOTTOM_PX
  function follow (now) {
    following = now
    el.jump.hidden = now
  }
  function scrollToBottom () {
    el.log.scrollTop = el.log.scrollHeight
    follow(true)
  }
  // Reading the newest message: stay with it while replies grow and the layout around the log
  // changes (the toolbar wraps, a notice appears). Scrolled up to read: stay put.
  el.log.addEventListener('scroll', () => {
    follow(nearBottom())
    if (el.log.scrollTop < 40) loadEarlier()
  }, { passive: true })
  const stay = new ResizeObserver(() => { if (following) el.log.scrollTop = el.log.scrollHeight })
  stay.observe(el.log)
  stay.observe(el.messages)
  el.jump.addEventListener('click', () => {
    scrollToBottom()
    el.log.focus({ preventScroll: true })
  })
  el.loadEarlier.addEventListener('click', () => loadEarlier())

  // ---- loading ----

  /** The line above the conversation: message keys (with params), said one after the other. */
  function setStatus (...parts) {
    say(el.historyStatus, () => parts.map(([key, params]) => t(key, params)).join(t('sentence.gap')))
  }

  function updateEarlierButton () {
    el.loadEarlier.hidden = state.noMore
    el.loadEarlier.disabled = state.loadingEarlier
  }

  async function load () {
    const { generation } = state
    el.messages.replaceChildren()
    setStatus(['chat.loading'])
    try {
      const records = await history(PAGE)
      if (generation !== state.generation) return
      el.messages.append(...records.map(renderRecord))
      state.anchor = records[0] ?? null
      state.known = records.length
      state.noMore = records.length < PAGE
      setStatus(...(records.length === 0 ? [['chat.empty']] : state.noMore ? [['chat.start']] : []))
      updateEarlierButton()
      scrollToBottom()
      onLoaded()
    } catch (err) {
      if (generation !== state.generation) return
      setStatus()
      fail(err)
    }
  }

  async function loadEarlier () {
    if (state.noMore || state.loadingEarlier || state.anchor === null) return
    const { generation } = state
    state.loadingEarlier = true
    updateEarlierButton()
    setStatus(['chat.loadingEarlier'])
    try {
      const n = Math.min(MAX_HISTORY, state.known + PAGE)
      const records = await history(n)
      if (generation !== state.generation) return
      const at = records.findIndex((r) => sameRecord(r, state.anchor))
      // Not found: more was written since (another tab?) than we know of; start over from the end.
      if (at === -1) return await load()
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
      onLoaded()
    } catch (err) {
      if (generation !== state.generation) return
      setStatus()
      fail(err)
    } finally {
      if (generation === state.generation) {
        state.loadingEarlier = false
        updateEarlierButton()
      }
    }
  }

  return {
    /** Shows a conversation (`null`: the user's whole history), from its newest messages. */
    open (conversationId) {
      state = fresh(conversationId)
      updateEarlierButton()
      return load()
    },
    /** Leaves: drops answers still on their way, empties the list. */
    close () {
      state = fresh(null)
      el.messages.replaceChildren()
    },
    conversationId: () => state.conversationId,
    /** A message just sent has made this conversation the one on screen (no reload: it is shown). */
    adopt (conversationId) {
      state.conversationId = conversationId
    },
    /** Adds messages at the end (and follows them), counting `records` the server now holds. */
    append (items, records = items.length) {
      if (state.anchor === null) setStatus()
      el.messages.append(...items)
      state.known += records
      scrollToBottom()
    },
    /** Counts records the server stored for items already on screen. */
    stored (records) {
      state.known += records
    },
    /** Stays with the newest message if the reader was there. */
    keepUp () {
      if (nearBottom()) scrollToBottom()
    },
    nearBottom,
    scrollToBottom,
    items: () => el.messages.children
  }
}

function sameRecord (a, b) {
  return a.created_at === b.created_at && a.type === b.type && a.text === b.text
}
