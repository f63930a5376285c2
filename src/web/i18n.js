/* global document, localStorage, navigator */
// The page's language: chosen from the browser's languages on the first visit, switchable, kept in
// localStorage. Every string comes from the catalogues in locales/ (t); elements hold how to say
// their text (say, sayAttr), so switching the language relabels the page in place. Dates, times,
// numbers and durations go through Intl in the chosen locale (the `f` each message receives).

import en from './locales/en.js'
import zh from './locales/zh.js'

const STORAGE_KEY = 'simple-chat.language'
const UNITS = [['hour', 3600], ['minute', 60], ['second', 1]]

/** The page's languages: the `<html lang>`, the Intl locale, the catalogue, the API's `Accept-Language`. */
export const LANGUAGES = {
  en: { tag: 'en', name: 'English', catalogue: en },
  'zh-CN': { tag: 'zh-CN', name: '简体中文', catalogue: zh }
}

let current = 'en'
let f = formatters('en')
const listeners = new Set()
// How each element says its text and attributes (functions, called again on a switch).
const spoken = new WeakMap()
let title = () => ''

/**
 * The language for a list of browser languages (`navigator.languages`): the first Chinese or
 * English one; any Chinese tag (zh, zh-CN, zh-TW, zh-Hans…) reads the Simplified Chinese page.
 */
export function pickLanguage (preferred) {
  for (const tag of preferred ?? []) {
    const primary = String(tag).toLowerCase().split('-')[0]
    if (primary === 'zh') return 'zh-CN'
    if (primary === 'en') return 'en'
  }
  return 'en'
}

export function language () {
  return current
}

/** The message `key` in the current language, with `params` (a missing key throws: tests catch it). */
export function t (key, params = {}) {
  const message = LANGUAGES[current].catalogue[key]
  if (message === undefined) throw new Error(`No message "${key}" in ${current}`)
  return typeof message === 'function' ? message(params, f) : message
}

/** The Intl formatters of the current language. */
export function format () {
  return f
}

/**
 * Sets `el`'s text now and after every language switch: from a catalogue key and its params, or
 * from a function (for text put together from several messages). Returns `el`.
 */
export function say (el, what, params) {
  return sayAttr(el, 'textContent', what, params)
}

/** As `say`, for an attribute (`title`, `placeholder`, `aria-label`, `aria-valuetext`). */
export function sayAttr (el, attr, what, params) {
  const render = typeof what === 'function' ? what : () => t(what, params)
  const all = spoken.get(el) ?? {}
  all[attr] = render
  spoken.set(el, all)
  el.setAttribute('data-i18n', '')
  put(el, attr, render())
  return el
}

/** The document's title, said again on a switch. */
export function sayTitle (render) {
  title = render
  document.title = render()
}

function put (el, attr, text) {
  if (attr === 'textContent') el.textContent = text
  else el.setAttribute(attr, text)
}

/** Calls `listener` after every switch (views that draw whole parts, like the report, redraw). */
export function onLanguageChange (listener) {
  listeners.add(listener)
}

/** Switches the page to `tag`, remembers it, and says everything again. */
export function setLanguage (tag, { remember = true } = {}) {
  current = LANGUAGES[tag] === undefined ? 'en' : tag
  f = formatters(current)
  try {
    if (remember) localStorage.setItem(STORAGE_KEY, current)
  } catch {} // storage refused (private mode, disabled): the choice holds for this page only
  document.documentElement.lang = current
  for (const el of document.querySelectorAll('[data-i18n]')) {
    for (const [attr, render] of Object.entries(spoken.get(el) ?? {})) put(el, attr, render())
  }
  document.title = title()
  for (const listener of listeners) listener(current)
}

/**
 * Starts: the static page's `data-i18n-text` / `data-i18n-<attr>` keys become spoken, and the
 * language is the remembered one, else the browser's.
 */
export function startI18n () {
  for (const el of document.querySelectorAll('*')) {
    for (const { name, value } of [...el.attributes]) {
      if (name === 'data-i18n-text') say(el, value)
      else if (name.startsWith('data-i18n-')) sayAttr(el, name.slice('data-i18n-'.length), value)
    }
  }
  let saved = null
  try {
    saved = localStorage.getItem(STORAGE_KEY)
  } catch {}
  const chosen = LANGUAGES[saved] === undefined ? pickLanguage(navigator.languages) : saved
  setLanguage(chosen, { remember: false })
}

// ---- formatting --------------------------------------------------------------------------------

function formatters (tag) {
  // English dates follow the browser's own English (en-GB writes 30 Nov 2026); Chinese is zh-CN.
  const locale = tag === 'en' ? (navigator.languages ?? []).find((l) => /^en\b/i.test(l)) ?? 'en' : tag
  const number = new Intl.NumberFormat(locale)
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
  const shortDate = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' })
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
  const dayAndTime = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' })
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  const units = Object.fromEntries(UNITS.map(([unit]) => [unit, new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: tag === 'en' ? 'long' : 'short' })]))
  const list = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' })
  const plural = new Intl.PluralRules(locale)
  // Report dates are calendar dates (YYYY-MM-DD in the server's DAY_TIMEZONE): never shifted.
  const asDate = (d) => new Date(`${d}T00:00:00Z`)
  const hour = (n) => `${String(n).padStart(2, '0')}:00`
  return {
    locale,
    number: (n) => number.format(n),
    percent: (x) => percent.format(x),
    /** One of `forms` by the plural category of `n` (English: one / other). */
    plural: (n, forms) => forms[plural.select(n)] ?? forms.other,
    date: (d) => date.format(asDate(d)),
    shortDate: (d) => shortDate.format(asDate(d)),
    hourSpan: (n) => `${hour(n)}–${hour((n + 1) % 24)}`,
    hour,
    /** A moment of the conversation: the time today, else date and time. */
    when: (at) => new Date().toDateString() === at.toDateString() ? time.format(at) : dateTime.format(at),
    dateTime: (at) => dateTime.format(at),
    /** A moment in the report's zone, like its days and hours. */
    dateTimeIn (at, zone) {
      try {
        return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(at))
      } catch {
        return dateTime.format(new Date(at))
      }
    },
    /** A local clock time: "17:00" today, "Tue 00:00" on another day. */
    clock: (at) => (new Date().toDateString() === at.toDateString() ? time : dayAndTime).format(at),
    /** Seconds in words: "19 seconds", "3 hours 20 minutes" / "19秒", "3小时20分钟". */
    duration (totalSeconds) {
      const t = Math.max(0, Math.ceil(totalSeconds))
      const parts = UNITS.map(([unit, size]) => [unit, Math.floor((t % (unit === 'hour' ? Infinity : size * 60)) / size)])
      const shown = t < 60 ? parts.slice(2) : t < 3600 ? parts.slice(1) : parts.slice(0, 2)
      const nonZero = shown.filter(([, n], i) => n > 0 || i === 0)
      return list.format(nonZero.map(([unit, n]) => units[unit].format(n)))
    }
  }
}
