/* global CSS */
// The conversation list: new, switch, rename, delete, search by title. Beside the chat on a wide
// screen; on a phone, a panel that the "Chats" button opens over the conversation and that closes
// once one is chosen.

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
export function createConversationList ({ getToken, fail, current, open }) {
  let conversations = []
  let asked = 0 // answers to an earlier search (or load) are dropped

  function setOpen (now) {
    el.nav.classList.toggle('open', now)
    el.toggle.setAttribute('aria-expanded', String(now))
    if (now) el.search.focus()
  }
  el.toggle.addEventListener('click', () => setOpen(!el.nav.classList.contains('open')))
  el.close.addEventListener('click', () => {
    setOpen(false)
    el.toggle.focus()
  })
  el.nav.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && el.nav.classList.contains('open')) {
      setOpen(false)
      el.toggle.focus()
    }
  })

  async function fetchList () {
    const mine = ++asked
    const found = await api.conversations(getToken(), el.search.value.trim())
    if (mine !== asked) return null
    conversations = found
    draw()
    return found
  }

  function draw () {
    el.list.replaceChildren(...conversations.map(row))
    const query = el.search.value.trim()
    if (conversations.length === 0) say(el.status, query === '' ? 'conversations.none' : 'conversations.noMatch', { query })
    else say(el.status, () => '')
  }

  function titleOf (conversation) {
    return conversation.title === '' ? null : conversation.title
  }

  function row (conversation) {
    const title = titleOf(conversation)
    const name = h('span', { class: 'conversation-title', dir: 'auto' })
    if (title === null) say(name, 'conversations.untitled')
    else name.textContent = title
    const when = h('time', { datetime: conversation.updated_at })
    say(when, () => format().when(new Date(conversation.updated_at)))
    const openButton = h('button', { type: 'button', class: 'conversation-open', 'aria-current': conversation.id === current() ? 'page' : false }, name, when)
    openButton.addEventListener('click', () => {
      open(conversation.id)
      setOpen(false)
    })
    const rename = h('button', { type: 'button', class: 'quiet small' })
    say(rename, 'conversations.rename')
    sayAttr(rename, 'aria-label', 'conversations.renameLabel', { title: title ?? '' })
    const remove = h('button', { type: 'button', class: 'quiet small danger' })
    say(remove, 'conversations.delete')
    sayAttr(remove, 'aria-label', 'conversations.deleteLabel', { title: title ?? '' })
    const item = h('li', { class: 'conversation', 'data-id': conversation.id }, openButton, h('span', { class: 'conversation-actions' }, rename, remove))
    rename.addEventListener('click', () => renameIn(item, conversation))
    remove.addEventListener('click', () => confirmDelete(item, conversation))
    return item
  }

  function renameIn (item, conversation) {
    const input = h('input', { type: 'text', maxlength: '60', value: conversation.title, required: true, dir: 'auto' })
    sayAttr(input, 'aria-label', 'conversations.newTitle')
    const save = h('button', { type: 'submit', class: 'small primary' })
    say(save, 'conversations.save')
    const cancel = h('button', { type: 'button', class: 'small quiet' })
    say(cancel, 'conversations.cancel')
    const form = h('form', { class: 'conversation-rename' }, input, save, cancel)
    const back = () => {
      draw()
      el.list.querySelector(`[data-id="${CSS.escape(conversation.id)}"] .conversation-open`)?.focus()
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      const title = input.value.trim()
      if (title === '') return input.focus()
      try {
        await api.renameConversation(getToken(), conversation.id, title)
        await fetchList()
      } catch (err) {
        fail(err)
      }
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

  function confirmDelete (item, conversation) {
    const question = h('span', { class: 'conversation-question', role: 'alert' })
    say(question, 'conversations.confirmDelete', { title: titleOf(conversation) ?? '' })
    const yes = h('button', { type: 'button', class: 'small danger' })
    say(yes, 'conversations.delete')
    const no = h('button', { type: 'button', class: 'small quiet' })
    say(no, 'conversations.cancel')
    item.replaceChildren(question, h('span', { class: 'conversation-actions' }, yes, no))
    no.addEventListener('click', () => draw())
    yes.addEventListener('click', async () => {
      try {
        await api.deleteConversation(getToken(), conversation.id)
        const wasOpen = conversation.id === current()
        await fetchList()
        if (wasOpen) open(conversations[0]?.id ?? null)
        el.search.focus()
      } catch (err) {
        fail(err)
      }
    })
    no.focus()
  }

  el.create.addEventListener('click', async () => {
    try {
      const made = await api.createConversation(getToken())
      el.search.value = ''
      await fetchList()
      open(made.id)
      setOpen(false)
    } catch (err) {
      fail(err)
    }
  })
  el.search.addEventListener('input', () => { fetchList().catch(fail) })

  return {
    /** Loads the list; resolves with the conversation to show first (the most recent), or null. */
    async load () {
      el.search.value = ''
      try {
        const found = await fetchList()
        return found?.[0]?.id ?? null
      } catch (err) {
        // A server from before conversations: the whole history is one thread, and no list.
        if (err instanceof ApiError && err.code === 'not_found') {
          el.nav.hidden = true
          el.toggle.hidden = true
          return null
        }
        fail(err)
        return null
      }
    },
    /** Marks the conversation on screen. */
    select (id) {
      for (const button of el.list.querySelectorAll('.conversation-open')) {
        if (button.closest('li').dataset.id === id) button.setAttribute('aria-current', 'page')
        else button.removeAttribute('aria-current')
      }
    },
    /** A message was sent in `id`: it moves to the top, and may have a title now. */
    touched () {
      fetchList().catch(() => {})
    },
    clear () {
      asked++
      conversations = []
      el.list.replaceChildren()
      setOpen(false)
    }
  }
}
