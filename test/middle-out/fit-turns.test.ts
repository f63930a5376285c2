import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage, ModelInfo } from '../../src/llm/types.js'
import { createPromptFitter } from '../../src/middle-out/create-prompt-fitter.js'
import { loadTokenizer } from '../../src/middle-out/tokenizers/load-tokenizer.js'
import type { Tokenizer } from '../../src/middle-out/tokenizers/tokenizer.js'
import { nextTurn } from '../../src/process/next-turn.js'
import { sample, SAMPLE_NAMES } from './helpers.js'

const offline = async (): Promise<ModelInfo[]> => { throw new Error('offline') }
const LONG = SAMPLE_NAMES.map(sample).join('\n').repeat(40)
const record = (i: number): string => `${i} ${LONG.slice(i * 997)}`.slice(0, 200_000)

/** Counts turns of the event loop: an immediate queued from an immediate runs in the next turn. */
function turnCounter (): { turn: () => number, stop: () => void } {
  let turn = 0
  let running = true
  const tick = (): void => { turn++; if (running) setImmediate(tick) }
  setImmediate(tick)
  return { turn: () => turn, stop: () => { running = false } }
}
let counter: ReturnType<typeof turnCounter> | undefined
afterEach(() => counter?.stop())

describe('heavy steps take turns of the event loop (issue 12)', () => {
  it('nextTurn resumes each waiter in a turn of its own', async () => {
    counter = turnCounter()
    const turns: number[] = []
    await Promise.all(Array.from({ length: 5 }, async () => { await nextTurn(); turns.push(counter?.turn() ?? 0) }))
    expect(new Set(turns).size).toBe(5)
  })

  it('a first fit over 20 records at the limit encodes only what it keeps, one text a turn; the next fit only the new message', async () => {
    const mistral = await loadTokenizer('mistral-v3')
    counter = turnCounter()
    // The real tokenizer, tallying the characters it encodes in each turn of the loop.
    const perTurn = new Map<number, number>()
    const tally = (chars: number): void => { const turn = counter?.turn() ?? 0; perTurn.set(turn, (perTurn.get(turn) ?? 0) + chars) }
    const tokenizer: Tokenizer = {
      name: mistral.name,
      exact: true,
      count: (text) => { tally(text.length); return mistral.count(text) },
      encode: (text) => { tally(text.length); return mistral.encode(text) },
      countSpliced: mistral.countSpliced.bind(mistral)
    }
    const fitter = createPromptFitter({ model: 'mistralai/mistral-7b-instruct', maxTokens: 1024, listModels: offline, loadTokenizer: async () => tokenizer })
    const records = Array.from({ length: 20 }, (_, i) => record(i))
    const prompt = (message: string): ChatMessage[] => [
      { role: 'system', content: 'Be kind.' },
      ...records.map((content, i): ChatMessage => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
      { role: 'user', content: message }
    ]
    // What encoding one record's ends costs (two windows of ~3,600 tokens, a few tries, eight samples).
    const alone = await createPromptFitter({ model: 'mistralai/mistral-7b-instruct', maxTokens: 1024, listModels: offline, loadTokenizer: async () => tokenizer })
      .fit([{ role: 'user', content: record(50) }])
    expect(alone.middleOut).not.toBeNull()
    const oneRecord = [...perTurn.values()].reduce((a, b) => a + b, 0)
    perTurn.clear()

    const first = await fitter.fit(prompt('a short question'))
    expect(first.middleOut?.removedMessages).toBeGreaterThanOrEqual(18)
    // The newest exchange fills the budget: the 18 records before it are dropped unencoded (their
    // size estimated from a few samples), so the work is about two records', not twenty.
    const total = [...perTurn.values()].reduce((a, b) => a + b, 0)
    expect(total).toBeLessThan(4 * oneRecord)
    // No turn does more than about one record's encoding (the samples of the 18 dropped ones take a turn of their own).
    console.log(`characters tokenized per turn: ${[...perTurn.values()].join(', ')}; one record's ends ${oneRecord}`)
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(oneRecord * 2)
    perTurn.clear()
    await fitter.fit(prompt(record(99)))
    expect([...perTurn.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(oneRecord * 1.5)
  })
})
