import type { TokenizerKind } from '../models.js'
import { createEstimateTokenizer } from './estimate.js'
import { loadLlama2Tokenizer } from './llama-2.js'
import { loadMistralTokenizer } from './mistral.js'
import { loadTiktokenTokenizer } from './tiktoken.js'
import type { Tokenizer } from './tokenizer.js'

const loaded = new Map<TokenizerKind, Promise<Tokenizer>>()

/**
 * The tokenizer of a kind, built on first use and shared by every fitter in the process: vocabularies
 * take tens of milliseconds and megabytes to build, so the server does not pay for them at start-up.
 * A failed load is not kept, so the next request tries again.
 */
export function loadTokenizer (kind: TokenizerKind): Promise<Tokenizer> {
  let tokenizer = loaded.get(kind)
  if (tokenizer === undefined) {
    tokenizer = build(kind)
    tokenizer.catch(() => loaded.delete(kind))
    loaded.set(kind, tokenizer)
  }
  return tokenizer
}

async function build (kind: TokenizerKind): Promise<Tokenizer> {
  switch (kind) {
    case 'mistral-v1':
    case 'mistral-v3':
      return await loadMistralTokenizer(kind === 'mistral-v1' ? 'v1' : 'v3')
    case 'llama-2':
      return await loadLlama2Tokenizer()
    case 'o200k_base':
    case 'cl100k_base':
      return await loadTiktokenTokenizer(kind)
    case 'estimate':
      return createEstimateTokenizer()
  }
}
