import { beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../src/llm/types.js'
import { cutMiddle } from '../../src/middle-out/cut.js'
import { MIDDLE_OUT_MARKER } from '../../src/middle-out/cut-text.js'
import { encodeEnds } from '../../src/middle-out/encode-ends.js'
import { createEncodingCache } from '../../src/middle-out/encoding-cache.js'
import { createEstimateTokenizer } from '../../src/middle-out/tokenizers/estimate.js'
import { loadTokenizer } from '../../src/middle-out/tokenizers/load-tokenizer.js'
import type { Tokenizer } from '../../src/middle-out/tokenizers/tokenizer.js'
import { sample, SAMPLE_NAMES } from './helpers.js'

const TEMPLATE = { perMessage: 4, perPrompt: 2 }
const BUDGET = 8192 - 1024
/** Seven scripts, code and emoji, repeated past 200,000 characters. */
const LONG = SAMPLE_NAMES.map(sample).join('\n').repeat(40).slice(0, 200_000)

/** A real tokenizer that tallies the characters it was given: the work done, without a clock. */
function tally (tokenizer: Tokenizer): Tokenizer & { chars: number } {
  const counted = {
    chars: 0,
    name: tokenizer.name,
    exact: tokenizer.exact,
    count (text: string) { counted.chars += text.length; return tokenizer.count(text) },
    encode (text: string) { counted.chars += text.length; return tokenizer.encode(text) },
    countSpliced: tokenizer.countSpliced.bind(tokenizer)
  }
  return counted
}

const countPrompt = (messages: readonly ChatMessage[], tokenizer: Tokenizer): number =>
  messages.reduce((sum, m) => sum + tokenizer.count(m.content) + TEMPLATE.perMessage, TEMPLATE.perPrompt)

describe.each(['mistral-v3', 'cl100k_base', 'estimate'] as const)('a 200,000-character message (%s)', (kind) => {
  let tokenizer: Tokenizer
  beforeAll(async () => { tokenizer = kind === 'estimate' ? createEstimateTokenizer() : await loadTokenizer(kind) })

  it('is encoded by its ends only, and cut to exactly the budget from its first and last characters', () => {
    const counted = tally(tokenizer)
    const input: ChatMessage[] = [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: LONG }]
    const result = cutMiddle(input, BUDGET, counted, TEMPLATE)
    // The work is a few windows' worth, not the message: under a fifth of it.
    expect(counted.chars).toBeLessThan(LONG.length / 5)
    const sent = countPrompt(result.messages, tokenizer)
    expect(sent).toBeLessThanOrEqual(BUDGET)
    expect(BUDGET - sent).toBeLessThanOrEqual(BUDGET / 100)
    const text = result.messages[1]?.content ?? ''
    const at = text.indexOf(MIDDLE_OUT_MARKER)
    expect(LONG.startsWith(text.slice(0, at))).toBe(true)
    expect(LONG.endsWith(text.slice(at + MIDDLE_OUT_MARKER.length))).toBe(true)
    expect(text.isWellFormed()).toBe(true)
    // The report's size before the cut is an estimate for such a message, of the right order.
    const exact = countPrompt(input, tokenizer)
    expect(result.middleOut?.promptTokens).toBeGreaterThan(exact / 2)
    expect(result.middleOut?.promptTokens).toBeLessThan(exact * 2)
  })

  it('counts a text of a few windows exactly, and never splits a character at a boundary', () => {
    const text = '👨‍👩‍👧 and 中文 '.repeat(3000)
    const limit = 500
    const encoding = encodeEnds(text, limit, tokenizer)
    for (let b = 0; b <= limit; b++) {
      const at = encoding.offset(b)
      if (at > 0) expect(text.slice(0, at).isWellFormed()).toBe(true)
      const tail = encoding.offset(encoding.count - b)
      if (tail > 0) expect(text.slice(tail).isWellFormed()).toBe(true)
    }
    const short = LONG.slice(0, 3000)
    expect(encodeEnds(short, 4000, tokenizer).count).toBe(tokenizer.count(short))
  })
})

describe('the encoding cache', () => {
  it('encodes a history once: a second chat over the same records tokenizes only the new message', async () => {
    const counted = tally(await loadTokenizer('mistral-v3'))
    const cache = createEncodingCache()
    const records = Array.from({ length: 20 }, (_, i) => `${i} ${LONG.slice(i * 1000)}`.slice(0, 200_000))
    const chat = (message: string): ChatMessage[] => [
      { role: 'system', content: 'Be kind.' },
      ...records.map((content, i): ChatMessage => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
      { role: 'user', content: message }
    ]
    cutMiddle(chat('first question'), BUDGET, counted, TEMPLATE, cache)
    const cold = counted.chars
    counted.chars = 0
    const result = cutMiddle(chat('second question'), BUDGET, counted, TEMPLATE, cache)
    expect(counted.chars).toBeLessThan(10_000)
    // The first encodes the exchange it keeps and samples the 18 records it drops (encodingOrder):
    // well under what encoding the ends of all 20 would take (over 400,000 characters).
    expect(cold).toBeGreaterThan(10 * counted.chars)
    expect(cold).toBeLessThan(150_000)
    expect(countPrompt(result.messages, counted)).toBeLessThanOrEqual(BUDGET)
    expect(result.messages.at(-1)?.content).toBe('second question')
  })
})
