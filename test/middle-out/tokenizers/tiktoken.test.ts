import fc from 'fast-check'
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite'
import cl100k from 'js-tiktoken/ranks/cl100k_base'
import o200k from 'js-tiktoken/ranks/o200k_base'
import { beforeAll, describe, expect, it } from 'vitest'
import { MIDDLE_OUT_MARKER } from '../../../src/middle-out/cut-text.js'
import { ByteLevelBpe, createTiktokenTokenizer } from '../../../src/middle-out/tokenizers/tiktoken.js'
import { splice, type Tokenizer } from '../../../src/middle-out/tokenizers/tokenizer.js'
import { allOffsets, longRunArbitrary, sample, SAMPLE_NAMES, textArbitrary } from '../helpers.js'

describe.each<[string, TiktokenBPE]>([['o200k_base', o200k], ['cl100k_base', cl100k]])('%s tokenizer', (name, ranks) => {
  let bpe: ByteLevelBpe
  let tokenizer: Tokenizer
  let reference: Tiktoken
  // js-tiktoken refuses special-token text by default; user text must be counted as text.
  const referenceIds = (text: string): number[] => reference.encode(text, [], [])

  beforeAll(() => {
    bpe = new ByteLevelBpe(ranks)
    tokenizer = createTiktokenTokenizer(name, bpe)
    reference = new Tiktoken(ranks)
  })

  it('gives js-tiktoken ids on real text in several languages', () => {
    for (const sampleName of SAMPLE_NAMES) {
      const text = sample(sampleName)
      expect(bpe.encodeIds(text), sampleName).toEqual(referenceIds(text))
    }
  })

  it('gives js-tiktoken ids on generated text and on long pieces (heap path)', () => {
    fc.assert(fc.property(fc.oneof(textArbitrary(), longRunArbitrary), (text) => {
      expect(bpe.encodeIds(text)).toEqual(referenceIds(text))
    }), { numRuns: 300 })
  })

  it('counts special-token text as text instead of refusing it', () => {
    expect(tokenizer.count('<|endoftext|>')).toBeGreaterThan(1)
    expect(tokenizer.count('')).toBe(0)
  })

  it('puts every safe boundary where whole characters end', () => {
    fc.assert(fc.property(textArbitrary(), (text) => {
      const encoding = tokenizer.encode(text)
      expect(encoding.count).toBe(tokenizer.count(text))
      expect(encoding.offset(encoding.count)).toBe(text.length)
      if (!text.isWellFormed()) return
      const ids = referenceIds(text)
      allOffsets(encoding).forEach((offset, i) => {
        if (offset >= 0) expect(reference.decode(ids.slice(0, i))).toBe(text.slice(0, offset))
      })
    }), { numRuns: 200 })
  })

  it('finds a safe boundary at least every few tokens in multi-byte text', () => {
    const encoding = tokenizer.encode(sample('emoji') + sample('chinese'))
    let run = 0
    for (const offset of allOffsets(encoding)) {
      run = offset < 0 ? run + 1 : 0
      expect(run).toBeLessThan(4)
    }
  })

  it('counts a spliced text as the text itself', () => {
    const text = sample('english')
    const encoding = tokenizer.encode(text)
    const spliced = splice(text, encoding, 100, encoding.count - 100, MIDDLE_OUT_MARKER)
    expect(tokenizer.countSpliced(text, encoding, 100, encoding.count - 100, MIDDLE_OUT_MARKER)).toBe(referenceIds(spliced).length)
  })
})
