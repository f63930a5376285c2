/* global sessionStorage */
// The page's entry: the language, logging in and out, and which view is showing (the session
// itself, shared by the tabs and ended at expiry, is session.js's).

import * as api from './api.js'
import { createApiKeys } from './api-keys.js'
import { createChat } from './chat.js'
import { byId } from './dom.js'
import { ApiError, describeError } from './errors.js'
import { language, say, sayTitle, setLanguage, startI18n, t } from './i18n.js'
import { createReport } from './report.js'
import { createSession } from './session.js'

startI18n()

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/

const el = {
  authView: byId('auth-view'),
  authTitle: byId('auth-title'),
  authStatus: byId('auth-status'),
  loginForm: byId('login-form'),
  loginUsername: byId('login-username'),
  loginPassword: byId('login-password'),
  loginError: byId('login-error'),
  registerForm: byId('register-form'),
  registerUsername: byId('register-username'),
  registerPassword: byId('register-password'),
  registerError: byId('register-error'),
  showRegister: byId('show-register'),
  showLogin: byId('show-login'),
  chatView: byId('chat-view'),
  sessionBar: byId('session-bar'),
  who: byId('who'),
  logout: byId('logout'),
  openReport: byId('open-report'),
  message: byId('message'),
  language: byId('language')
}

const session = createSession({ onBegin: showChat, onEnd: ended })
const chat = createChat({ getToken: session.token, username: session.username, endSession: session.end })
const report = createReport({ getToken: session.token, endSession: session.end })
const apiKeys = createApiKeys({ getToken: session.token, endSession: session.end })

/**
 * The session ended: after expiry or a 401 the user is sent back to log in, with the reason; after
 * Log out (here or in another tab), everything this tab kept (drafts, countdowns) goes too.
 */
function ended (reason) {
  const username = el.who.textContent
  chat.stop()
  report.close()
  apiKeys.close()
  if (reason === 'logged_out' || reason === 'logged_out_elsewhere') {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('simple-chat.')) sessionStorage.removeItem(key)
    showAuth('login', () => t('session.loggedOut'))
    el.loginUsername.focus()
    return
  }
  showAuth('login', () => describeError(new ApiError(reason, '')))
  el.loginUsername.value = username
  el.loginPassword.focus()
}

// ---- views ----------------------------------------------------------------------------------

/** The log-in (or register) form, with `status` (a function giving the sentence) above it. */
function showAuth (mode, status = null) {
  el.chatView.hidden = true
  el.sessionBar.hidden = true
  el.authView.hidden = false
  say(el.authStatus, status ?? (() => ''))
  el.authStatus.hidden = status === null
  showForm(mode)
  sayTitle(() => t('app.name'))
}

function showForm (mode) {
  const login = mode === 'login'
  el.loginForm.hidden = !login
  el.registerForm.hidden = login
  say(el.authTitle, login ? 'auth.login.title' : 'auth.register.title')
  for (const error of [el.loginError, el.registerError]) error.hidden = true
}

function showChat () {
  el.authView.hidden = true
  el.authStatus.hidden = true
  el.chatView.hidden = false
  el.sessionBar.hidden = false
  const username = session.username()
  el.who.textContent = username
  el.loginPassword.value = ''
  el.registerPassword.value = ''
  sayTitle(() => t('app.titleUser', { username }))
  chat.start()
  el.message.focus()
}

// ---- forms ----------------------------------------------------------------------------------

/** Shows a form's error: a message key, or a function giving the sentence. */
function formError (box, what, field) {
  say(box, what)
  box.hidden = false
  field?.setAttribute('aria-invalid', 'true')
  field?.focus()
}

function clearFormError (box, ...fields) {
  box.hidden = true
  say(box, () => '')
  for (const field of fields) field.removeAttribute('aria-invalid')
}

/** Runs `work` with the form's submit button busy (saying `label`, a key), so a double press sends once. */
async function busy (form, label, work) {
  const button = form.querySelector('button[type="submit"]')
  const idle = button.getAttribute('data-i18n-text')
  button.disabled = true
  say(button, label)
  form.setAttribute('aria-busy', 'true')
  try {
    await work()
  } finally {
    button.disabled = false
    say(button, idle)
    form.removeAttribute('aria-busy')
  }
}

async function logIn (username, password) {
  const token = await api.logIn(username, password)
  let name = username
  try {
    name = (await api.status(token.access_token)).username // as registered, whatever was typed
  } catch {}
  session.begin({ token: token.access_token, username: name, expiresAt: Date.now() + token.expires_in * 1000 })
}

el.loginForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const username = el.loginUsername.value.trim()
  const password = el.loginPassword.value
  clearFormError(el.loginError, el.loginUsername, el.loginPassword)
  el.authStatus.hidden = true
  if (username === '') return formError(el.loginError, 'auth.enterUsername', el.loginUsername)
  if (password === '') return formError(el.loginError, 'auth.enterPassword', el.loginPassword)
  busy(el.loginForm, 'auth.login.busy', async () => {
    try {
      await logIn(username, password)
    } catch (err) {
      const field = err instanceof ApiError && err.code === 'invalid_credentials' ? el.loginPassword : null
      formError(el.loginError, () => describeError(err), field)
    }
  })
})

el.registerForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const username = el.registerUsername.value.trim()
  const password = el.registerPassword.value
  clearFormError(el.registerError, el.registerUsername, el.registerPassword)
  if (!USERNAME.test(username)) {
    return formError(el.registerError, 'auth.badUsername', el.registerUsername)
  }
  if ([...password].length < 8) return formError(el.registerError, 'auth.shortPassword', el.registerPassword)
  if ([...password].length > 256) return formError(el.registerError, 'auth.longPassword', el.registerPassword)
  busy(el.registerForm, 'auth.register.busy', async () => {
    try {
      await api.register(username, password)
    } catch (err) {
      const field = err instanceof ApiError && err.code === 'username_taken' ? el.registerUsername : null
      return formError(el.registerError, () => describeError(err), field)
    }
    try {
      await logIn(username, password)
    } catch (err) {
      showForm('login')
      el.loginUsername.value = username
      formError(el.loginError, () => t('auth.createdButNotLoggedIn', { reason: describeError(err) }), el.loginPassword)
    }
  })
})

el.showRegister.addEventListener('click', () => {
  el.registerUsername.value = el.loginUsername.value
  showForm('register')
  el.registerUsername.focus()
})
el.showLogin.addEventListener('click', () => {
  el.loginUsername.value = el.registerUsername.value
  showForm('login')
  el.loginUsername.focus()
})
el.logout.addEventListener('click', () => session.end('logged_out'))
el.openReport.addEventListener('click', () => report.open(el.openReport))
el.language.value = language()
el.language.addEventListener('change', () => setLanguage(el.language.value))

// ---- start ----------------------------------------------------------------------------------

if (!session.resume()) {
  showAuth('login')
  el.loginUsername.focus()
}
