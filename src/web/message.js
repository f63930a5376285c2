// One message of the conversation as a list item: text as text, a time, and notes.

import { h } from './dom.js'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A history record (`GET /user/history`) as a list item. */
export function renderRecord (record) {
  const mine = record.type === 'user'
  const notes = []
  if (mine && record.endpoint === 'advanced') notes.push(h('span', { class: 'badge' }, 'caring'))
  if (mine && record.status === 'failed') notes.push(h('span', { class: 'flag' }, 'No reply'))
  if (mine && record.status === 'pending') notes.push(h('span', { class: 'flag' }, 'Waiting for a reply'))
  if (!mine && record.status === 'incomplete') notes.push(h('span', { class: 'flag' }, 'Reply cut short'))
  return message(mine ? 'user' : 'ai', record.text, new Date(record.created_at), notes)
}

/** One message of the conversation: its text, when, and notes (caring, no reply, cut short). */
export function message (kind, text, at, notes = []) {
  const meta = h('p', { class: 'meta' }, timeTag(at), ...notes)
  return h('li', { class: `msg ${kind}` },
    h('span', { class: 'visually-hidden' }, kind === 'user' ? 'You said: ' : 'AI replied: '),
    h('div', { class: 'bubble', dir: 'auto' }, text),
    meta)
}

function timeTag (at) {
  const today = new Date().toDateString() === at.toDateString()
  return h('time', { datetime: at.toISOString(), title: dateTimeFormat.format(at) }, today ? timeFormat.format(at) : dateTimeFormat.format(at))
}
