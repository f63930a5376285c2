import { MinHeap } from './min-heap.js'

/** Runs up to this many symbols use the simple quadratic merge loop, longer ones a heap. */
const SHORT_RUN = 64

/**
 * A BPE vocabulary's merges, and the loop that applies them to a run of symbols: lowest priority
 * first, leftmost first on ties (`sentencepiece-bpe.ts` says why runs can be merged apart).
 */
export class BpeMerges {
  readonly #vocabSize: number
  /** `left * vocabSize + right` → priority; keys stay small integers, which V8 hashes fastest. */
  readonly #priority = new Map<number, number>()
  readonly #merged = new Map<number, number>()

  constructor (vocabSize: number) {
    if (vocabSize * vocabSize > 2 ** 30) throw new RangeError('vocabulary too large for integer pair keys')
    this.#vocabSize = vocabSize
  }

  /** A pair listed again keeps its last priority. */
  add (left: number, right: number, priority: number, result: number): void {
    const key = left * this.#vocabSize + right
    this.#priority.set(key, priority)
    this.#merged.set(key, result)
  }

  /** The pair's priority, `Infinity` when it does not merge. */
  priority (left: number, right: number): number {
    return this.#priority.get(left * this.#vocabSize + right) ?? Infinity
  }

  /** The piece a pair merges into. */
  merged (left: number, right: number): number {
    return this.#merged.get(left * this.#vocabSize + right) ?? 0
  }

  /** Merges `ids[start, end)` and writes the result from `out` (never past `start`); returns the new end. */
  mergeRun (ids: Int32Array, units: Int16Array, start: number, end: number, out: number): number {
    if (end - start > SHORT_RUN) return this.#mergeLongRun(ids, units, start, end, out)
    let n = end - start
    const sym = ids.subarray(start, end)
    const size = units.subarray(start, end)
    const priority = new Float64Array(n)
    for (let i = 0; i < n - 1; i++) priority[i] = this.priority(sym[i] ?? 0, sym[i + 1] ?? 0)
    while (n > 1) {
      let best = Infinity
      let at = -1
      for (let i = 0; i < n - 1; i++) {
        const p = priority[i] ?? Infinity
        if (p < best) { best = p; at = i }
      }
      if (at < 0) break
      sym[at] = this.merged(sym[at] ?? 0, sym[at + 1] ?? 0)
      size[at] = (size[at] ?? 0) + (size[at + 1] ?? 0)
      sym.copyWithin(at + 1, at + 2, n)
      size.copyWithin(at + 1, at + 2, n)
      priority.copyWithin(at + 1, at + 2, n)
      n--
      priority[at] = at < n - 1 ? this.priority(sym[at] ?? 0, sym[at + 1] ?? 0) : Infinity
      if (at > 0) priority[at - 1] = this.priority(sym[at - 1] ?? 0, sym[at] ?? 0)
    }
    ids.copyWithin(out, start, start + n)
    units.copyWithin(out, start, start + n)
    return out + n
  }

  /** The same merges with a heap of `priority * scale + position` and a linked list: O(n log n). */
  #mergeLongRun (ids: Int32Array, units: Int16Array, start: number, end: number, out: number): number {
    const n = end - start
    const scale = 2 ** Math.ceil(Math.log2(n + 1))
    const sym = ids.slice(start, end)
    const size = Int32Array.from(units.subarray(start, end))
    const next = new Int32Array(n)
    const prev = new Int32Array(n)
    for (let i = 0; i < n; i++) { next[i] = i + 1; prev[i] = i - 1 }
    next[n - 1] = -1
    const heap = new MinHeap(n)
    const offer = (at: number): void => {
      const right = next[at] ?? -1
      if (right < 0) return
      const p = this.priority(sym[at] ?? 0, sym[right] ?? 0)
      if (p !== Infinity) heap.push(p * scale + at)
    }
    for (let i = 0; i < n - 1; i++) offer(i)
    while (heap.size > 0) {
      const key = heap.pop()
      const at = key % scale
      const p = (key - at) / scale
      const right = next[at] ?? -1
      // Stale entries: the node was merged away, or its pair changed since it was pushed.
      if (right < 0 || prev[at] === -2 || this.priority(sym[at] ?? 0, sym[right] ?? 0) !== p) continue
      sym[at] = this.merged(sym[at] ?? 0, sym[right] ?? 0)
      size[at] = (size[at] ?? 0) + (size[right] ?? 0)
      const after = next[right] ?? -1
      next[at] = after
      if (after >= 0) prev[after] = at
      prev[right] = -2
      next[right] = -1
      const before = prev[at] ?? -1
      if (before >= 0) offer(before)
      offer(at)
    }
    let write = out
    for (let i = 0; i >= 0; i = next[i] ?? -1) {
      ids[write] = sym[i] ?? 0
      units[write++] = size[i] ?? 0
    }
    return write
  }
}
