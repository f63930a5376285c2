import fc from 'fast-check'
import llamaReference from 'llama-tokenizer-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { MIDDLE_OUT_MARKER } from '../../../src/middle-out/cut-text.js'
import { loadLlama2Bpe } from '../../../src/middle-out/tokenizers/llama-2.js'
import { loadMistralBpe } from '../../../src/middle-out/tokenizers/mistral.js'
import type { SentencePieceBpe } from '../../../src/middle-out/tokenizers/sentencepiece-bpe.js'
import { createSentencePieceTokenizer } from '../../../src/middle-out/tokenizers/sentencepiece-tokenizer.js'
import { splice, type Tokenizer } from '../../../src/middle-out/tokenizers/tokenizer.js'
import { allOffsets, longRunArbitrary, misplacedOffsets, mistralReference, sample, SAMPLE_NAMES, textArbitrary } from '../helpers.js'

const FIXED = [
  '', 'Hello world!', ' leading space', '  two leading', 'trailing  ', 'a▁b  c ▁ d', '\n', '\nstarts with newline',
  '1234567890', 'x'.repeat(500), '中'.repeat(300), '龘靐齉', '😀 emoji 👍🏽 test 👨‍👩‍👧', '\ud800lone\udfff', '\ufffd',
  'The quick brown fox jumps over the lazy dog.', 'function f(x) {\n\treturn x * 2;\n}', '<s>[INST] hi [/INST]</s>',
  'é vs e\u0301', 'ﬁ ligature', '\u0000\u0001\u007f'
]

const families: Array<{ name: string, load: () => Promise<SentencePieceBpe>, reference: () => (text: string) => readonly number[] }> = [
  { name: 'mistral-v1', load: async () => await loadMistralBpe('v1'), reference: () => mistralReference('v1') },
  { name: 'mistral-v3', load: async () => await loadMistralBpe('v3'), reference: () => mistralReference('v3') },
  { name: 'llama-2', load: loadLlama2Bpe, reference: () => (text) => llamaReference.encode(text) }
]

describe.each(families)('$name SentencePiece encoder', ({ name, load, reference }) => {
  let bpe: SentencePieceBpe
  let tokenizer: Tokenizer
  let encodeReference: (text: string) => readonly number[]

  beforeAll(async () => {
    bpe = await load()
    tokenizer = createSentencePieceTokenizer(name, bpe)
    encodeReference = reference()
  })

  it('gives the reference ids on fixed texts', () => {
    for (const text of FIXED) expect(bpe.encodeIds(text), JSON.stringify(text)).toEqual([...encodeReference(text)])
  })

  it('gives the reference ids on real text in several languages', () => {
    for (const name of SAMPLE_NAMES) {
      const text = sample(name)
      expect(bpe.encodeIds(text), name).toEqual([...encodeReference(text)])
    }
  })

  it('gives the reference ids on generated text', () => {
    fc.assert(fc.property(textArbitrary(), (text) => {
      expect(bpe.encodeIds(text)).toEqual([...encodeReference(text)])
    }), { numRuns: 300 })
  })

  it('gives the reference ids on long runs without spaces (heap path)', () => {
    fc.assert(fc.property(longRunArbitrary, (text) => {
      expect(bpe.encodeIds(text)).toEqual([...encodeReference(text)])
      expect(bpe.encodeIds(`x ${text} y`)).toEqual([...encodeReference(`x ${text} y`)])
    }), { numRuns: 100 })
  })

  it('gives the same ids with a warm cache as with a cold one', async () => {
    const text = sample('english')
    // Each load builds a new encoder, with an empty chunk cache.
    const cold = (await load()).encodeIds(text)
    bpe.encodeIds(text)
    const warm = bpe.encodeIds(text)
    expect(warm).toEqual(cold)
    expect(cold).toEqual([...encodeReference(text)])
  })

  it('counts without BOS and marks boundaries inside characters', () => {
    fc.assert(fc.property(textArbitrary(), (text) => {
      const encoding = tokenizer.encode(text)
      expect(encoding.count).toBe(tokenizer.count(text))
      expect(encoding.count).toBe(Math.max(0, encodeReference(text).length - 1))
      expect(encoding.offset(encoding.count)).toBe(text.length)
      expect(misplacedOffsets(text, encoding)).toEqual([])
    }), { numRuns: 200 })
  })

  it('counts a spliced text exactly as the reference does, without encoding it again', () => {
    const spliceCase = fc.tuple(fc.oneof(textArbitrary(60), longRunArbitrary), fc.nat(), fc.nat())
    fc.assert(fc.property(spliceCase, ([text, a, b]) => {
      const encoding = tokenizer.encode(text)
      const safe = allOffsets(encoding).flatMap((offset, i) => offset >= 0 ? [i] : [])
      const x = safe[a % safe.length] ?? 0
      const y = safe[b % safe.length] ?? 0
      const [head, tail] = x <= y ? [x, y] : [y, x]
      const spliced = splice(text, encoding, head, tail, MIDDLE_OUT_MARKER)
      expect(tokenizer.countSpliced(text, encoding, head, tail, MIDDLE_OUT_MARKER)).toBe(encodeReference(spliced).length - 1)
    }), { numRuns: 400 })
  })
})
