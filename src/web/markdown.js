/* global requestAnimationFrame, cancelAnimationFrame */
// Replies as markdown: parsed by marked, highlighted by highlight.js, and every piece of HTML passed
// through DOMPurify before it reaches the page. HTML typed into a reply is shown as text, never
// parsed; images become links (the CSP would refuse them, and a reply must not make the browser
// fetch anything); links open in a new tab without access to this one.

import { Marked } from '/vendor/marked.js'
import DOMPurify from '/vendor/purify.js'
import hljs from '/vendor/highlight.js'
import { copyButton } from './copy.js'
import { h } from './dom.js'

// Beyond this, code is shown plain: guessing a language reads the text once per grammar.
const HIGHLIGHT_MAX_CHARS = 20_000
const LANGUAGE = /^[\w+#.-]{1,32}$/

/** Everything marked's renderer below can produce, and nothing else. */
const PURIFY = {
  ALLOWED_TAGS: ['p', 'br', 'hr', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
    'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start', 'align'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true
}

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer nofollow')
  }
})

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A marked instance whose headings start at `h3` (the page has its h1 and h2): `levels` maps a
 * markdown depth (1–6) to a heading level.
 */
function parserFor (levels, highlight) {
  return new Marked({
    gfm: true,
    breaks: true, // a chat reply's single line break is meant as one
    renderer: {
      heading ({ tokens, depth }) {
        const level = levels(depth)
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`
      },
      code ({ text, lang }) {
        const language = (lang ?? '').trim().split(/\s/)[0]
        return `<pre><code class="hljs${LANGUAGE.test(language) ? ` language-${language}` : ''}">${highlight ? highlighted(text, language) : escapeHtml(text)}</code></pre>\n`
      },
      html ({ text }) { return escapeHtml(text) },
      image ({ href, text }) { return `<a href="${escapeHtml(href)}">${escapeHtml(text === '' ? href : text)}</a>` },
      checkbox ({ checked }) { return checked ? '☑ ' : '☐ ' }
    }
  })
}

function highlighted (code, language) {
  if (code.length > HIGHLIGHT_MAX_CHARS) return escapeHtml(code)
  try {
    if (hljs.getLanguage(language) !== undefined) return hljs.highlight(code, { language, ignoreIllegals: true }).value
    return hljs.highlightAuto(code).value
  } catch {
    return escapeHtml(code)
  }
}

// While streaming, depth d is h(d+2); a finished reply's depths are ranked from h3, so a reply
// whose headings are ## and #### reads h3, h4 (no level skipped, whatever the model wrote).
const streaming = parserFor((depth) => Math.min(6, depth + 2), false)

function finishedParser (tokens) {
  const depths = new Set()
  streaming.walkTokens(tokens, (token) => { if (token.type === 'heading') depths.add(token.depth) })
  const ranked = [...depths].sort((a, b) => a - b)
  return parserFor((depth) => Math.min(6, 3 + ranked.indexOf(depth)), true)
}

/** Sanitized DOM for `html`, each code block with a copy button, each table in a box of its own. */
function toDom (html) {
  const fragment = DOMPurify.sanitize(html.trim(), PURIFY)
  for (const pre of fragment.querySelectorAll('pre')) {
    const code = pre.querySelector('code')
    const language = [...(code?.classList ?? [])].find((c) => c.startsWith('language-'))?.slice(9) ?? ''
    const head = h('div', { class: 'code-head' }, h('span', { class: 'code-language', translate: 'no' }, language), copyButton(() => code?.textContent ?? '', 'copy.code'))
    const block = h('div', { class: 'code-block' })
    pre.replaceWith(block)
    block.append(head, pre)
  }
  for (const table of fragment.querySelectorAll('table')) {
    // Wide tables scroll sideways inside their own box, reachable by keyboard.
    const wrap = h('div', { class: 'table-wrap', tabindex: '0' })
    table.replaceWith(wrap)
    wrap.append(table)
  }
  return fragment
}

/** The whole of `text` as sanitized, highlighted DOM. */
export function renderMarkdown (text) {
  const tokens = streaming.lexer(text)
  return toDom(finishedParser(tokens).parser(tokens))
}

/**
 * A reply that grows piece by piece, drawn at most once per animation frame. Blocks that are
 * finished (another block has begun after them) are drawn once and kept; only the last block is
 * drawn again, so a long reply costs time in proportion to its length, not its square. `finish`
 * draws the whole reply once more, highlighted (a list continued after a blank line, a link
 * defined at the end: what block-by-block drawing may have read differently).
 */
export function createMarkdownStream (container) {
  let text = ''
  let done = 0 // characters of `text` drawn into the kept blocks
  let frame = 0
  let pendingCr = false
  const live = h('div', { class: 'md-live' })
  container.replaceChildren(live)

  function draw () {
    frame = 0
    const rest = text.slice(done)
    const tokens = streaming.lexer(rest)
    const content = tokens.filter((t) => t.type !== 'space')
    // A link definition is consumed without a token: then the raws do not add up, keep it all live.
    const whole = tokens.reduce((n, t) => n + t.raw.length, 0) === rest.length
    if (whole && content.length > 1) {
      const last = tokens.lastIndexOf(content.at(-1))
      const kept = tokens.slice(0, last)
      live.before(toDom(streaming.parser(kept)))
      done += kept.reduce((n, t) => n + t.raw.length, 0)
      live.replaceChildren(toDom(streaming.parser(tokens.slice(last))))
    } else {
      live.replaceChildren(toDom(streaming.parser(tokens)))
    }
  }

  return {
    append (piece) {
      // marked reads CRLF and CR as LF; so does this, or the raws would not match the text.
      // A CR ending one piece may be the first half of a CRLF: its LF, if it comes, is dropped.
      text += (pendingCr && piece.startsWith('\n') ? piece.slice(1) : piece).replace(/\r\n?/g, '\n')
      pendingCr = piece.endsWith('\r')
      if (frame === 0) frame = requestAnimationFrame(draw)
    },
    finish (full) {
      if (frame !== 0) cancelAnimationFrame(frame)
      frame = 0
      container.replaceChildren(renderMarkdown(full))
    },
    /** Stops drawing, leaving what is on screen. */
    cancel () {
      if (frame !== 0) cancelAnimationFrame(frame)
      frame = 0
    }
  }
}
