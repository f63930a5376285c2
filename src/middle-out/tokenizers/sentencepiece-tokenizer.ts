import type { SentencePieceBpe } from './sentencepiece-bpe.js'
import { splice, type Tokenizer } from './tokenizer.js'

/**
 * A SentencePiece vocabulary as a `Tokenizer`. Splicing is exact without re-encoding: the marker
 * starts and ends with a character that only byte pieces spell (a newline), so nothing merges across
 * it, and a BPE encoding cut on a token boundary is the encoding of the cut text (every merge inside
 * a kept stretch happened there in the same order), so the kept head and tail keep their counts.
 */
export function createSentencePieceTokenizer (name: string, bpe: SentencePieceBpe): Tokenizer {
  const markerCosts = new Map<string, number>()
  const markerCost = (marker: string): number | undefined => {
    let cost = markerCosts.get(marker)
    if (cost === undefined) {
      const first = marker.codePointAt(0)
      const last = [...marker].at(-1)?.codePointAt(0)
      if (first === undefined || last === undefined || !bpe.isBarrier(first) || !bpe.isBarrier(last)) return undefined
      // After any text: "a" ends in a merged run, and the marker's first character starts a new one.
      cost = bpe.count(`a${marker}`) - bpe.count('a')
      markerCosts.set(marker, cost)
    }
    return cost
  }
  return {
    name,
    exact: true,
    count: (text) => bpe.count(text),
    encode: (text) => bpe.encode(text),
    countSpliced (text, encoding, head, tail, marker) {
      const cost = markerCost(marker)
      // Token 0 holds the "▁" prefix, which a tail moved after the marker loses: count that case.
      if (cost === undefined || tail === 0) return bpe.count(splice(text, encoding, head, tail, marker))
      // With no head, the encoder's "▁" prefix stands alone before the marker: one token.
      return Math.max(head, 1) + cost + (encoding.count - tail)
    }
  }
}
