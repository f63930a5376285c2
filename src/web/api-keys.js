/* global location, navigator, window */
// Personal API keys (POST/GET /user/api-keys, DELETE /user/api-keys/{id}) in a modal dialog: make
// one with a name (the key is shown once, with a copy button), see them, revoke one. Also says
// where an OpenAI client points: this origin's /v1 and the model it serves.

import * as api from './api.js'
import { byId, h } from './dom.js'
import { ApiError, SESSION_CODES, describeError } from './errors.js'
import { onLanguageChange, say, t } from './i18n.js'

const el = {
  open: byId('open-api-keys'),
  dialog: byId('api-keys-dialog'),
  close: byId('api-keys-close'),
  client: byId('api-keys-client'),
  base: byId('api-keys-base'),
  model: byId('api-keys-model'),
  form: byId('api-key-form'),
  name: byId('api-key-name'),
  error: byId('api-keys-error'),
  created: byId('api-key-created'),
  secret: byId('api-key-secret'),
  copy: byId('api-key-copy'),
  copied: byId('api-key-copied'),
  list: byId('api-keys-list'),
  status: byId('api-keys-status')
}

/** @param {{ getToken: () => string|null, endSession: (code: string) => void }} session */
export function createApiKeys (session) {
  const view = { session, keys: null } // keys: the last list shown, redrawn on a language switch
  el.form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit(view)
  })
  el.copy.addEventListener('click', copy)
  el.close.addEventListener('click', () => el.dialog.close())
  el.open.addEventListener('click', () => open(view))
  onLanguageChange(() => draw(view))
  el.dialog.addEventListener('close', () => forget(view))

  return {
    close () {
      if (el.dialog.open) el.dialog.close()
    }
  }
}

function open (view) {
  el.dialog.showModal()
  el.name.focus()
  describeClient(view.session)
  load(view)
}

/** The key is shown once: closing the dialog forgets it. */
function forget (view) {
  hideCreated()
  el.error.hidden = true
  view.keys = null
  el.list.replaceChildren()
  say(el.client, () => '')
  el.base.textContent = ''
  el.model.textContent = ''
  el.open.focus()
}

/** Ends the session on a dead token, else says what failed; false when the session ended. */
function failed (view, err) {
  if (err instanceof ApiError && SESSION_CODES.has(err.code)) {
    view.session.endSession(err.code)
    return false
  }
  say(el.error, () => describeError(err))
  el.error.hidden = false
  return true
}

// ---- the list ----

async function load (view) {
  say(el.status, 'keys.loading')
  try {
    view.keys = await api.apiKeys(view.session.getToken())
    draw(view)
  } catch (err) {
    if (failed(view, err)) say(el.status, () => '')
  }
}

function draw (view) {
  const { keys } = view
  if (keys === null) return
  say(el.status, () => keys.length === 0 ? t('keys.none') : '')
  el.list.replaceChildren(...keys.map((key) => renderKey(key, (button) => remove(view, key, button))))
}

/** One key, drawn whole (and again on a language switch); `onRevoke(button)` hears Revoke. */
function renderKey (key, onRevoke) {
  const revoke = h('button', { type: 'button', class: 'quiet', 'aria-label': t('keys.revokeNamed', { name: key.name }) }, t('keys.revoke'))
  revoke.addEventListener('click', () => onRevoke(revoke))
  return h('li', { class: 'api-key' },
    h('span', { class: 'api-key-name', translate: 'no' }, key.name),
    h('time', { class: 'hint', datetime: key.created_at }, t('keys.createdAt', { at: new Date(key.created_at) })),
    revoke)
}

async function remove (view, key, button) {
  if (!window.confirm(t('keys.confirmRevoke', { name: key.name }))) return
  button.disabled = true
  el.error.hidden = true
  try {
    await api.revokeApiKey(view.session.getToken(), key.id)
  } catch (err) {
    // Already gone (revoked in another tab): the list is reloaded either way.
    if (!(err instanceof ApiError && err.code === 'api_key_not_found') && !failed(view, err)) return
  }
  if (el.created.dataset.id === key.id) hideCreated()
  await load(view)
  el.name.focus()
}

// ---- making one ----

async function submit (view) {
  const name = el.name.value.trim()
  el.error.hidden = true
  el.name.removeAttribute('aria-invalid')
  if (name === '') {
    say(el.error, 'keys.nameRequired')
    el.error.hidden = false
    el.name.setAttribute('aria-invalid', 'true')
    return el.name.focus()
  }
  const button = el.form.querySelector('button[type="submit"]')
  button.disabled = true
  try {
    const created = await api.createApiKey(view.session.getToken(), name)
    showCreated(created)
    el.name.value = ''
    el.copy.focus()
    await load(view)
  } catch (err) {
    failed(view, err)
  } finally {
    button.disabled = false
  }
}

function showCreated (created) {
  el.secret.value = created.key
  el.created.dataset.id = created.id
  el.created.hidden = false
  say(el.copied, () => '')
}

function hideCreated () {
  el.created.hidden = true
  el.secret.value = ''
  delete el.created.dataset.id
  say(el.copied, () => '')
}

async function copy () {
  try {
    await navigator.clipboard.writeText(el.secret.value)
    say(el.copied, 'keys.copied')
  } catch {
    // No clipboard (an insecure origin, a refused permission): the key is selected to copy by hand.
    el.secret.select()
    say(el.copied, 'keys.copyByHand')
  }
}

/** Where an OpenAI client points; said only while open (it names a brand and a URL in any language). */
async function describeClient (session) {
  say(el.client, 'keys.client')
  el.base.textContent = `${location.origin}/v1`
  el.model.textContent = '…'
  try {
    el.model.textContent = (await api.models(session.getToken())).data?.[0]?.id ?? ''
  } catch {
    el.model.textContent = ''
  }
}
