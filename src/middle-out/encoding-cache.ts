import { LRUCache } from 'lru-cache'
import { encodeEnds } from './encode-ends.js'
import type { Encoding, Tokenizer } from './tokenizers/tokenizer.js'

/** Texts shorter than this are encoded each time: cheaper than keeping them. */
const MIN_CACHED_CHARS = 256

interface Entry { tokenizer: string, limit: number, encoding: Encoding }

export interface EncodingCache {
  /** `encodeEnds(text, limit, tokenizer)`, from the cache when this text was encoded before. */
  encode (text: string, limit: number, tokenizer: Tokenizer): Encoding
  /** Whether `encode` would tokenize (a text long enough to keep, not kept yet). */
  misses (text: string, limit: number, tokenizer: Tokenizer): boolean
}

/**
 * The encodings of recent texts, so a user's history is not tokenized again on every chat: each
 * record is encoded once (its ends only, see encode-ends.ts), on the first chat that sends it.
 * Keyed by the text itself, bounded by the characters it holds (`maxChars`); least recently used
 * first out. An entry is reused only for the same tokenizer and at most the limit it was made for.
 */
export function createEncodingCache (maxChars = 32 * 1024 * 1024): EncodingCache {
  const entries = new LRUCache<string, Entry>({ maxSize: maxChars, sizeCalculation: (_entry, text) => text.length })
  const usable = (entry: Entry | undefined, limit: number, tokenizer: Tokenizer): entry is Entry =>
    entry !== undefined && entry.tokenizer === tokenizer.name && entry.limit >= limit
  return {
    encode (text, limit, tokenizer) {
      if (text.length < MIN_CACHED_CHARS) return encodeEnds(text, limit, tokenizer)
      const hit = entries.get(text)
      if (usable(hit, limit, tokenizer)) return hit.encoding
      const encoding = encodeEnds(text, limit, tokenizer)
      entries.set(text, { tokenizer: tokenizer.name, limit, encoding })
      return encoding
    },
    misses (text, limit, tokenizer) {
      return text.length >= MIN_CACHED_CHARS && !usable(entries.peek(text), limit, tokenizer)
    }
  }
}
