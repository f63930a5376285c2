import { readEmotion } from '../care/emotion.js'
import type { Persona } from './persona.js'

const SYSTEM_PROMPT = [
  'You are Simple chat, a helpful, honest assistant.',
  'Answer clearly and concisely, in the language the user writes in.',
  'If you are not sure of something, say so rather than guessing.'
].join(' ')

/**
 * `/llm/message`: a plain, helpful assistant. The message's mood is read and stored all the same
 * (it does not reach the prompt), so the report's mood covers every message, not only the advanced ones.
 */
export const plainPersona: Persona = {
  endpoint: 'message',
  prepare: ({ text }) => ({ system: SYSTEM_PROMPT, mood: readEmotion(text).mood })
}
