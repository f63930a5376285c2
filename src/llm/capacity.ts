/**
 * How many replies the provider is writing for this process at once, with a hard cap. A slot is
 * granted at once or refused at once: nothing waits for one, because a chat that waits behind
 * replies of ten seconds each waits for minutes with no answer. (A counter, not a queueing
 * semaphore such as p-limit: the point is never to queue.)
 */
export interface Capacity {
  readonly max: number
  /** Slots taken now. */
  readonly inUse: number
  /** Refusals since start: for /metrics (`llm_busy`). */
  readonly refused: number
  /** A slot, released by calling it (more calls do nothing), or `undefined` when all are taken. */
  tryTake (): (() => void) | undefined
}

export function createCapacity (max: number): Capacity {
  let inUse = 0
  let refused = 0
  return {
    max,
    get inUse () { return inUse },
    get refused () { return refused },
    tryTake () {
      if (inUse >= max) {
        refused++
        return undefined
      }
      inUse++
      let released = false
      return () => {
        if (released) return
        released = true
        inUse--
      }
    }
  }
}
