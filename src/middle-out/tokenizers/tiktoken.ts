import type { TiktokenBPE } from 'js-tiktoken/lite'
import { MinHeap } from './min-heap.js'
import { encodingOf, splice, type Encoding, type Tokenizer } from './tokenizer.js'

/**
 * OpenAI's byte-level BPE encodings (o200k_base, cl100k_base) with the ranks shipped in `js-tiktoken`.
 * `js-tiktoken`'s own encoder re-joins byte arrays for every candidate pair, which is cubic in the
 * length of a piece: 2,600 Chinese characters without punctuation take seconds. This encoder gives
 * the same ids (checked by the tests) with a heap for long pieces and a cache for short ones.
 */
export type TiktokenEncodingName = 'o200k_base' | 'cl100k_base'

export async function loadTiktokenTokenizer (name: TiktokenEncodingName): Promise<Tokenizer> {
  const ranks = name === 'o200k_base'
    ? (await import('js-tiktoken/ranks/o200k_base')).default
    : (await import('js-tiktoken/ranks/cl100k_base')).default
  return createTiktokenTokenizer(name, new ByteLevelBpe(ranks))
}

export function createTiktokenTokenizer (name: string, bpe: ByteLevelBpe): Tokenizer {
  return {
    name,
    exact: true,
    count: (text) => bpe.count(text),
    encode: (text) => bpe.encode(text),
    // Pre-tokenization lets the marker join the pieces next to it (".\n" is one piece), so the spliced
    // text is counted again: one pass over what is kept, never over what was cut.
    countSpliced: (text, encoding, head, tail, marker) => bpe.count(splice(text, encoding, head, tail, marker))
  }
}

const MAX_CACHED_PIECE = 32
const MAX_CACHE_ENTRIES = 1 << 16
const SHORT_PIECE = 48

export class ByteLevelBpe {
  /** Token bytes as a latin1 string (one char per byte) → rank, which is also the token id. */
  readonly #ranks = new Map<string, number>()
  readonly #byteLengths: Uint8Array
  readonly #pattern: RegExp
  readonly #cache = new Map<string, Int32Array>()

  constructor (ranks: TiktokenBPE) {
    this.#pattern = new RegExp(ranks.pat_str, 'gu')
    const lengths: number[] = []
    for (const line of ranks.bpe_ranks.split('\n')) {
      const [, offset, ...tokens] = line.split(' ')
      if (offset === undefined) continue
      const first = Number.parseInt(offset, 10)
      tokens.forEach((token, i) => {
        const bytes = Buffer.from(token, 'base64').toString('latin1')
        this.#ranks.set(bytes, first + i)
        lengths[first + i] = bytes.length
      })
    }
    this.#byteLengths = Uint8Array.from(lengths, (length) => length ?? 0)
  }

  /** Special-token text such as "<|endoftext|>" is encoded as text, as user input must be. */
  encodeIds (text: string): number[] {
    const ids: number[] = []
    for (const [piece] of text.matchAll(this.#pattern)) for (const id of this.#piece(piece)) ids.push(id)
    return ids
  }

  count (text: string): number {
    let count = 0
    for (const [piece] of text.matchAll(this.#pattern)) count += this.#piece(piece).length
    return count
  }

  /** Walks the tokens' bytes alongside the text's characters to find where each token starts. */
  encode (text: string): Encoding {
    const ids = this.encodeIds(text)
    const offsets = new Int32Array(ids.length + 1)
    let bytes = 0
    let charIndex = 0
    let charBytes = 0
    for (let t = 0; t < ids.length; t++) {
      while (charBytes < bytes && charIndex < text.length) {
        const code = text.codePointAt(charIndex) ?? 0
        charBytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
        charIndex += code > 0xffff ? 2 : 1
      }
      offsets[t] = charBytes === bytes ? charIndex : -1
      bytes += this.#byteLengths[ids[t] ?? 0] ?? 0
    }
    offsets[ids.length] = text.length
    return encodingOf(offsets)
  }

  #piece (piece: string): Int32Array {
    const cached = this.#cache.get(piece)
    if (cached !== undefined) return cached
    // Lone surrogates become U+FFFD's bytes, as TextEncoder makes them.
    const bytes = Buffer.from(piece, 'utf8').toString('latin1')
    const whole = this.#ranks.get(bytes)
    const ids = whole !== undefined ? Int32Array.of(whole) : bytes.length <= SHORT_PIECE ? this.#mergeShort(bytes) : this.#mergeLong(bytes)
    if (piece.length <= MAX_CACHED_PIECE) {
      if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.clear()
      this.#cache.set(piece, ids)
    }
    return ids
  }

  #rank (bytes: string, start: number, end: number): number {
    return this.#ranks.get(bytes.slice(start, end)) ?? Infinity
  }

  /** tiktoken's merge loop: the lowest-ranked pair of adjacent parts merges, leftmost first. */
  #mergeShort (bytes: string): Int32Array {
    const starts = Array.from({ length: bytes.length + 1 }, (_, i) => i)
    const ranks = starts.slice(0, -2).map((start, i) => this.#rank(bytes, start, starts[i + 2] ?? 0))
    while (ranks.length > 0) {
      let best = Infinity
      let at = -1
      ranks.forEach((rank, i) => { if (rank < best) { best = rank; at = i } })
      if (at < 0) break
      starts.splice(at + 1, 1)
      ranks.splice(at, 1)
      if (at < ranks.length) ranks[at] = this.#rank(bytes, starts[at] ?? 0, starts[at + 2] ?? 0)
      if (at > 0) ranks[at - 1] = this.#rank(bytes, starts[at - 1] ?? 0, starts[at + 1] ?? 0)
    }
    return Int32Array.from(starts.slice(0, -1), (start, i) => this.#ranks.get(bytes.slice(start, starts[i + 1])) ?? 0)
  }

  /** The same merges with a heap of `rank * scale + start` over a linked list of parts: O(n log n). */
  #mergeLong (bytes: string): Int32Array {
    const n = bytes.length
    const scale = 2 ** Math.ceil(Math.log2(n + 1))
    const next = Int32Array.from({ length: n }, (_, i) => i + 1)
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1)
    const heap = new MinHeap(n)
    const offer = (at: number): void => {
      const right = next[at] ?? n
      if (right >= n) return
      const rank = this.#rank(bytes, at, next[right] ?? n)
      if (rank !== Infinity) heap.push(rank * scale + at)
    }
    for (let i = 0; i < n - 1; i++) offer(i)
    while (heap.size > 0) {
      const key = heap.pop()
      const at = key % scale
      const rank = (key - at) / scale
      const right = next[at] ?? n
      // Stale entries: the part was merged away, or its pair changed since it was pushed.
      if (prev[at] === -2 || right >= n || this.#rank(bytes, at, next[right] ?? n) !== rank) continue
      next[at] = next[right] ?? n
      if ((next[at] ?? n) < n) prev[next[at] ?? 0] = at
      prev[right] = -2
      const before = prev[at] ?? -1
      if (before >= 0) offer(before)
      offer(at)
    }
    const ids: number[] = []
    for (let at = 0; at < n; at = next[at] ?? n) ids.push(this.#ranks.get(bytes.slice(at, next[at])) ?? 0)
    return Int32Array.from(ids)
  }
}
