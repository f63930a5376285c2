/* global navigator, document, setTimeout, clearTimeout */
// Copy buttons (a message, a code block). The Clipboard API needs a secure context: over plain
// HTTP on a LAN address there is none, so the text is copied from a selection instead.

import { h } from './dom.js'
import { say, sayAttr } from './i18n.js'

const SHOWN_MS = 2000

/** A button that copies `text()`; `name` (a message key) says what it copies, to a screen reader. */
export function copyButton (text, name) {
  const button = h('button', { type: 'button', class: 'copy quiet' })
  const label = (key) => {
    say(button, key)
    sayAttr(button, 'aria-label', key === 'copy.label' ? name : key)
  }
  label('copy.label')
  let timer = 0
  button.addEventListener('click', async () => {
    const ok = await copyText(text())
    label(ok ? 'copy.done' : 'copy.failed')
    clearTimeout(timer)
    timer = setTimeout(() => label('copy.label'), SHOWN_MS)
  })
  return button
}

async function copyText (text) {
  try {
    if (navigator.clipboard !== undefined) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {}
  const area = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true', tabindex: '-1' })
  area.value = text
  const focused = document.activeElement
  document.body.append(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
    focused?.focus()
  }
}
