import { describe, expect, it } from 'vitest'
import { DEFAULT_CONTEXT_TOKENS, modelProfile } from '../../src/middle-out/models.js'

describe('modelProfile', () => {
  it.each([
    ['mistralai/mistral-7b-instruct', 'mistral-v3', 8192],
    ['mistralai/mistral-7b-instruct:free', 'mistral-v3', 8192],
    ['mistralai/mistral-7b-instruct-v0.3', 'mistral-v3', 8192],
    ['mistralai/Mistral-7B-Instruct-v0.2', 'mistral-v1', 32768],
    ['mistralai/mistral-7b-instruct-v0.1', 'mistral-v1', 8192],
    ['mistral:7b-instruct-v0.2-q4_0', 'mistral-v1', 32768],
    ['mistral', 'mistral-v3', 8192],
    ['mistralai/mixtral-8x7b-instruct', 'mistral-v1', 32768],
    ['mistralai/mixtral-8x22b-instruct', 'mistral-v3', 65536],
    ['openchat/openchat-7b', 'mistral-v1', 8192],
    ['openchat/openchat-3.5-0106', 'mistral-v1', 8192],
    ['openchat/openchat-8b', 'estimate', 8192],
    ['meta-llama/llama-2-13b-chat', 'llama-2', 4096],
    ['llama2', 'llama-2', 4096],
    ['meta-llama/llama-3-8b-instruct', 'estimate', 8192],
    ['meta-llama/llama-3.1-70b-instruct', 'estimate', 131072],
    ['openai/gpt-4o-mini', 'o200k_base', 128000],
    ['gpt-4o', 'o200k_base', 128000],
    ['openai/o3-mini', 'o200k_base', 200000],
    ['gpt-4.1-mini', 'o200k_base', 1047576],
    ['gpt-4-turbo', 'cl100k_base', 128000],
    ['gpt-4', 'cl100k_base', 8192],
    ['openai/gpt-3.5-turbo', 'cl100k_base', 16385],
    ['gpt-3.5-turbo-0613', 'cl100k_base', 4096],
    ['some-lab/brand-new-model', 'estimate', DEFAULT_CONTEXT_TOKENS]
  ])('%s → %s, %i tokens', (model, tokenizer, contextTokens) => {
    expect(modelProfile(model)).toMatchObject({ tokenizer, contextTokens })
  })

  it('leaves more template overhead for unknown models than for known ones', () => {
    const unknown = modelProfile('x/y').template
    for (const model of ['mistralai/mistral-7b-instruct', 'gpt-4o', 'llama2', 'openchat/openchat-7b']) {
      expect(modelProfile(model).template.perMessage).toBeLessThanOrEqual(unknown.perMessage)
    }
  })
})
