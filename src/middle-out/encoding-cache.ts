import { LRUCache } from 'lru-cache'
import { encodeEnds, estimateCount } from './encode-ends.js'
import type { Encoding, Tokenizer } from './tokenizers/tokenizer.js'

/** Texts shorter than this are encoded each time: cheaper than keeping them. */
const MIN_CACHED_CHARS = 256

/** A text's token count, and its encoding once it had to be encoded (`limit`: how far its ends were). */
interface Entry { tokenizer: string, count: number, encoded?: { limit: number, encoding: Encoding } }

/** A `Sizer` (cut.ts) that remembers. */
export interface EncodingCache {
  /** `encodeEnds(text, limit, tokenizer)`, from the cache when this text was encoded before. */
  encode (text: string, limit: number, tokenizer: Tokenizer): Encoding
  /** Whether `encode` would tokenize (a text long enough to keep, not kept yet). */
  misses (text: string, limit: number, tokenizer: Tokenizer): boolean
  /** `estimateCount(text, limit, tokenizer)` (or the encoding's count), from the cache when known. */
  estimate (text: string, limit: number, tokenizer: Tokenizer): number
}

/**
 * The encodings of recent texts, so a user's history is not tokenized again on every chat: each
 * record is encoded once (its ends only, see encode-ends.ts), on the first chat that keeps it, and a
 * record only dropped is estimated once. Keyed by the text itself, bounded by the characters it holds
 * (`maxChars`); least recently used first out. An encoding is reused only for the same tokenizer and
 * at most the limit it was made for.
 */
export function createEncodingCache (maxChars = 32 * 1024 * 1024): EncodingCache {
  const entries = new LRUCache<string, Entry>({ maxSize: maxChars, sizeCalculation: (_entry, text) => text.length })
  const known = (text: string, tokenizer: Tokenizer, peek = false): Entry | undefined => {
    const entry = peek ? entries.peek(text) : entries.get(text)
    return entry?.tokenizer === tokenizer.name ? entry : undefined
  }
  const encoded = (entry: Entry | undefined, limit: number): Encoding | undefined =>
    entry?.encoded !== undefined && entry.encoded.limit >= limit ? entry.encoded.encoding : undefined
  return {
    encode (text, limit, tokenizer) {
      if (text.length < MIN_CACHED_CHARS) return encodeEnds(text, limit, tokenizer)
      const hit = encoded(known(text, tokenizer), limit)
      if (hit !== undefined) return hit
      const encoding = encodeEnds(text, limit, tokenizer)
      entries.set(text, { tokenizer: tokenizer.name, count: encoding.count, encoded: { limit, encoding } })
      return encoding
    },
    misses (text, limit, tokenizer) {
      return text.length >= MIN_CACHED_CHARS && encoded(known(text, tokenizer, true), limit) === undefined
    },
    estimate (text, limit, tokenizer) {
      if (text.length < MIN_CACHED_CHARS) return estimateCount(text, limit, tokenizer)
      const entry = known(text, tokenizer)
      if (entry !== undefined) return entry.count
      const count = estimateCount(text, limit, tokenizer)
      entries.set(text, { tokenizer: tokenizer.name, count })
      return count
    }
  }
}
