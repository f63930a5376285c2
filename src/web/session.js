/* global document, localStorage, window */
// The session: the access token, its user and when it expires, kept in localStorage so that a
// reload and a new tab stay logged in (README: why this is acceptable under the page's CSP). It ends
// when the token expires (checked again when a tab comes back: timers sleep in background tabs),
// when the API says it is no longer valid, or on Log out, in every tab at once.

const KEY = 'simple-chat.session'
const MAX_TIMER_MS = 2 ** 31 - 1 // setTimeout's ceiling (~24.8 days); tokens may live 30

/**
 * @param {{ onBegin: () => void, onEnd: (reason: string) => void }} hooks `onEnd` hears `session_expired`,
 *   an API error code, `logged_out` (here) or `logged_out_elsewhere` (another tab)
 */
export function createSession ({ onBegin, onEnd }) {
  /** @type {{ token: string, username: string, expiresAt: number } | null} */
  let current = null
  let timer = null

  function watchExpiry () {
    clearTimeout(timer)
    if (current === null) return
    const left = current.expiresAt - Date.now()
    if (left <= 0) return end('session_expired')
    timer = setTimeout(watchExpiry, Math.min(left, MAX_TIMER_MS))
  }
  document.addEventListener('visibilitychange', watchExpiry)

  function adopt (saved) {
    current = saved
    watchExpiry()
    onBegin()
  }

  function end (reason) {
    if (current === null) return
    current = null
    clearTimeout(timer)
    localStorage.removeItem(KEY)
    onEnd(reason)
  }

  // Another tab logged in, out, or as someone else.
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY && event.key !== null) return
    const saved = read()
    if (saved?.token === current?.token) return
    if (current !== null) {
      current = null
      clearTimeout(timer)
      onEnd('logged_out_elsewhere')
    }
    if (saved !== null) adopt(saved)
  })

  return {
    token: () => current?.token ?? null,
    username: () => current?.username ?? '',
    /** Picks up the session another tab (or this one, before a reload) began; false if none. */
    resume () {
      const saved = read()
      if (saved === null) return false
      adopt(saved)
      return true
    },
    begin (session) {
      localStorage.setItem(KEY, JSON.stringify(session))
      adopt(session)
    },
    end
  }
}

/** The session saved in localStorage, or null (and removed) when it is missing, malformed or expired. */
function read () {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null')
    if (typeof saved?.token === 'string' && typeof saved.username === 'string' && saved.expiresAt > Date.now()) return saved
  } catch {}
  localStorage.removeItem(KEY)
  return null
}
