import { SentencePieceBpe } from './sentencepiece-bpe.js'
import { createSentencePieceTokenizer } from './sentencepiece-tokenizer.js'
import type { Tokenizer } from './tokenizer.js'

/**
 * Llama 2's SentencePiece vocabulary, taken from `llama-tokenizer-js` (which builds it when imported,
 * hence the dynamic import) and encoded by the shared fast SentencePiece encoder.
 */
export async function loadLlama2Bpe (): Promise<SentencePieceBpe> {
  const { default: llama } = await import('llama-tokenizer-js')
  const pieces = llama.vocabById
  const merges: Array<[number, number, number]> = []
  for (const [pair, priority] of llama.merges) {
    // Keys are "left right": pieces never contain a plain space (spaces are "▁").
    const space = pair.indexOf(' ')
    const left = llama.vocabByString.get(pair.slice(0, space))
    const right = llama.vocabByString.get(pair.slice(space + 1))
    if (left !== undefined && right !== undefined) merges.push([left, right, priority])
  }
  return new SentencePieceBpe({ pieces, merges })
}

export async function loadLlama2Tokenizer (): Promise<Tokenizer> {
  return createSentencePieceTokenizer('llama-2', await loadLlama2Bpe())
}
