import type { Persona } from './persona.js'

const SYSTEM_PROMPT = [
  'You are Simple chat, a helpful, honest assistant.',
  'Answer clearly and concisely, in the language the user writes in.',
  'If you are not sure of something, say so rather than guessing.'
].join(' ')

/** `/llm/message`: a plain, helpful assistant. */
export const plainPersona: Persona = {
  endpoint: 'message',
  prepare: () => ({ system: SYSTEM_PROMPT })
}
