// One message of the conversation as a list item: text as text, a time, and notes.

import { h } from './dom.js'
import { format, say, sayAttr } from './i18n.js'

/** A note beside a message (caring, no reply, cut short…), said in the page's language. */
export function note (key, kind = 'flag', params) {
  return say(h('span', { class: kind }), key, params)
}

/** A history record (`GET /user/history`) as a list item. */
export function renderRecord (record) {
  const mine = record.type === 'user'
  const notes = []
  if (mine && record.endpoint === 'advanced') notes.push(note('note.caring', 'badge'))
  if (mine && record.status === 'failed') notes.push(note('note.noReply'))
  if (mine && record.status === 'pending') notes.push(note('note.waiting'))
  if (!mine && record.status === 'incomplete') notes.push(note('note.cutShort'))
  return message(mine ? 'user' : 'ai', record.text, new Date(record.created_at), notes)
}

/** One message of the conversation: its text, when, and notes (caring, no reply, cut short). */
export function message (kind, text, at, notes = []) {
  const meta = h('p', { class: 'meta' }, timeTag(at), ...notes)
  return h('li', { class: `msg ${kind}` },
    say(h('span', { class: 'visually-hidden' }), kind === 'user' ? 'message.mine' : 'message.ai'),
    // Written by the user or the model, in any language: not the page's words.
    h('div', { class: 'bubble', dir: 'auto', 'data-user-content': '' }, text),
    meta)
}

function timeTag (at) {
  const time = h('time', { datetime: at.toISOString() })
  sayAttr(time, 'title', () => format().dateTime(at))
  return say(time, () => format().when(at))
}
