import { AppError, sentence } from '../errors.js'
import type { ChatCompletionMessage } from '../schemas/openai.js'
import type { ContextRecord } from '../domain/messages.js'

/** What a client's OpenAI `messages` give the chat service. */
export interface ClientTurn {
  /** The last message: the user's new one, stored and counted. */
  text: string
  /** The earlier user and assistant messages, oldest first: the provider's history (middle-out applies). */
  context: ContextRecord[]
  /** The client's system (and `developer`) messages, joined; absent when it sent none. */
  system?: string
}

/**
 * Reads OpenAI's `messages`. Text only: an image, audio or file part, a tool call or a tool result
 * is refused (400) rather than silently dropped, so the client knows the model never saw it.
 */
export function readClientMessages (messages: readonly ChatCompletionMessage[]): ClientTurn {
  const system: string[] = []
  const turns: ContextRecord[] = []
  messages.forEach((message, i) => {
    const text = textOf(message, i)
    if (message.role === 'system' || message.role === 'developer') system.push(text)
    else if (message.role === 'user' || message.role === 'assistant') turns.push({ type: message.role === 'user' ? 'user' : 'ai', text })
    else throw unsupported(`messages[${i}].role "${message.role}"`, 'openai_roles')
  })
  const last = messages[messages.length - 1]
  const newest = turns.pop()
  if (last === undefined || (last.role !== 'user') || newest === undefined || newest.text.trim() === '') {
    throw new AppError('validation_error', { status: 400, detail: sentence('openai_last_not_user') })
  }
  return { text: newest.text, context: turns, ...(system.length === 0 ? {} : { system: system.join('\n\n') }) }
}

function textOf (message: ChatCompletionMessage, i: number): string {
  if (message.content === null) return ''
  if (typeof message.content === 'string') return message.content
  return message.content.map((part, j) => {
    if (part.type !== 'text' || typeof part.text !== 'string') throw unsupported(`messages[${i}].content[${j}].type "${part.type}"`, 'openai_text_parts')
    return part.text
  }).join('')
}

/** Why a parameter is refused: a sentence of `SENTENCES`, said in the client's language. */
export type UnsupportedReason = 'openai_one_choice' | 'openai_no_tools' | 'openai_no_logprobs' | 'openai_free_text' | 'openai_text_replies' | 'openai_roles' | 'openai_text_parts'

export function unsupported (param: string, reason: UnsupportedReason): AppError {
  const why = sentence(reason)
  const detail = { en: sentence('openai_unsupported', { param, reason: why.en }).en, zh: sentence('openai_unsupported', { param, reason: why.zh }).zh }
  return new AppError('unsupported_parameter', { detail, extra: { param } })
}
