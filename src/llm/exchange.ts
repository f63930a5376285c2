import { errors as undiciErrors } from 'undici'
import { AppError, sentence } from '../errors.js'

/** What aborts one exchange with the provider, and whether its deadline is why. */
export interface Exchange {
  signal: AbortSignal | undefined
  timedOut: () => boolean
}

/**
 * One controller for one exchange, aborted by the caller's signal or at the deadline, whichever
 * comes first; `release` stops both. Under load, `AbortSignal.any` with `AbortSignal.timeout` per
 * request cost about 4% of the gateway's CPU (weak references, a composite signal each).
 */
export function deadline (caller: AbortSignal | undefined, timeoutMs: number): Exchange & { release: () => void } {
  const controller = new AbortController()
  let expired = false
  const timer = setTimeout(() => { expired = true; controller.abort() }, timeoutMs)
  const onAbort = (): void => { controller.abort(caller?.reason) }
  if (caller?.aborted === true) onAbort()
  else caller?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    timedOut: () => expired,
    release: () => {
      clearTimeout(timer)
      caller?.removeEventListener('abort', onAbort)
    }
  }
}

/** The caller's abort reason when it went away, 504 past the deadline or idle timeouts, else 502. */
export function transportError (err: unknown, { signal, timedOut }: Exchange): unknown {
  if (signal?.aborted === true && !timedOut()) return signal.reason ?? err
  if (timedOut() || err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new AppError('llm_timeout', { cause: err })
  }
  return new AppError('llm_error', { detail: sentence('provider_unreachable'), cause: err })
}
