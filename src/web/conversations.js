/* global CSS */
// The conversation list: new, switch, rename, delete, search by title. Beside the chat on a wide
// screen; on a phone, a panel that the "Chats" button opens over the conversation and that closes
// once one is chosen. The list's state lives in one object (`list`) that the functions below share.

import * as api from './api.js'
import { byId, h } from './dom.js'
import { ApiError } from './errors.js'
import { format, say, sayAttr } from './i18n.js'

const el = {
  nav: byId('conversations'),
  toggle: byId('conversations-toggle'),
  close: byId('conversations-close'),
  create: byId('new-conversation'),
  search: byId('conversation-search'),
  list: byId('conversation-list'),
  status: byId('conversation-status')
}

/**
 * @param {{ getToken: () => string|null, fail: (err: unknown) => void, current: () => string|null, open: (id: string|null) => void }} options
 */
export function createConversationList (options) {
  const list = {
    ...options,
    conversations: [],
    asked: 0 // answers to an earlier search (or load) are dropped
  }
  listenToPanel()
  el.create.addEventListener('click', () => createConversation(list))
  el.search.addEventListener('input', () => { fetchList(list).catch(list.fail) })

  return {
    /** Loads the list; resolves with the conversation to show first (the most recent), or null. */
    load: () => load(list),
    /** Marks the conversation on screen. */
    select (id) {
      for (const button of el.list.querySelectorAll('.conversation-open')) {
        if (button.closest('li').dataset.id === id) button.setAttribute('aria-current', 'page')
        else button.removeAttribute('aria-current')
      }
    },
    /** A message was sent in `id`: it moves to the top, and may have a title now. */
    touched () {
      fetchList(list).catch(() => {})
    },
    clear () {
      list.asked++
      list.conversations = []
      el.list.replaceChildren()
      setPanelOpen(false)
    }
  }
}

// ---- the panel (on a phone) ----

function setPanelOpen (now) {
  el.nav.classList.toggle('open', now)
  el.toggle.setAttribute('aria-expanded', String(now))
  if (now) el.search.focus()
}

function closePanel () {
  setPanelOpen(false)
  el.toggle.focus()
}

function listenToPanel () {
  el.toggle.addEventListener('click', () => setPanelOpen(!el.nav.classList.contains('open')))
  el.close.addEventListener('click', closePanel)
  el.nav.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && el.nav.classList.contains('open')) closePanel()
  })
}

// ---- loading and drawing ----

async function load (list) {
  el.search.value = ''
  try {
    const found = await fetchList(list)
    return found?.[0]?.id ?? null
  } catch (err) {
    // A server from before conversations: the whole history is one thread, and no list.
    if (err instanceof ApiError && err.code === 'not_found') {
      el.nav.hidden = true
      el.toggle.hidden = true
      return null
    }
    list.fail(err)
    return null
  }
}

async function fetchList (list) {
  const mine = ++list.asked
  const found = await api.conversations(list.getToken(), el.search.value.trim())
  if (mine !== list.asked) return null
  list.conversations = found
  draw(list)
  return found
}

function draw (list) {
  el.list.replaceChildren(...list.conversations.map((conversation) => row(list, conversation)))
  const query = el.search.value.trim()
  if (list.conversations.length === 0) say(el.status, query === '' ? 'conversations.none' : 'conversations.noMatch', { query })
  else say(el.status, () => '')
}

function row (list, conversation) {
  const { item, openButton, rename, remove } = renderRow(conversation, conversation.id === list.current())
  openButton.addEventListener('click', () => {
    list.open(conversation.id)
    setPanelOpen(false)
  })
  rename.addEventListener('click', () => renameIn(list, item, conversation))
  remove.addEventListener('click', () => confirmDelete(list, item, conversation))
  return item
}

// ---- new, rename, delete ----

async function createConversation (list) {
  try {
    const made = await api.createConversation(list.getToken())
    el.search.value = ''
    await fetchList(list)
    list.open(made.id)
    setPanelOpen(false)
  } catch (err) {
    list.fail(err)
  }
}

function renameIn (list, item, conversation) {
  const { form, input, cancel } = renderRenameForm(conversation)
  const back = () => {
    draw(list)
    el.list.querySelector(`[data-id="${CSS.escape(conversation.id)}"] .conversation-open`)?.focus()
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    rename(list, conversation, input)
  })
  cancel.addEventListener('click', back)
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      back()
    }
  })
  item.replaceChildren(form)
  input.focus()
  input.select()
}

async function rename (list, conversation, input) {
  const title = input.value.trim()
  if (title === '') return input.focus()
  try {
    await api.renameConversation(list.getToken(), conversation.id, title)
    await fetchList(list)
  } catch (err) {
    list.fail(err)
  }
}

function confirmDelete (list, item, conversation) {
  const { question, yes, no } = renderDeleteQuestion(conversation)
  item.replaceChildren(question, h('span', { class: 'conversation-actions' }, yes, no))
  no.addEventListener('click', () => draw(list))
  yes.addEventListener('click', () => remove(list, conversation))
  no.focus()
}

async function remove (list, conversation) {
  try {
    await api.deleteConversation(list.getToken(), conversation.id)
    const wasOpen = conversation.id === list.current()
    await fetchList(list)
    if (wasOpen) list.open(list.conversations[0]?.id ?? null)
    el.search.focus()
  } catch (err) {
    list.fail(err)
  }
}

// ---- rendering (elements only; the callers above wire them) ----

function titleOf (conversation) {
  return conversation.title === '' ? null : conversation.title
}

function renderRow (conversation, isCurrent) {
  const title = titleOf(conversation)
  const name = h('span', { class: 'conversation-title', dir: 'auto' })
  if (title === null) say(name, 'conversations.untitled')
  else name.textContent = title
  const when = h('time', { datetime: conversation.updated_at })
  say(when, () => format().when(new Date(conversation.updated_at)))
  const openButton = h('button', { type: 'button', class: 'conversation-open', 'aria-current': isCurrent ? 'page' : false }, name, when)
  const rename = say(h('button', { type: 'button', class: 'quiet small' }), 'conversations.rename')
  sayAttr(rename, 'aria-label', 'conversations.renameLabel', { title: title ?? '' })
  const remove = say(h('button', { type: 'button', class: 'quiet small danger' }), 'conversations.delete')
  sayAttr(remove, 'aria-label', 'conversations.deleteLabel', { title: title ?? '' })
  const item = h('li', { class: 'conversation', 'data-id': conversation.id }, openButton, h('span', { class: 'conversation-actions' }, rename, remove))
  return { item, openButton, rename, remove }
}

function renderRenameForm (conversation) {
  const input = h('input', { type: 'text', maxlength: '60', value: conversation.title, required: true, dir: 'auto' })
  sayAttr(input, 'aria-label', 'conversations.newTitle')
  const save = say(h('button', { type: 'submit', class: 'small primary' }), 'conversations.save')
  const cancel = say(h('button', { type: 'button', class: 'small quiet' }), 'conversations.cancel')
  return { form: h('form', { class: 'conversation-rename' }, input, save, cancel), input, cancel }
}

function renderDeleteQuestion (conversation) {
  const question = h('span', { class: 'conversation-question', role: 'alert' })
  say(question, 'conversations.confirmDelete', { title: titleOf(conversation) ?? '' })
  const yes = say(h('button', { type: 'button', class: 'small danger' }), 'conversations.delete')
  const no = say(h('button', { type: 'button', class: 'small quiet' }), 'conversations.cancel')
  return { question, yes, no }
}
