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
  // `generation` counts abandonments: a turn that finds it moved on drops what still arrives.
  const turns = { chat, inFlight: null, generation: 0 } // inFlight: { controller }
  return {
    send: (text) => send(turns, text),
    busy: () => turns.inFlight !== null,
    stop () {
      turns.inFlight?.controller.abort()
    },
    /** Leaves: aborts what is in flight and drops late answers. */
    abandon () {
      turns.inFlight?.controller.abort()
      turns.inFlight = null
      turns.generation++
      chat.composer.setBusy(false)
    }
  }
}

async function send (turns, text) {
  const { chat } = turns
  if (turns.inFlight !== null || chat.countdown.waiting()) return
  const mine = turns.generation
  const current = () => mine === turns.generation
  const caring = chat.caring()
  chat.alerts.clear()
  chat.countdown.quiet()
  const turn = renderTurn(text, caring)
  chat.thread.append([turn.user, turn.reply], 0)
  chat.composer.clear()

  const controller = new AbortController()
  turns.inFlight = { controller }
  chat.composer.setBusy(true)
  const streamed = streamInto(turn, chat.thread)
  try {
    const result = await api.sendMessage({
      token: chat.getToken(),
      text,
      caring,
      conversationId: chat.thread.conversationId(),
      signal: controller.signal,
      onAdmitted () {
        if (current()) chat.usage.admitted()
      },
      onDelta (piece) {
        if (current()) streamed.append(piece)
      }
    })
    if (!current()) return
    streamed.end()
    settleSuccess(chat, turn, result)
  } catch (err) {
    if (!current()) return
    streamed.end()
    settleFailure(chat, err, { ...turn, partial: streamed.received() })
  } finally {
    if (current()) settle(turns, turn.reply)
  }
}

/** The user's message (marked as sending) and an empty reply (typing), ready for the thread. */
function renderTurn (text, caring) {
  const user = message('user', text, new Date(), caring ? [note('note.caring', 'badge')] : [])
  const sendingNote = addNote(user, note('note.sending'))
  const reply = message('ai', '', new Date())
  bubbleOf(reply).append(h('span', { class: 'typing', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')))
  reply.setAttribute('aria-busy', 'true')
  return { text, user, sendingNote, reply }
}

/** Draws the reply as its pieces arrive, staying with it if the reader was at the bottom. */
function streamInto ({ reply, sendingNote }, thread) {
  let received = ''
  let stream = null
  return {
    append (piece) {
      const follow = thread.nearBottom()
      if (received === '') {
        sendingNote.remove()
        stream = createMarkdownStream(bubbleOf(reply))
      }
      received += piece
      stream.append(piece)
      setSource(reply, received)
      if (follow) thread.scrollToBottom()
    },
    received: () => received,
    /** The stream is over: the reply is drawn whole (or handled as a failure) from here. */
    end () {
      sendingNote.remove()
      stream?.cancel()
    }
  }
}

function settleSuccess (chat, { user, reply }, result) {
  setText(reply, result.response)
  if (result.middle_out !== undefined) addNote(user, middleOutNote(result.middle_out))
  if (typeof result.conversation_id === 'string') chat.onConversation(result.conversation_id)
  chat.thread.stored(2)
}

/** Whatever the outcome: the turn is over, Send is back, the count is checked again. */
function settle (turns, reply) {
  const { chat } = turns
  reply.removeAttribute('aria-busy')
  turns.inFlight = null
  chat.composer.setBusy(false)
  chat.thread.keepUp()
  chat.usage.refresh()
  chat.onSettled()
}

function settleFailure (chat, err, { text, user, reply, partial }) {
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
