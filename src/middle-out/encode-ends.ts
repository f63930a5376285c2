import type { Encoding, Tokenizer } from './tokenizers/tokenizer.js'

/**
 * The encoding of a text's two ends, as far as a cut could keep of them: the work of a long message
 * is bounded by the model's window, not by the message. A cut keeps at most `limit` tokens of each
 * end, so each end is encoded just past `limit` tokens (a first window of `limit` characters, then
 * one sized from what it held); a text whose ends would meet is encoded whole, exactly.
 *
 * For a windowed text, `count` is the two ends' tokens plus an estimate for the middle from a few
 * samples of it (always more than `2 × limit`, so such a text never "fits"); boundaries exist only in
 * the ends, away from the windows' inner edges (where a window's tokens may differ from the text's).
 */
export function encodeEnds (text: string, limit: number, tokenizer: Tokenizer): Encoding {
  const want = limit + MARGIN
  // Two windows would cost as much as the whole text: encode it whole.
  if (text.length <= 2 * want) return tokenizer.encode(text)
  const head = grow(text, want, tokenizer, (chars) => text.slice(0, snapEnd(text, chars)))
  // A text of a few windows' worth (the seed's 12,000 tokens for an 8,192 window) is counted exactly:
  // that costs at most about twice the window.
  if (head === undefined || text.length * (head.encoding.count / head.text.length) <= WHOLE * want) return tokenizer.encode(text)
  const tail = grow(text, want, tokenizer, (chars) => text.slice(snapStart(text, text.length - chars)))
  if (tail === undefined || head.text.length + tail.text.length >= text.length) {
    return tokenizer.encode(text)
  }
  return joinEnds(text, head, tail, middleDensity(text, head.text.length, text.length - tail.text.length, tokenizer))
}

/**
 * A text's token count without encoding its ends: exact for a text `encodeEnds` would encode whole
 * at this `limit`, else estimated from samples spread across it (for a message a cut drops whole:
 * only the report's figures use it).
 */
export function estimateCount (text: string, limit: number, tokenizer: Tokenizer): number {
  if (text.length <= 2 * (limit + MARGIN)) return tokenizer.count(text)
  return Math.max(1, Math.ceil(text.length * middleDensity(text, 0, text.length, tokenizer)))
}

/** Samples taken from the middle for its estimate, and their length: a few thousand characters in all. */
const SAMPLES = 8
const SAMPLE_CHARS = 256

/** Tokens per character of the middle, from samples spread across it (text mixes scripts, code, emoji). */
function middleDensity (text: string, from: number, to: number, tokenizer: Tokenizer): number {
  const step = (to - from) / SAMPLES
  let tokens = 0
  let chars = 0
  for (let i = 0; i < SAMPLES; i++) {
    const start = snapStart(text, Math.floor(from + step * i))
    const sample = text.slice(start, snapEnd(text, Math.min(to, start + SAMPLE_CHARS)))
    tokens += tokenizer.count(sample)
    chars += sample.length
  }
  return chars === 0 ? 1 : tokens / chars
}

/**
 * Tokens a window holds beyond `limit`, and characters at its inner edge where no cut falls (at most
 * 2 tokens a character, byte pieces of an emoji: the margin covers the edge).
 */
const MARGIN = 256
/** Texts estimated (at the head's density) at up to this many windows are encoded whole. */
const WHOLE = 4
const EDGE = 64

interface Window { text: string, encoding: Encoding }

/**
 * The smallest window (by a first probe and one extrapolation, at most a few tries) holding `want`
 * tokens; `undefined` once a window would cover half the text (then encode it whole).
 */
function grow (text: string, want: number, tokenizer: Tokenizer, slice: (chars: number) => string): Window | undefined {
  let chars = want
  for (let attempt = 0; attempt < 6; attempt++) {
    if (chars * 2 >= text.length) return undefined
    const window = slice(chars)
    const encoding = tokenizer.encode(window)
    if (encoding.count >= want) return { text: window, encoding }
    // Tokens per character of this window, with a little room: usually the next try is the last.
    chars = Math.ceil(chars * Math.min(16, (want * 1.15) / Math.max(1, encoding.count))) + 64
  }
  return undefined
}

function joinEnds (text: string, head: Window, tail: Window, density: number): Encoding {
  const headCount = head.encoding.count
  const tailCount = tail.encoding.count
  const tailStart = text.length - tail.text.length
  const middleChars = tailStart - head.text.length
  const count = headCount + tailCount + Math.max(1, Math.ceil(middleChars * density))
  const firstTail = count - tailCount
  return {
    count,
    offset (boundary) {
      if (boundary <= 0) return 0
      if (boundary >= count) return text.length
      if (boundary < headCount) {
        const at = head.encoding.offset(boundary)
        return at > head.text.length - EDGE ? -1 : at
      }
      if (boundary <= firstTail) return -1
      const at = tail.encoding.offset(boundary - firstTail)
      return at < 0 || at < EDGE ? -1 : tailStart + at
    }
  }
}

/** A window end that does not split a surrogate pair. */
function snapEnd (text: string, end: number): number {
  const code = text.charCodeAt(end - 1)
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end
}

function snapStart (text: string, start: number): number {
  const code = text.charCodeAt(start)
  return code >= 0xdc00 && code <= 0xdfff ? start + 1 : start
}
