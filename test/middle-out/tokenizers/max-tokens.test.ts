import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TokenizerKind } from '../../../src/middle-out/models.js'
import { loadTokenizer } from '../../../src/middle-out/tokenizers/load-tokenizer.js'
import { maxTokens } from '../../../src/middle-out/tokenizers/tokenizer.js'
import { longRunArbitrary, sample, SAMPLE_NAMES, textArbitrary } from '../helpers.js'

// cutMiddle skips tokenizing a prompt within this bound, so it must hold for every exact tokenizer.
const KINDS: TokenizerKind[] = ['mistral-v1', 'mistral-v3', 'llama-2', 'cl100k_base', 'o200k_base']

describe.each(KINDS)('maxTokens bounds the %s tokenizer', (kind) => {
  it('on real text in several languages, a character at a time and whole', async () => {
    const tokenizer = await loadTokenizer(kind)
    for (const name of SAMPLE_NAMES) {
      const text = sample(name)
      expect(tokenizer.count(text), name).toBeLessThanOrEqual(maxTokens(text))
      for (const char of new Set(text)) expect(tokenizer.count(char), JSON.stringify(char)).toBeLessThanOrEqual(maxTokens(char))
    }
  })

  it('on generated text: byte fallback, digits, emoji, lone surrogates, long runs', async () => {
    const tokenizer = await loadTokenizer(kind)
    fc.assert(fc.property(fc.oneof(textArbitrary(), longRunArbitrary, fc.string({ unit: 'binary' })), (text) => {
      expect(tokenizer.count(text)).toBeLessThanOrEqual(maxTokens(text))
    }), { numRuns: 300 })
  })
})
