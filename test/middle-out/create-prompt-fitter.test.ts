import { describe, expect, it, vi } from 'vitest'
import type { ChatMessage, ModelInfo } from '../../src/llm/types.js'
import { createPromptFitter } from '../../src/middle-out/create-prompt-fitter.js'
import { MIDDLE_OUT_MARKER } from '../../src/middle-out/cut-text.js'
import { loadTokenizer } from '../../src/middle-out/tokenizers/load-tokenizer.js'
import { textOfTokens } from './helpers.js'

const offline = async (): Promise<ModelInfo[]> => { throw new Error('offline') }
const quietLog = { info: vi.fn(), warn: vi.fn() }

async function messageOf (tokens: number): Promise<string> {
  return textOfTokens(tokens, await loadTokenizer('mistral-v3'))
}

describe('createPromptFitter', () => {
  it("cuts the seed's 12,000-token message for Mistral 7B Instruct from the built-in 8,192-token window", async () => {
    const fitter = createPromptFitter({ model: 'mistralai/mistral-7b-instruct', maxTokens: 1024, listModels: offline, log: quietLog })
    const message = await messageOf(12_000)
    const input: ChatMessage[] = [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: message }]
    const { messages, middleOut } = await fitter.fit(input)
    expect(middleOut?.budget).toBe(8192 - 1024)
    expect(middleOut?.removedTokens).toBeGreaterThanOrEqual(4000)
    expect(middleOut?.removedTokens).toBeLessThanOrEqual(5000)
    expect(messages[1]?.content).toContain(MIDDLE_OUT_MARKER)
    expect(input[1]?.content).toBe(message)
  })

  it("keeps only the room a client's smaller max_tokens asks for, never more than LLM_MAX_TOKENS", async () => {
    const fitter = createPromptFitter({ model: 'mistralai/mistral-7b-instruct', maxTokens: 1024, listModels: offline, log: quietLog })
    const input: ChatMessage[] = [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: await messageOf(7500) }]
    expect((await fitter.fit(input)).middleOut?.budget).toBe(8192 - 1024)
    // 7,500 tokens and the template fit in 8,192 − 100.
    expect((await fitter.fit(input, 100)).middleOut).toBeNull()
    expect((await fitter.fit([...input.slice(0, 1), { role: 'user', content: await messageOf(9000) }], 100)).middleOut?.budget).toBe(8192 - 100)
    expect((await fitter.fit(input, 100_000)).middleOut?.budget).toBe(8192 - 1024)
  })

  it("uses the provider's window and LLM_CONTEXT_TOKENS over it", async () => {
    const message = await messageOf(12_000)
    const input: ChatMessage[] = [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: message }]
    const listModels = async (): Promise<ModelInfo[]> => [{ id: 'mistralai/mistral-7b-instruct', contextLength: 32768 }]
    const roomy = createPromptFitter({ model: 'mistralai/mistral-7b-instruct', maxTokens: 1024, listModels })
    expect((await roomy.fit(input)).middleOut).toBeNull()
    const pinned = createPromptFitter({ model: 'mistralai/mistral-7b-instruct', contextTokens: 4096, maxTokens: 1024, listModels })
    expect((await pinned.fit(input)).middleOut?.budget).toBe(3072)
  })

  it('counts with the estimate when the tokenizer cannot be loaded, says so once, and tries again', async () => {
    const log = { info: vi.fn(), warn: vi.fn() }
    let attempts = 0
    const fitter = createPromptFitter({
      model: 'mistralai/mistral-7b-instruct',
      contextTokens: 2048,
      maxTokens: 512,
      listModels: offline,
      log,
      loadTokenizer: async (kind) => {
        if (++attempts <= 2) throw new Error('vocabulary missing')
        return await loadTokenizer(kind)
      }
    })
    const input: ChatMessage[] = [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: await messageOf(3000) }]
    const { middleOut } = await fitter.fit(input)
    expect(middleOut?.budget).toBe(1536)
    await fitter.fit(input)
    expect(log.warn).toHaveBeenCalledOnce()
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ tokenizer: 'mistral-v3' }), expect.stringContaining('estimate'))
    expect(log.info).not.toHaveBeenCalled()
    await fitter.fit(input)
    expect(attempts).toBe(3)
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ tokenizer: expect.stringContaining('mistral') }), 'middle-out tokenizer loaded')
  })

  it('warns once when LLM_MAX_TOKENS leaves almost no room', async () => {
    const log = { info: vi.fn(), warn: vi.fn() }
    const fitter = createPromptFitter({ model: 'gpt-4o', contextTokens: 1200, maxTokens: 1024, listModels: offline, log })
    await fitter.fit([{ role: 'user', content: 'hi' }])
    await fitter.fit([{ role: 'user', content: 'hi' }])
    expect(log.warn).toHaveBeenCalledTimes(1)
  })
})
