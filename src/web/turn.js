/* global AbortController */
// One turn: the user's message and the model's reply, drawn while it streams, and what happens when
// it fails (kept, marked, handed back, retried). Each turn is a new message for the limits, also
// when it regenerates a reply or sends an edited message again.

import * as api from './api.js'
import { h } from './dom.js'
import { ApiError, LIMIT_CODES, PROVIDER_CODES, describeError } from './errors.js'
import { t } from './i18n.js'
import { createMarkdownStream } from './markdown.js'
import { addNote, bubbleOf, message, middleOutNote, note, setSource, setText } from './message.js'

/**
 * @param {object} chat what a turn works with:
 *   `getToken()`, `thread`, `composer`, `usage`, `countdown`, `alerts` ({ show, clear, fail }),
 *   `caring()` (caring mode on?), `onConversation(id)` (the server's conversation for the turn),
 *   `onSettled()` (a turn ended, whatever its outcome)
 */
export function createTurns (chat) {
  let inFlight = null // { controller, generation }
  let generation = 0

  async function send (text) {
    if (inFlight !== null || chat.countdown.waiting()) return
    const mine = generation
    const caring = chat.caring()
    chat.alerts.clear()
    chat.countdown.quiet()
    const user = message('user', text, new Date(), caring ? [note('note.caring', 'badge')] : [])
    const sendingNote = addNote(user, note('note.sending'))
    const reply = message('ai', '', new Date())
    const bubble = bubbleOf(reply)
    bubble.append(h('span', { class: 'typing', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')))
    reply.setAttribute('aria-busy', 'true')
    chat.thread.append([user, reply], 0)
    chat.composer.clear()

    const controller = new AbortController()
    inFlight = { controller }
    chat.composer.setBusy(true)
    let received = ''
    let stream = null
    try {
      const result = await api.sendMessage({
        token: chat.getToken(),
        text,
        caring,
        conversationId: chat.thread.conversationId(),
        signal: controller.signal,
        onAdmitted () {
          if (mine === generation) chat.usage.admitted()
        },
        onDelta (piece) {
          if (mine !== generation) return
          const follow = chat.thread.nearBottom()
          if (received === '') {
            sendingNote.remove()
            stream = createMarkdownStream(bubble)
          }
          received += piece
          stream.append(piece)
          setSource(reply, received)
          if (follow) chat.thread.scrollToBottom()
        }
      })
      if (mine !== generation) return
      sendingNote.remove()
      stream?.cancel()
      setText(reply, result.response)
      if (result.middle_out !== undefined) addNote(user, middleOutNote(result.middle_out))
      if (typeof result.conversation_id === 'string') chat.onConversation(result.conversation_id)
      chat.thread.stored(2)
    } catch (err) {
      if (mine !== generation) return
      sendingNote.remove()
      stream?.cancel()
      settleFailure(err, { text, user, reply, partial: received })
    } finally {
      if (mine === generation) {
        reply.removeAttribute('aria-busy')
        inFlight = null
        chat.composer.setBusy(false)
        chat.thread.keepUp()
        chat.usage.refresh()
        chat.onSettled()
      }
    }
  }

  function settleFailure (err, { text, user, reply, partial }) {
    if (err?.name === 'AbortError') {
      // Stopped by the user: whatever arrived stays, marked as stopped.
      if (partial === '') {
        reply.remove()
      } else {
        setText(reply, partial)
        addNote(reply, note('note.stopped'))
      }
      chat.thread.stored(2)
      return
    }
    if (err instanceof ApiError && err.midStream && partial !== '') {
      // The stream broke after some text: the server keeps it as an incomplete reply.
      setText(reply, partial)
      addNote(reply, note('note.cutShort'))
      chat.thread.stored(2)
      chat.composer.restore(text)
      const cut = new ApiError('stream_interrupted', '')
      return chat.alerts.show(() => err.detail === '' ? describeError(cut) : t('error.withDetail', { text: describeError(cut), detail: err.detail }), text)
    }
    reply.remove()
    if (err instanceof ApiError && (PROVIDER_CODES.has(err.code) || err.midStream)) {
      // Admitted, then the provider failed: history keeps the message as failed (no quota used).
      addNote(user, note('note.noReply'))
      user.classList.add('failed')
      chat.thread.stored(1)
      chat.composer.restore(text)
      return chat.alerts.show(() => describeError(err), text)
    }
    // Refused before it was stored (limits, validation, auth, no provider, network): take it back.
    user.remove()
    chat.composer.restore(text)
    if (err instanceof ApiError && err.code === 'daily_limit_exceeded') chat.usage.dailyLimitReached()
    if (err instanceof ApiError && LIMIT_CODES.has(err.code)) return chat.countdown.start(err)
    if (err instanceof ApiError && err.code === 'network_error') return chat.alerts.show(() => describeError(err), text)
    chat.alerts.fail(err)
  }

  return {
    send,
    busy: () => inFlight !== null,
    stop () {
      inFlight?.controller.abort()
    },
    /** Leaves: aborts what is in flight and drops late answers. */
    abandon () {
      inFlight?.controller.abort()
      inFlight = null
      generation++
      chat.composer.setBusy(false)
    }
  }
}
