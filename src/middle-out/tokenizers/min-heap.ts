/** A binary min-heap of numbers, for the BPE merge loops' `priority * scale + position` keys. */
export class MinHeap {
  #items: Float64Array
  size = 0

  constructor (capacity: number) {
    this.#items = new Float64Array(Math.max(16, capacity))
  }

  push (value: number): void {
    if (this.size === this.#items.length) {
      const grown = new Float64Array(this.#items.length * 2)
      grown.set(this.#items)
      this.#items = grown
    }
    const items = this.#items
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      const above = items[parent] ?? 0
      if (above <= value) break
      items[i] = above
      i = parent
    }
    items[i] = value
  }

  pop (): number {
    const items = this.#items
    const top = items[0] ?? 0
    const last = items[--this.size] ?? 0
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= this.size) break
      const right = child + 1
      if (right < this.size && (items[right] ?? 0) < (items[child] ?? 0)) child = right
      if ((items[child] ?? 0) >= last) break
      items[i] = items[child] ?? 0
      i = child
    }
    items[i] = last
    return top
  }
}
