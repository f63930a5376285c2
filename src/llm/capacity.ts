/**
 * How many replies the provider is writing for this process at once, with a hard cap. A slot is
 * granted at once or refused at once: nothing waits for one, because a chat that waits behind
 * replies of ten seconds each waits for minutes with no answer. (A counter, not a queueing
 * semaphore such as p-limit: the point is never to queue.)
 */
export interface Capacity {
  /** A slot, released by calling it (more calls do nothing), or `undefined` when all are taken. */
  tryTake (): (() => void) | undefined
}

export function createCapacity (max: number): Capacity {
  let inUse = 0
  return {
    tryTake () {
      if (inUse >= max) return undefined
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
