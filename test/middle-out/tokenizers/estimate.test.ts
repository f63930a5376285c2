import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEstimateTokenizer } from '../../../src/middle-out/tokenizers/estimate.js'
import { loadTokenizer } from '../../../src/middle-out/tokenizers/load-tokenizer.js'
import type { Tokenizer } from '../../../src/middle-out/tokenizers/tokenizer.js'
import { misplacedOffsets, sample, SAMPLE_NAMES, textArbitrary } from '../helpers.js'

describe('the conservative estimate', () => {
  const estimate = createEstimateTokenizer()
  let real: Tokenizer[]

  beforeAll(async () => {
    real = await Promise.all((['mistral-v1', 'mistral-v3', 'llama-2', 'cl100k_base', 'o200k_base'] as const).map(loadTokenizer))
  })

  it.each(SAMPLE_NAMES)('does not under-count %s text against any real tokenizer, nor over-count it wildly', (name) => {
    const text = sample(name)
    const most = Math.max(...real.map((tokenizer) => tokenizer.count(text)))
    const counted = estimate.count(text)
    expect(counted).toBeGreaterThanOrEqual(most)
    expect(counted).toBeLessThan(2 * most)
  })

  it('does not under-count numbers, split digit by digit by SentencePiece', () => {
    const text = Array.from({ length: 500 }, (_, i) => String((i * 7919) % 100003)).join(', ')
    expect(estimate.count(text)).toBeGreaterThanOrEqual(Math.max(...real.map((tokenizer) => tokenizer.count(text))))
  })

  it('encodes into pseudo-tokens consistent with its count', () => {
    fc.assert(fc.property(textArbitrary(), (text) => {
      const encoding = estimate.encode(text)
      expect(encoding.count).toBe(estimate.count(text))
      expect(encoding.offset(0)).toBeLessThanOrEqual(0)
      expect(encoding.offset(encoding.count)).toBe(text.length)
      expect(misplacedOffsets(text, encoding)).toEqual([])
    }), { numRuns: 300 })
  })
})
