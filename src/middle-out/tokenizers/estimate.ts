import { encodingOf, splice, type Tokenizer } from './tokenizer.js'

/**
 * A conservative token estimate for models whose vocabulary is not available offline. It is built to
 * count at least as many tokens as the real tokenizers we have (Mistral v1/v3, Llama 2, cl100k, o200k)
 * on English, code, Chinese, Japanese, Korean, Russian and emoji text (test/middle-out/fixtures); the
 * tests check that, and that it stays under twice the largest. Runs of characters are priced by class:
 * - ASCII words: one token per 3 letters (a leading space is free, as in " word"), but one per
 *   character, space included, once they hold a digit (SentencePiece splits numbers into digits);
 * - other letters (accented Latin, Cyrillic, Greek, Arabic…): one per 2;
 * - CJK ideographs, kana and hangul: 2 each;
 * - spaces: one per 4; tabs, newlines and ASCII punctuation: one each;
 * - anything else (emoji, symbols, CJK punctuation): one per UTF-8 byte, the byte-fallback worst case;
 * - one more for the text, as SentencePiece's "▁" prefix can be a token of its own.
 */
const RUNS = / ?[A-Za-z0-9]+| ?[\p{L}\p{M}]+|[ ]+|[\s\S]/gu
const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3131-\u318e\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[\u{20000}-\u{3134f}]/u

interface Price {
  tokens: number
  /** Code points per pseudo-token; 0: each character is priced on its own. */
  step: number
  /** 1 when a leading space rides along with the first pseudo-token. */
  lead: number
}

function price (run: string): Price {
  const lead = run.length > 1 && run.charCodeAt(0) === 0x20 ? 1 : 0
  const body = run.slice(lead)
  const code = body.codePointAt(0) ?? 0
  const length = body.length
  if (code < 0x80) {
    if (/[0-9]/.test(run)) return { tokens: run.length, step: 1, lead: 0 }
    if (isAsciiLetter(code)) return { tokens: Math.ceil(length / 3), step: 3, lead }
    if (code === 0x20) return { tokens: Math.ceil(length / 4), step: 4, lead }
    return { tokens: 1, step: 1, lead: 0 }
  }
  const points = [...body].length
  if (points > 1 || /[\p{L}\p{M}]/u.test(body)) {
    if (CJK.test(body)) return { tokens: 2 * points, step: 0, lead }
    return { tokens: Math.ceil(points / 2), step: 2, lead }
  }
  return { tokens: code < 0x800 ? 2 : code < 0x10000 ? 3 : 4, step: 0, lead: 0 }
}

function isAsciiLetter (code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)
}

export function createEstimateTokenizer (): Tokenizer {
  const count = (text: string): number => {
    // SentencePiece adds a "▁" before the text, a token of its own before a digit or a symbol.
    let tokens = text.length === 0 ? 0 : 1
    for (const [run] of text.matchAll(RUNS)) tokens += price(run).tokens
    return tokens
  }
  return {
    name: 'estimate',
    exact: false,
    count,
    encode (text) {
      const offsets: number[] = text.length === 0 ? [] : [0]
      for (const match of text.matchAll(RUNS)) pseudoTokens(match[0], match.index, offsets)
      offsets.push(text.length)
      return encodingOf(Int32Array.from(offsets))
    },
    countSpliced: (text, encoding, head, tail, marker) => count(splice(text, encoding, head, tail, marker))
  }
}

/** Where the run's pseudo-tokens start: every `step` code points, or per character (`step` 0). */
function pseudoTokens (run: string, at: number, offsets: number[]): void {
  const { tokens, step, lead } = price(run)
  const chars = [...run.slice(lead)]
  let offset = at
  if (step === 0) {
    const perChar = tokens / chars.length
    chars.forEach((char, i) => {
      offsets.push(offset)
      for (let k = 1; k < perChar; k++) offsets.push(-1)
      offset += (i === 0 ? lead : 0) + char.length
    })
    return
  }
  let index = 0
  for (let t = 0; t < tokens; t++) {
    offsets.push(offset)
    if (t === 0) offset += lead
    const stop = Math.min(chars.length, (t + 1) * step)
    while (index < stop) offset += chars[index++]?.length ?? 0
  }
}
