import type { Encoding, Tokenizer } from './tokenizers/tokenizer.js'

/**
 * What replaces the removed middle of a message. It starts and ends with a newline because a newline
 * is a byte piece in SentencePiece vocabularies: nothing merges across it, which makes the count of the
 * cut text exact without encoding it again.
 */
export const MIDDLE_OUT_MARKER = '\n[…]\n'

export interface CutText {
  text: string
  tokens: number
}

/** Each guess at the split is checked; SentencePiece checks are free, others count the kept text. */
const MAX_ATTEMPTS = 4

/**
 * Keeps the first and last tokens of `text` around `MIDDLE_OUT_MARKER` so that the result counts at
 * most `allowance` tokens, as close to it as character boundaries allow. The text goes unchanged when
 * it fits, and becomes empty when not even the marker fits.
 */
export function cutText (text: string, encoding: Encoding, allowance: number, tokenizer: Tokenizer): CutText {
  const total = encoding.count
  if (total <= allowance) return { text, tokens: total }
  if (allowance <= 0) return { text: '', tokens: 0 }

  let best: { head: number, tail: number, tokens: number } | undefined
  const tried = new Set<number>()
  // The marker's cost between two words: the first guess is usually exact, the second corrects it.
  let keep = allowance - (tokenizer.count(`a${MIDDLE_OUT_MARKER}a`) - tokenizer.count('a a'))
  for (let attempt = 0; attempt < MAX_ATTEMPTS && keep >= 0 && !tried.has(keep); attempt++) {
    tried.add(keep)
    const { head, tail } = splitPoints(encoding, keep)
    const tokens = tokenizer.countSpliced(text, encoding, head, tail, MIDDLE_OUT_MARKER)
    if (tokens <= allowance && (best === undefined || tokens > best.tokens)) best = { head, tail, tokens }
    if (tokens === allowance) break
    keep = Math.min(total - 1, keep + allowance - tokens)
  }
  if (best === undefined) {
    // Every guess was over (tokenizers whose junctions merge): fall back to the marker alone.
    const tokens = tokenizer.countSpliced(text, encoding, 0, total, MIDDLE_OUT_MARKER)
    if (tokens > allowance) return { text: '', tokens: 0 }
    best = { head: 0, tail: total, tokens }
  }
  const head = encoding.offset(best.head)
  const tail = encoding.offset(best.tail)
  return { text: text.slice(0, head) + MIDDLE_OUT_MARKER + text.slice(tail), tokens: best.tokens }
}

/**
 * Boundaries keeping `keep` tokens, half before the cut and half after, moved off any boundary that
 * falls inside a character (the head gives way, then the tail takes what the head could not).
 */
function splitPoints (encoding: Encoding, keep: number): { head: number, tail: number } {
  const { count } = encoding
  let head = Math.ceil(keep / 2)
  while (head > 0 && encoding.offset(head) < 0) head--
  let tail = count - (keep - head)
  while (tail < count && encoding.offset(tail) < 0) tail++
  return { head, tail: Math.max(tail, head) }
}
