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

  // ---- the alert, with Retry for a message that got no reply ----
  let retryText = null
  const alerts = {
    /** Shows `render()` (said again after a language switch); with `text`, a Retry that sends it again. */
    show (render, text = null) {
      say(el.errorText, render)
      retryText = text
      el.retry.hidden = text === null
      el.error.hidden = false
    },
    clear () {
      el.error.hidden = true
      say(el.errorText, () => '')
      retryText = null
    },
    /** Session errors end the session; everything else is said in the alert. */
    fail (err) {
      if (err instanceof ApiError && SESSION_CODES.has(err.code)) return session.endSession(err.code)
      alerts.show(() => describeError(err))
    }
  }
  el.retry.addEventListener('click', () => {
    if (retryText === null) return
    const text = retryText
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
  const thread = createThread({ getToken: session.getToken, fail: alerts.fail, onLoaded: markLast })
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
    open: (id) => openConversation(id)
  })
  const turns = createTurns({
    getToken: session.getToken,
    thread,
    composer,
    usage,
    countdown,
    alerts,
    caring: () => el.caring.checked,
    onConversation (id) {
      if (thread.conversationId() === id) return list.touched(id)
      // The server chose (or made) the conversation: this one is now on screen.
      composer.saveDraft()
      thread.adopt(id)
      list.touched(id)
    },
    onSettled: markLast
  })

  function openConversation (id) {
    if (turns.busy()) turns.abandon()
    composer.saveDraft()
    alerts.clear()
    thread.open(id)
    composer.loadDraft()
    list.select(id)
    composer.focus()
  }

  // ---- actions on the last messages: regenerate the reply, edit the message ----
  const regenerate = h('button', { type: 'button', class: 'quiet regenerate' })
  say(regenerate, 'action.regenerate')
  const edit = h('button', { type: 'button', class: 'quiet edit' })
  say(edit, 'action.edit')
  sayAttr(edit, 'aria-label', 'action.editLabel')

  /** Puts the buttons on the last reply and the last message of the user, if there are any. */
  function markLast () {
    const items = [...thread.items()]
    const lastUser = items.findLast((item) => item.classList.contains('user'))
    const lastAi = items.at(-1)?.classList.contains('ai') ? items.at(-1) : undefined
    if (lastUser === undefined) edit.remove()
    else addAction(lastUser, edit)
    if (lastAi === undefined || lastUser === undefined) regenerate.remove()
    else addAction(lastAi, regenerate)
  }
  regenerate.addEventListener('click', () => {
    const lastUser = [...thread.items()].findLast((item) => item.classList.contains('user'))
    if (lastUser !== undefined) turns.send(textOf(lastUser))
  })
  edit.addEventListener('click', () => {
    const lastUser = [...thread.items()].findLast((item) => item.classList.contains('user'))
    if (lastUser !== undefined) composer.set(textOf(lastUser), { focus: true })
  })

  el.caring.addEventListener('change', () => {
    sessionStorage.setItem(storageKey('caring'), el.caring.checked ? '1' : '0')
  })

  return {
    /** Shows the signed-in user's chat: the most recent conversation. */
    async start () {
      alerts.clear()
      countdown.clear()
      composer.setBusy(false)
      el.caring.checked = sessionStorage.getItem(storageKey('caring')) === '1'
      usage.reset()
      countdown.resume()
      usage.refresh()
      const first = await list.load()
      thread.open(first)
      composer.loadDraft()
      list.select(first)
    },
    /** Leaves: aborts what is in flight and drops late answers. */
    stop () {
      composer.saveDraft()
      turns.abandon()
      countdown.clear()
      thread.close()
      list.clear()
    }
  }
}
