/**
 * Heavy steps of different requests take turns of the event loop, one step a turn (issue 12).
 * Requests that become ready together (bodies complete in the same poll, admissions committed in the
 * same batch) would otherwise run their heavy steps back to back in one turn, and the loop would
 * stall for their sum; a plain `setImmediate` does not help, since every callback queued in one turn
 * runs in the next one together. Here each `await nextTurn()` resumes in a turn of its own, with
 * I/O and timers in between: a stall is then one step long, whatever the number of requests.
 * Only for steps of a few milliseconds (a long message's screening, a long prompt's encoding): a
 * light request needs no turn of its own.
 */
const waiting: Array<() => void> = []

function releaseOne (): void {
  waiting.shift()?.()
  // Queued from inside a turn's immediates, so it runs in the next turn.
  if (waiting.length > 0) setImmediate(releaseOne)
}

export async function nextTurn (): Promise<void> {
  await new Promise<void>((resolve) => {
    waiting.push(resolve)
    if (waiting.length === 1) setImmediate(releaseOne)
  })
}
