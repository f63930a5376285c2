/* global sessionStorage */
// The wait after a limit refusal: the reason, a live countdown from `retry_after`, and the Send
// button held until it ends. Kept in sessionStorage, so a reload does not forget it.

import { byId, formatDuration } from './dom.js'
import { ApiError, describeError } from './errors.js'
import { say, t } from './i18n.js'

const el = {
  box: byId('limit'),
  text: byId('limit-text'),
  clock: byId('countdown'),
  announce: byId('limit-announce')
}

/**
 * @param {{ storageKey: () => string, onChange: (waiting: boolean, code: string) => void }} options
 *   `onChange` hears when a wait starts and ends (the chat holds its Send button meanwhile)
 */
export function createCountdown ({ storageKey, onChange }) {
  let until = 0
  let code = ''
  let timer = null

  function start (err) {
    const seconds = err.retryAfter ?? 30
    until = Date.now() + seconds * 1000
    code = err.code
    sessionStorage.setItem(storageKey(), JSON.stringify({ at: until, code: err.code, detail: err.detail }))
    say(el.text, () => describeError(err))
    el.box.hidden = false
    // Announced once; the ticking clock itself is not live, or it would talk every second.
    say(el.announce, () => t('countdown.announce', { sentence: describeError(err), seconds }))
    onChange(true, code)
    tick()
  }

  function tick () {
    clearTimeout(timer)
    const left = (until - Date.now()) / 1000
    if (left <= 0) return end()
    el.clock.textContent = formatDuration(left)
    el.clock.dateTime = `PT${Math.ceil(left)}S`
    // Wake at the next whole second of the wait, so the display never skips one.
    timer = setTimeout(tick, (left * 1000) % 1000 || 1000)
  }

  function end () {
    until = 0
    sessionStorage.removeItem(storageKey())
    el.box.hidden = true
    say(el.announce, 'countdown.over')
    onChange(false, code)
  }

  return {
    start,
    waiting: () => until > Date.now(),
    /** Picks up a wait saved before a reload. */
    resume () {
      const refusal = savedRefusal(storageKey())
      if (refusal !== null) start(refusal)
    },
    /** Hides it without forgetting it (leaving the chat). */
    clear () {
      clearTimeout(timer)
      until = 0
      el.box.hidden = true
      say(el.announce, () => '')
    },
    /** Empties the announcement, so the next message's news is not read with stale words. */
    quiet () {
      say(el.announce, () => '')
    }
  }
}

/** The refusal whose wait was saved under `key` before a reload, or null (and forgotten) if it is over. */
function savedRefusal (key) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) ?? 'null')
    if (saved !== null && saved.at > Date.now()) return new ApiError(saved.code, saved.detail, { retryAfter: (saved.at - Date.now()) / 1000 })
  } catch {}
  sessionStorage.removeItem(key)
  return null
}
