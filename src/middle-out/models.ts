import type { ChatTemplateCost } from './cut.js'

/** Which tokenizer counts a model's tokens; `estimate` when its vocabulary is not available offline. */
export type TokenizerKind = 'mistral-v1' | 'mistral-v3' | 'llama-2' | 'o200k_base' | 'cl100k_base' | 'estimate'

export interface ModelProfile {
  /** The table row that matched, for logs. */
  family: string
  tokenizer: TokenizerKind
  /** The built-in context window, used when neither LLM_CONTEXT_TOKENS nor the provider says. */
  contextTokens: number
  template: ChatTemplateCost
}

/** When nothing is known about a model: small enough for any chat model still in use. */
export const DEFAULT_CONTEXT_TOKENS = 4096

/*
 * Chat template overhead, measured with each tokenizer on the template's own text (README.md):
 * - Mistral v3: [INST] and [/INST] are single control tokens, </s> ends a reply, the system prompt
 *   joins a user message with "\n\n": at most 2–3 per message, plus <s>.
 * - Mistral v1 (and OpenChat's v1-based vocabulary): "[INST]" and " [/INST]" are text, 3 + 4 tokens.
 * - Llama 2: 7 for [INST]…[/INST], </s><s> between turns, and 12 for <<SYS>>…<</SYS>> once.
 * - OpenChat 3.5: "GPT4 Correct User: " / "GPT4 Correct Assistant: " (7–8) and <|end_of_turn|>.
 * - OpenAI: 3 per message and 3 to start the reply (OpenAI's counting guide), one more for a name.
 * - Unknown: above every template above and ChatML/Llama 3 (4–5 per message).
 */
const MISTRAL_V3: ChatTemplateCost = { perMessage: 4, perPrompt: 2 }
const MISTRAL_V1: ChatTemplateCost = { perMessage: 8, perPrompt: 2 }
const LLAMA_2: ChatTemplateCost = { perMessage: 10, perPrompt: 6 }
const OPENCHAT: ChatTemplateCost = { perMessage: 10, perPrompt: 10 }
const OPENAI: ChatTemplateCost = { perMessage: 4, perPrompt: 3 }
const UNKNOWN: ChatTemplateCost = { perMessage: 10, perPrompt: 10 }

interface Row extends ModelProfile {
  match: RegExp
}

/**
 * First match wins, on the lowercased id, so OpenRouter (`mistralai/mistral-7b-instruct:free`),
 * Hugging Face (`mistralai/Mistral-7B-Instruct-v0.2`) and Ollama (`mistral:7b-instruct-v0.2-q4_0`)
 * spellings all land. Windows are the models' documented ones; where a family spans versions the
 * smaller is kept (the seed's example: Mistral 7B Instruct and OpenChat 3.5 at 8,192).
 */
const TABLE: Row[] = [
  { family: 'mistral-7b-v0.1', match: /mistral[-:]7b(?:-instruct)?-v0\.1/, tokenizer: 'mistral-v1', contextTokens: 8192, template: MISTRAL_V1 },
  { family: 'mistral-7b-v0.2', match: /mistral[-:]7b(?:-instruct)?-v0\.2/, tokenizer: 'mistral-v1', contextTokens: 32768, template: MISTRAL_V1 },
  { family: 'mixtral-8x7b', match: /mixtral[-:]8x7b/, tokenizer: 'mistral-v1', contextTokens: 32768, template: MISTRAL_V1 },
  { family: 'mixtral-8x22b', match: /mixtral[-:]8x22b/, tokenizer: 'mistral-v3', contextTokens: 65536, template: MISTRAL_V3 },
  // Unversioned Mistral 7B is v0.3 today (OpenRouter, Ollama's `mistral`), with the v3 vocabulary.
  { family: 'mistral-7b', match: /mistral[-:]7b|open-mistral-7b|^mistral(?::|$)/, tokenizer: 'mistral-v3', contextTokens: 8192, template: MISTRAL_V3 },
  // OpenChat 3.6 is built on Llama 3, whose vocabulary we do not have.
  { family: 'openchat-3.6', match: /openchat[-_:/]?(?:3\.6|8b)/, tokenizer: 'estimate', contextTokens: 8192, template: UNKNOWN },
  { family: 'openchat-3.5', match: /openchat/, tokenizer: 'mistral-v1', contextTokens: 8192, template: OPENCHAT },
  { family: 'llama-2', match: /llama-?2/, tokenizer: 'llama-2', contextTokens: 4096, template: LLAMA_2 },
  { family: 'llama-3.1+', match: /llama-?3\.[1-9]/, tokenizer: 'estimate', contextTokens: 131072, template: UNKNOWN },
  { family: 'llama-3', match: /llama-?3/, tokenizer: 'estimate', contextTokens: 8192, template: UNKNOWN },
  { family: 'gpt-4.1', match: /gpt-4\.1/, tokenizer: 'o200k_base', contextTokens: 1047576, template: OPENAI },
  { family: 'gpt-5', match: /gpt-5/, tokenizer: 'o200k_base', contextTokens: 400000, template: OPENAI },
  { family: 'o1-mini', match: /(?:^|\/)o1-mini/, tokenizer: 'o200k_base', contextTokens: 128000, template: OPENAI },
  { family: 'o-series', match: /(?:^|\/)o[134](?:-|$)/, tokenizer: 'o200k_base', contextTokens: 200000, template: OPENAI },
  { family: 'gpt-4o', match: /gpt-4o|chatgpt-4o|gpt-4\.5/, tokenizer: 'o200k_base', contextTokens: 128000, template: OPENAI },
  { family: 'gpt-4-turbo', match: /gpt-4-(?:turbo|1106|0125|vision)/, tokenizer: 'cl100k_base', contextTokens: 128000, template: OPENAI },
  { family: 'gpt-4-32k', match: /gpt-4-32k/, tokenizer: 'cl100k_base', contextTokens: 32768, template: OPENAI },
  { family: 'gpt-4', match: /gpt-4(?:-|$)/, tokenizer: 'cl100k_base', contextTokens: 8192, template: OPENAI },
  { family: 'gpt-3.5-turbo-4k', match: /gpt-3\.5-turbo-(?:0301|0613)$/, tokenizer: 'cl100k_base', contextTokens: 4096, template: OPENAI },
  { family: 'gpt-3.5-turbo', match: /gpt-3\.5-turbo/, tokenizer: 'cl100k_base', contextTokens: 16385, template: OPENAI },
  { family: 'mistral-nemo', match: /mistral-nemo|open-mistral-nemo/, tokenizer: 'estimate', contextTokens: 128000, template: UNKNOWN },
  { family: 'mistral-large', match: /mistral-large/, tokenizer: 'estimate', contextTokens: 128000, template: UNKNOWN },
  { family: 'mistral-small', match: /mistral-small|codestral|ministral/, tokenizer: 'estimate', contextTokens: 32768, template: UNKNOWN }
]

export function modelProfile (model: string): ModelProfile {
  const id = model.toLowerCase()
  const row = TABLE.find((candidate) => candidate.match.test(id))
  if (row === undefined) return { family: 'unknown', tokenizer: 'estimate', contextTokens: DEFAULT_CONTEXT_TOKENS, template: UNKNOWN }
  const { match: _match, ...profile } = row
  return profile
}
