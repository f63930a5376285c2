import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../src/llm/types.js'
import { ContextTooSmallError, cutMiddle, type ChatTemplateCost } from '../../src/middle-out/cut.js'
import { MIDDLE_OUT_MARKER } from '../../src/middle-out/cut-text.js'
import { createEstimateTokenizer } from '../../src/middle-out/tokenizers/estimate.js'
import { loadTokenizer } from '../../src/middle-out/tokenizers/load-tokenizer.js'
import type { Tokenizer } from '../../src/middle-out/tokenizers/tokenizer.js'
import { sample, SAMPLE_NAMES, textArbitrary, textOfTokens } from './helpers.js'

const TEMPLATE: ChatTemplateCost = { perMessage: 4, perPrompt: 2 }
/** Code points of every fixture, repeated: slices of real text in seven languages. */
const CORPUS = Array.from(SAMPLE_NAMES.map(sample).join('\n').repeat(8))

function corpusSlice (start: number, length: number): string {
  const from = start % CORPUS.length
  return CORPUS.slice(from, from + length).join('')
}

function countPrompt (messages: readonly ChatMessage[], tokenizer: Tokenizer, template = TEMPLATE): number {
  return messages.reduce((sum, message) => sum + tokenizer.count(message.content) + template.perMessage, template.perPrompt)
}

function conversation (system: string, history: string[], message: string): ChatMessage[] {
  return [
    { role: 'system', content: system },
    ...history.map((content, i): ChatMessage => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
    { role: 'user', content: message }
  ]
}

/** Every rule of the cut, checked on one input and its result. */
function checkCut (input: ChatMessage[], budget: number, tokenizer: Tokenizer, result: ReturnType<typeof cutMiddle>): void {
  const before = countPrompt(input, tokenizer)
  const after = countPrompt(result.messages, tokenizer)
  if (before <= budget) {
    expect(result.middleOut).toBeNull()
    expect(result.messages).toEqual(input)
    return
  }
  // Fits, by the same tokenizer, and wastes at most 1% of the budget (or a few tokens on tiny ones).
  expect(after).toBeLessThanOrEqual(budget)
  expect(budget - after).toBeLessThanOrEqual(Math.max(Math.floor(budget / 100), 12))
  expect(result.middleOut).toMatchObject({ removedMessages: input.length - result.messages.length, budget })
  expect(result.middleOut?.removedTokens).toBe((result.middleOut?.promptTokens ?? 0) - after)
  // Exact, unless a message was long enough to be encoded by its ends only (encode-ends.ts): its
  // middle is then estimated at the ends' density, which these inputs (seven scripts, code, emoji in
  // one text) make rough: within a factor of 2. What is sent is counted exactly all the same (above).
  const windowed = input.some((message) => message.content.length > 2 * (Math.ceil(budget / 2) + 8 + 256))
  if (windowed) {
    expect(result.middleOut?.promptTokens).toBeGreaterThanOrEqual(Math.floor(before / 2))
    expect(result.middleOut?.promptTokens).toBeLessThanOrEqual(before * 2)
  } else expect(result.middleOut?.promptTokens).toBe(before)

  // The system prompt stays first and the new message last; whole messages leave from one contiguous
  // stretch of the history, balanced around its middle; every kept message is a cut of its original.
  const history = input.length - 2
  const keptHistory = result.messages.length - 2
  const matches = (before: number): boolean => result.messages.every((message, i) => {
    const from = i === 0 ? 0 : i === result.messages.length - 1 ? input.length - 1 : i <= before ? i : i + history - keptHistory
    return isCutOf(message, input[from])
  })
  // Empty or repeated messages can match several ways: one of them must be balanced.
  const balanced = (before: number): boolean => {
    const after = keptHistory - before
    return keptHistory === history || before === 0 || after === 0 || Math.abs(before - after) <= 3
  }
  expect([...Array(keptHistory + 1).keys()].some((before) => matches(before) && balanced(before))).toBe(true)
  // Roles still alternate after the system prompt.
  result.messages.slice(1).forEach((message, i, rest) => {
    if (i > 0) expect(message.role).not.toBe(rest[i - 1]?.role)
  })
  // The new message is only cut once no history is left.
  const last = result.messages.at(-1)
  if (last?.content !== input.at(-1)?.content) expect(result.messages).toHaveLength(2)
}

/** `message` is `original` unchanged, emptied, or its head and tail around the marker; never a broken character. */
function isCutOf (message: ChatMessage, original: ChatMessage | undefined): boolean {
  if (original === undefined || message.role !== original.role) return false
  const { content } = message
  if (content === original.content || content === '') return true
  // The original may contain the marker too: any occurrence can be the cut.
  for (let at = content.indexOf(MIDDLE_OUT_MARKER); at >= 0; at = content.indexOf(MIDDLE_OUT_MARKER, at + 1)) {
    const head = content.slice(0, at)
    const tail = content.slice(at + MIDDLE_OUT_MARKER.length)
    const contiguous = original.content.startsWith(head) && original.content.endsWith(tail) && head.length + tail.length < original.content.length
    if (contiguous && (content.isWellFormed() || !original.content.isWellFormed())) return true
  }
  return false
}

describe('cutMiddle', () => {
  let mistral: Tokenizer

  beforeAll(async () => { mistral = await loadTokenizer('mistral-v3') })

  it('sends a prompt that fits unchanged', () => {
    const input = conversation('Be kind.', ['hi, my name is Eric', 'Hi Eric, what can I do for you!'], 'What is my name?')
    const result = cutMiddle(input, 1000, mistral, TEMPLATE)
    expect(result.middleOut).toBeNull()
    expect(result.messages).toEqual(input)
    expect(result.messages[1]).toBe(input[1])
  })

  it("cuts the middle 4,000–5,000 tokens of the seed's 12,000-token message for an 8,192-token model", () => {
    const message = textOfTokens(12_000, mistral)
    const input = conversation('You are a helpful assistant.', [], message)
    const result = cutMiddle(input, 8192 - 1024, mistral, TEMPLATE)
    checkCut(input, 8192 - 1024, mistral, result)
    expect(result.middleOut?.removedTokens).toBeGreaterThanOrEqual(4000)
    expect(result.middleOut?.removedTokens).toBeLessThanOrEqual(5000)
    const sent = result.messages[1]?.content ?? ''
    expect(sent.slice(0, 1000)).toBe(message.slice(0, 1000))
    expect(sent.slice(-1000)).toBe(message.slice(-1000))
    expect(sent).toContain(MIDDLE_OUT_MARKER)
    expect(countPrompt(result.messages, mistral)).toBe(8192 - 1024)
  })

  it('drops history from the middle first, keeping the oldest and the newest exchanges', () => {
    const history = Array.from({ length: 20 }, (_, i) => `${i}: ${textOfTokens(300, mistral, corpusSlice(i * 997, 4000))}`)
    const input = conversation('Be kind.', history, 'And now?')
    const budget = countPrompt(input, mistral) - 1500
    const result = cutMiddle(input, budget, mistral, TEMPLATE)
    checkCut(input, budget, mistral, result)
    const kept = result.messages.slice(1, -1).map((message) => message.content.split(':')[0])
    expect(kept.slice(0, 2)).toEqual(['0', '1'])
    expect(kept.slice(-2)).toEqual(['18', '19'])
    expect(kept).not.toContain('9')
    expect(result.middleOut?.removedMessages).toBeGreaterThanOrEqual(4)
  })

  it('cuts inside the last exchange it reaches rather than over-cutting by dropping it whole', () => {
    const history = ['q1', 'a1', 'a long question', textOfTokens(5000, mistral), 'q3', 'a3']
    const input = conversation('Be kind.', history, 'Thanks')
    const budget = countPrompt(input, mistral) - 200
    const result = cutMiddle(input, budget, mistral, TEMPLATE)
    checkCut(input, budget, mistral, result)
    expect(result.middleOut?.removedMessages).toBe(0)
    expect(result.messages[4]?.content).toContain(MIDDLE_OUT_MARKER)
  })

  it('cuts the system prompt too when the budget is smaller than it', () => {
    const system = textOfTokens(3000, mistral)
    const input = conversation(system, ['hello', 'hi'], textOfTokens(2000, mistral, sample('chinese')))
    const result = cutMiddle(input, 1500, mistral, TEMPLATE)
    checkCut(input, 1500, mistral, result)
    expect(result.messages).toHaveLength(2)
    expect(result.messages[0]?.content).toContain(MIDDLE_OUT_MARKER)
    expect(mistral.count(result.messages[1]?.content ?? '')).toBeGreaterThanOrEqual(700)
  })

  it('never splits a character of multi-byte text', () => {
    const message = sample('emoji').repeat(40) + sample('chinese')
    const input = conversation('Be kind.', [], message)
    for (const budget of [100, 333, 1000, 2500]) {
      const result = cutMiddle(input, budget, mistral, TEMPLATE)
      checkCut(input, budget, mistral, result)
      expect(result.messages[1]?.content.isWellFormed()).toBe(true)
    }
  })

  it('refuses a budget that cannot hold an empty prompt', () => {
    const input = conversation('Be kind.', [], 'hello there')
    expect(() => cutMiddle(input, 5, mistral, TEMPLATE)).toThrow(ContextTooSmallError)
  })

  const conversations = fc.record({
    system: fc.oneof(textArbitrary(20), fc.tuple(fc.nat(), fc.nat({ max: 3000 })).map(([s, l]) => corpusSlice(s, l))),
    history: fc.array(fc.oneof(
      textArbitrary(30),
      fc.tuple(fc.nat(), fc.nat({ max: 6000 })).map(([s, l]) => corpusSlice(s, l))
    ), { maxLength: 14 }).map((history) => history.length % 2 === 0 ? history : history.slice(1)),
    message: fc.oneof(textArbitrary(60), fc.tuple(fc.nat(), fc.nat({ max: 30_000 })).map(([s, l]) => corpusSlice(s, l))),
    budgetShare: fc.double({ min: 0.02, max: 1.1, noNaN: true })
  })

  const properties = (tokenizer: () => Tokenizer, numRuns: number): void => {
    fc.assert(fc.property(conversations, ({ system, history, message, budgetShare }) => {
      const input = conversation(system, history, message)
      const budget = Math.max(TEMPLATE.perPrompt + 2 * TEMPLATE.perMessage, Math.round(countPrompt(input, tokenizer()) * budgetShare))
      const result = cutMiddle(input, budget, tokenizer(), TEMPLATE)
      checkCut(input, budget, tokenizer(), result)
      // Deterministic: the same input gives the same output.
      expect(cutMiddle(input, budget, tokenizer(), TEMPLATE)).toEqual(result)
    }), { numRuns })
  }

  it('holds every rule on conversations of many shapes and sizes (Mistral v3)', () => {
    properties(() => mistral, 300)
  })

  it('holds every rule with a tokenizer that re-counts spliced text (cl100k)', async () => {
    const cl100k = await loadTokenizer('cl100k_base')
    properties(() => cl100k, 100)
  })

  it('holds every rule with the estimate', () => {
    const estimate = createEstimateTokenizer()
    properties(() => estimate, 100)
  })
})
