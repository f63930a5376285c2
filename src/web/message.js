// One message of the conversation as a list item: the user's text as text, the model's reply as
// sanitized markdown, a time, notes, a copy button, and "Show all" for a long one.

import { copyButton } from './copy.js'
import { h } from './dom.js'
import { format, say, sayAttr } from './i18n.js'
import { renderMarkdown } from './markdown.js'

// A message longer than this opens folded (a 50,000-character paste is not a 20,000-px bubble).
const LONG_CHARS = 2500
const LONG_LINES = 30

const sources = new WeakMap()
let ids = 0

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
  if (record.middle_out !== undefined) notes.push(middleOutNote(record.middle_out))
  return message(mine ? 'user' : 'ai', record.text, new Date(record.created_at), notes)
}

/** What middle-out cut to fit the model, from what: kept with the message in history. */
export function middleOutNote (cut) {
  const context = cut.context_tokens ?? cut.budget
  return cut.part === 'message'
    ? note('note.middleOutMessage', 'trimmed', { removed: cut.message_removed_tokens ?? cut.removed_tokens, context })
    : note('note.middleOutHistory', 'trimmed', { removed: cut.removed_tokens, dropped: cut.removed_messages, context })
}

/**
 * One message: its text (a reply is drawn as markdown; an empty one is filled in as it streams),
 * when, and notes (caring, no reply, cut short).
 */
export function message (kind, text, at, notes = []) {
  // Written by the user or the model, in any language: not the page's words.
  const bubble = h('div', { class: 'bubble', id: `message-${++ids}`, dir: 'auto', 'data-user-content': '' })
  const item = h('li', { class: `msg ${kind}` },
    say(h('span', { class: 'visually-hidden' }), kind === 'user' ? 'message.mine' : 'message.ai'),
    bubble,
    h('div', { class: 'meta' }, timeTag(at), ...notes,
      h('span', { class: 'actions' }, copyButton(() => textOf(item), 'copy.message'))))
  setText(item, text)
  return item
}

/** The message's text (what Copy copies), drawn in its bubble; a long one folds. */
export function setText (item, text) {
  sources.set(item, text)
  const bubble = bubbleOf(item)
  if (item.classList.contains('ai')) bubble.replaceChildren(renderMarkdown(text))
  else bubble.textContent = text
  fold(item, text)
}

/** The message's text, as written (what Copy copies). */
export function textOf (item) {
  return sources.get(item) ?? ''
}

/** Records what arrived so far, for Copy, while the bubble is drawn by a stream. */
export function setSource (item, text) {
  sources.set(item, text)
}

export function bubbleOf (item) {
  return item.querySelector('.bubble')
}

/** Adds a note (or any element) to the message's line of notes. */
export function addNote (item, element) {
  item.querySelector('.actions').before(element)
  return element
}

/** Adds a button to the message's actions. */
export function addAction (item, button) {
  item.querySelector('.actions').append(button)
  return button
}

function fold (item, text) {
  item.querySelector('.show-all')?.remove()
  const bubble = bubbleOf(item)
  const long = text.length > LONG_CHARS || text.split('\n', LONG_LINES + 1).length > LONG_LINES
  bubble.classList.toggle('folded', long)
  if (!long) return
  const toggle = h('button', { type: 'button', class: 'show-all link', 'aria-expanded': 'false', 'aria-controls': bubble.id })
  say(toggle, 'message.showAll')
  toggle.addEventListener('click', () => {
    const open = bubble.classList.toggle('folded') === false
    toggle.setAttribute('aria-expanded', String(open))
    say(toggle, open ? 'message.showLess' : 'message.showAll')
  })
  bubble.after(toggle)
}

function timeTag (at) {
  const time = h('time', { datetime: at.toISOString() })
  sayAttr(time, 'title', () => format().dateTime(at))
  return say(time, () => format().when(at))
}
