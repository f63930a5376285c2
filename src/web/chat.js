/* global sessionStorage */
// The chat view, put together: the conversation list, the thread on screen, the message box, the
// turns (sending, streaming, failures), the status line, caring mode, the countdown after a limit
// refusal, the alert with its Retry, and the actions on the last messages (regenerate, edit).

import { createComposer } from './composer.js'
import { createConversationList } from './conversations.js'
import { createCountdown } from './countdown.js'
import { byId, h } from './dom.js'
import { SESSION_CODES, ApiError, describeError } from './errors.js'
import { say, sayAttr, t } from './i18n.js'
import { addAction, textOf } from './message.js'
import { createThread } from './thread.js'
import { createTurns } from './turn.js'
import { createUsage } from './usage.js'

const el = {
  caring: byId('caring'),
  error: byId('chat-error'),
  errorText: byId('chat-error-text'),
  retry: byId('retry')
}

/**
 * @param {{ getToken: () => string|null, username: () => string, endSession: (code: string) => void }} session
 */
export function createChat (session) {
  const storageKey = (what) => `simple-chat.${what}.${session.username().toLowerCase()}`
  const chat = assemble(session, storageKey)
  el.caring.addEventListener('change', () => {
    sessionStorage.setItem(storageKey('caring'), el.caring.checked ? '1' : '0')
  })
  return {
    /** Shows the signed-in user's chat: the most recent conversation. */
    start: () => start(chat, storageKey),
    /** Leaves: aborts what is in flight and drops late answers. */
    stop: () => stop(chat)
  }
}

/** The view's parts, each told of the others it works with. */
function assemble (session, storageKey) {
  const alerts = createAlerts(session, (text) => {
    if (composer.text() === text) composer.clear()
    turns.send(text)
  })
  const usage = createUsage(session)
  const countdown = createCountdown({
    storageKey: () => storageKey('retry'),
    onChange (waiting, code) {
      composer.hold(waiting)
      // A new day may have begun: the count starts again.
      if (!waiting && code === 'daily_limit_exceeded') usage.refresh()
    }
  })
  const thread = createThread({ getToken: session.getToken, fail: alerts.fail, onLoaded: () => actions.markLast() })
  const composer = createComposer({
    draftKey: () => storageKey(`draft.${thread.conversationId() ?? 'new'}`),
    onSend: (text) => turns.send(text),
    onEmpty: () => alerts.show(() => t('chat.writeFirst')),
    onStop: () => turns.stop()
  })
  const list = createConversationList({
    getToken: session.getToken,
    fail: alerts.fail,
    current: () => thread.conversationId(),
    open: (id) => openConversation(chat, id)
  })
  const turns = createTurns({
    getToken: session.getToken,
    thread,
    composer,
    usage,
    countdown,
    alerts,
    caring: () => el.caring.checked,
    onConversation: (id) => adoptConversation(chat, id),
    onSettled: () => actions.markLast()
  })
  const actions = createLastActions({ thread, turns, composer })
  const chat = { alerts, usage, countdown, thread, composer, list, turns }
  return chat
}

async function start (chat, storageKey) {
  chat.alerts.clear()
  chat.countdown.clear()
  chat.composer.setBusy(false)
  el.caring.checked = sessionStorage.getItem(storageKey('caring')) === '1'
  chat.usage.reset()
  chat.countdown.resume()
  chat.usage.refresh()
  const first = await chat.list.load()
  chat.thread.open(first)
  chat.composer.loadDraft()
  chat.list.select(first)
}

function stop (chat) {
  chat.composer.saveDraft()
  chat.turns.abandon()
  chat.countdown.clear()
  chat.thread.close()
  chat.list.clear()
}

function openConversation (chat, id) {
  if (chat.turns.busy()) chat.turns.abandon()
  chat.composer.saveDraft()
  chat.alerts.clear()
  chat.thread.open(id)
  chat.composer.loadDraft()
  chat.list.select(id)
  chat.composer.focus()
}

/** The server named the turn's conversation. */
function adoptConversation (chat, id) {
  if (chat.thread.conversationId() === id) return chat.list.touched(id)
  // The server chose (or made) the conversation: this one is now on screen.
  chat.composer.saveDraft()
  chat.thread.adopt(id)
  chat.list.touched(id)
}

/** The alert, with Retry (`retry(text)`) for a message that got no reply. */
function createAlerts (session, retry) {
  let retryText = null
  el.retry.addEventListener('click', () => {
    if (retryText !== null) retry(retryText)
  })
  /** Shows `render()` (said again after a language switch); with `text`, a Retry that sends it again. */
  function show (render, text = null) {
    say(el.errorText, render)
    retryText = text
    el.retry.hidden = text === null
    el.error.hidden = false
  }
  return {
    show,
    clear () {
      el.error.hidden = true
      say(el.errorText, () => '')
      retryText = null
    },
    /** Session errors end the session; everything else is said in the alert. */
    fail (err) {
      if (err instanceof ApiError && SESSION_CODES.has(err.code)) return session.endSession(err.code)
      show(() => describeError(err))
    }
  }
}

/** The actions on the last messages: regenerate the reply, edit the message. */
function createLastActions ({ thread, turns, composer }) {
  const regenerate = say(h('button', { type: 'button', class: 'quiet regenerate' }), 'action.regenerate')
  const edit = say(h('button', { type: 'button', class: 'quiet edit' }), 'action.edit')
  sayAttr(edit, 'aria-label', 'action.editLabel')
  const isUser = (item) => item.classList.contains('user')
  const lastUser = () => [...thread.items()].findLast(isUser)
  regenerate.addEventListener('click', () => {
    const last = lastUser()
    if (last !== undefined) turns.send(textOf(last))
  })
  edit.addEventListener('click', () => {
    const last = lastUser()
    if (last !== undefined) composer.set(textOf(last), { focus: true })
  })
  return {
    /** Puts the buttons on the last reply and the last message of the user, if there are any. */
    markLast () {
      const items = [...thread.items()]
      const user = items.findLast(isUser)
      const ai = items.at(-1)?.classList.contains('ai') ? items.at(-1) : undefined
      if (user === undefined) edit.remove()
      else addAction(user, edit)
      if (ai === undefined || user === undefined) regenerate.remove()
      else addAction(ai, regenerate)
    }
  }
}
