/* global document */
// Tiny DOM helpers. Text always goes in through textContent, never innerHTML: messages, names and
// server sentences are untrusted, and the page must stay safe under a strict CSP.

const SVG_NS = 'http://www.w3.org/2000/svg'

/**
 * Creates an element: `h('p', { class: 'x', hidden: true }, 'text', child)`.
 * Attributes set to `false`, `null` or `undefined` are left out; `true` sets an empty attribute.
 */
export function h (tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children)
}

/** As `h`, in the SVG namespace (presentation attributes only: inline `style` is refused by the CSP). */
export function s (tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children)
}

function fill (el, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child)
  }
  return el
}

/** The element with this id; throws early when the HTML and the code disagree. */
export function byId (id) {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`#${id} is missing from index.html`)
  return el
}

/** Seconds as a clock, `m:ss`, or `h:mm:ss` from an hour up (the same in every language). */
export function formatDuration (totalSeconds) {
  const t = Math.max(0, Math.ceil(totalSeconds))
  const hours = Math.floor(t / 3600)
  const minutes = Math.floor((t % 3600) / 60)
  const seconds = String(t % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}
