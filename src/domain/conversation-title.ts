/** A title taken from a first message is at most this many characters (SPEC "Conversations"). */
export const AUTO_TITLE_CHARS = 60
/** A title given by the user (POST, PATCH) is at most this many characters. */
export const TITLE_MAX_CHARS = 100

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })
// Line breaks, tabs and other control characters would break a one-line title: each run is one space.
const BLANKS = /[\s\p{Cc}]+/gu
// Enough of a message to make a title from, whatever its length (a message may be 200,000 characters).
const HEAD_CHARS = 4 * AUTO_TITLE_CHARS + 256

/** The text as one line: blank and control runs as one space, trimmed. */
function oneLine (text: string): string {
  return text.replace(BLANKS, ' ').trim()
}

// A cut word is taken back to its start when that loses at most this many characters.
const WORD_BACKTRACK = 20
const WORD = /^[\p{L}\p{N}\p{M}]/u

/**
 * A conversation's title from its first message, without asking the provider: the message as one
 * line, at most 60 characters (code points), cut only between whole characters as people see
 * them (an emoji with its modifiers, a letter with its accents), before a word cut in two where
 * words are spaced, and then marked with "…".
 */
export function titleFrom (message: string): string {
  const line = oneLine(message.trimStart().slice(0, HEAD_CHARS))
  if (codePoints(line) <= AUTO_TITLE_CHARS) return line
  let title = ''
  let length = 0
  for (const { segment } of graphemes.segment(line)) {
    const size = codePoints(segment)
    if (length + size > AUTO_TITLE_CHARS - 1) {
      const space = title.lastIndexOf(' ')
      const midWord = WORD.test(segment) && WORD.test(title.slice(-1))
      if (midWord && space > 0 && title.length - space <= WORD_BACKTRACK) title = title.slice(0, space)
      break
    }
    title += segment
    length += size
  }
  return `${title.trimEnd()}…`
}

/**
 * A title given by the user, as stored: one line, 1–100 characters, well-formed Unicode; or what
 * is wrong with it (the route answers 422 with it).
 */
export function checkTitle (given: string): { title: string } | { invalid: string } {
  if (!given.isWellFormed()) return { invalid: 'not well-formed Unicode (a lone surrogate)' }
  const title = oneLine(given)
  if (title === '') return { invalid: 'empty' }
  if (codePoints(title) > TITLE_MAX_CHARS) return { invalid: `longer than ${TITLE_MAX_CHARS} characters` }
  return { title }
}

/** The form titles are searched in: lower case, compatibility forms folded (ｆｕｌｌ → full). */
export function titleKey (title: string): string {
  return title.normalize('NFKC').toLowerCase()
}

/** What a search by title looks for: the query as one line, in the form titles are searched in. */
export function searchKey (query: string): string {
  return titleKey(oneLine(query))
}

function codePoints (text: string): number {
  // Characters outside the BMP are two UTF-16 units and one code point.
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
}
