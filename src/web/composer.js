/* global sessionStorage */
// The message box: Enter sends (not while an IME is composing), Shift+Enter is a new line, the box
// grows with its text (CSS `field-sizing`), the draft is kept per conversation for this tab, and
// Send turns into Stop while a reply is on its way.

import { byId } from './dom.js'

const el = {
  form: byId('composer'),
  input: byId('message'),
  send: byId('send'),
  stop: byId('stop')
}

/**
 * @param {{ draftKey: () => string, onSend: (text: string) => void, onEmpty: () => void, onStop: () => void }} options
 */
export function createComposer ({ draftKey, onSend, onEmpty, onStop }) {
  const box = { busy: false, held: false }
  const saveDraft = () => save(draftKey())
  listen({ saveDraft, onSend, onEmpty, onStop })

  return {
    text: () => el.input.value,
    /** Puts `text` in the box (a draft, a message handed back, one to edit). */
    set (text, { focus = false } = {}) {
      el.input.value = text
      saveDraft()
      if (focus) {
        el.input.focus()
        el.input.setSelectionRange(text.length, text.length)
      }
    },
    /** Hands `text` back after a failure, unless something new was written meanwhile. */
    restore (text) {
      if (el.input.value.trim() === '') el.input.value = text
      saveDraft()
    },
    clear () {
      el.input.value = ''
      saveDraft()
    },
    loadDraft () {
      el.input.value = sessionStorage.getItem(draftKey()) ?? ''
    },
    saveDraft,
    focus: () => el.input.focus(),
    /** A reply is on its way: Stop instead of Send (the focus stays in the box, not on a hidden button). */
    setBusy (now) {
      if ((now && el.send.matches(':focus')) || (!now && el.stop.matches(':focus'))) el.input.focus()
      box.busy = now
      update(box)
    },
    /** Send is held while a limit's countdown runs. */
    hold (now) {
      box.held = now
      update(box)
    }
  }
}

function update ({ busy, held }) {
  el.send.disabled = busy || held
  el.send.hidden = busy
  el.stop.hidden = !busy
  el.form.setAttribute('aria-busy', String(busy))
}

/** Keeps the box's text as the draft under `key` (none when empty). */
function save (key) {
  if (el.input.value === '') sessionStorage.removeItem(key)
  else sessionStorage.setItem(key, el.input.value)
}

function listen ({ saveDraft, onSend, onEmpty, onStop }) {
  el.form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = el.input.value
    if (text.trim() === '') {
      onEmpty()
      el.input.focus()
      return
    }
    onSend(text)
  })
  el.input.addEventListener('keydown', (event) => {
    // Enter that confirms an IME composition (Chinese, Japanese input) must not send half a sentence.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
    event.preventDefault()
    el.form.requestSubmit()
  })
  el.input.addEventListener('input', saveDraft)
  el.stop.addEventListener('click', () => {
    onStop()
    el.input.focus()
  })
}
