import { describe, expect, it, vi, type Mock } from 'vitest'
import type { ModelInfo } from '../../src/llm/types.js'
import { createContextWindow, type MiddleOutLog } from '../../src/middle-out/context-window.js'

const MODEL = 'mistralai/mistral-7b-instruct'

function recordingLog (): { info: Mock<MiddleOutLog['info']>, warn: Mock<MiddleOutLog['warn']> } {
  return { info: vi.fn<MiddleOutLog['info']>(), warn: vi.fn<MiddleOutLog['warn']>() }
}

describe('createContextWindow', () => {
  it('takes LLM_CONTEXT_TOKENS without asking the provider', async () => {
    const listModels = vi.fn(async (): Promise<ModelInfo[]> => [])
    const window = createContextWindow({ model: MODEL, contextTokens: 4000, tableTokens: 8192, listModels })
    expect(await window()).toEqual({ tokens: 4000, source: 'config' })
    expect(listModels).not.toHaveBeenCalled()
  })

  it("takes the provider's context_length, fetched once for concurrent chats", async () => {
    const listModels = vi.fn(async (): Promise<ModelInfo[]> => [{ id: 'other' }, { id: MODEL, contextLength: 32768 }])
    const log = recordingLog()
    const window = createContextWindow({ model: MODEL, tableTokens: 8192, listModels, log })
    const results = await Promise.all([window(), window(), window()])
    expect(results).toEqual(Array(3).fill({ tokens: 32768, source: 'provider' }))
    expect(await window()).toEqual({ tokens: 32768, source: 'provider' })
    expect(listModels).toHaveBeenCalledTimes(1)
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ contextTokens: 32768, source: 'provider' }), expect.any(String))
  })

  it('takes the base model\'s window for a variant the provider does not list apart', async () => {
    const listModels = vi.fn(async (): Promise<ModelInfo[]> => [{ id: MODEL, contextLength: 32768 }])
    const window = createContextWindow({ model: `${MODEL}:free`, tableTokens: 8192, listModels })
    expect(await window()).toEqual({ tokens: 32768, source: 'provider' })
  })

  it('falls back to the table when the provider does not list the model or its window', async () => {
    const listModels = vi.fn(async (): Promise<ModelInfo[]> => [{ id: MODEL }])
    const window = createContextWindow({ model: MODEL, tableTokens: 8192, listModels })
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    expect(listModels).toHaveBeenCalledTimes(1)
  })

  it('uses the table when the fetch fails, logs it, and asks again only after a while', async () => {
    let now = 0
    const listModels = vi.fn(async (): Promise<ModelInfo[]> => { throw new Error('502 from provider') })
    const log = recordingLog()
    const window = createContextWindow({ model: MODEL, tableTokens: 8192, listModels, log, retryAfterMs: 60_000, now: () => now })
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    expect(log.warn).toHaveBeenCalledTimes(1)
    now += 59_000
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    expect(listModels).toHaveBeenCalledTimes(1)
    now += 2000
    listModels.mockResolvedValueOnce([{ id: MODEL, contextLength: 32768 }])
    expect(await window()).toEqual({ tokens: 32768, source: 'provider' })
    expect(listModels).toHaveBeenCalledTimes(2)
  })

  it('does not hold a chat up for a slow provider, and uses its answer once it comes', async () => {
    let answer: (models: ModelInfo[]) => void = () => {}
    const listModels = vi.fn(async () => await new Promise<ModelInfo[]>((resolve) => { answer = resolve }))
    const window = createContextWindow({ model: MODEL, tableTokens: 8192, listModels, waitMs: 20 })
    // The provider has not answered (and never would by itself): this resolves only if it does not wait.
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    answer([{ id: MODEL, contextLength: 32768 }])
    await new Promise((resolve) => setImmediate(resolve))
    expect(await window()).toEqual({ tokens: 32768, source: 'provider' })
    expect(listModels).toHaveBeenCalledTimes(1)
  })

  it('gives up on a hung model-list request through its abort signal', async () => {
    const listModels = vi.fn(async (signal?: AbortSignal) => await new Promise<ModelInfo[]>((_resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason))
    }))
    const log = recordingLog()
    const window = createContextWindow({ model: MODEL, tableTokens: 8192, listModels, log, waitMs: 1000, fetchTimeoutMs: 10 })
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    expect(log.warn).toHaveBeenCalledTimes(1)
  })

  it('survives a listModels that throws synchronously', async () => {
    const listModels = vi.fn((): Promise<ModelInfo[]> => { throw new Error('not configured') })
    const window = createContextWindow({ model: MODEL, tableTokens: 8192, listModels, retryAfterMs: 0 })
    expect(await window()).toEqual({ tokens: 8192, source: 'table' })
    listModels.mockResolvedValueOnce([{ id: MODEL, contextLength: 16000 }])
    expect(await window()).toEqual({ tokens: 16000, source: 'provider' })
  })
})
