import { crisisNote, crisisReply } from '../care/crisis-reply.js'
import { detectLanguage } from '../care/language.js'
import { readMessage, type Persona } from './persona.js'

const SYSTEM_PROMPT = [
  'You are Simple chat, a helpful, honest assistant.',
  'Answer clearly and concisely, in the language the user writes in.',
  'If you are not sure of something, say so rather than guessing.'
].join(' ')

/**
 * `/llm/message`: a plain, helpful assistant. The message's mood is read and stored all the same
 * (it does not reach the prompt), so the report's mood covers every message, not only the advanced ones.
 * It has no caring persona, but no endpoint answers "I want to die" with only the model's text:
 * an acute crisis signal leads the reply with the help note, and no one in crisis is turned away:
 * when the provider cannot be asked (a limit, no free slot), the crisis reply is given instead.
 */
export const messagePersona: Persona = {
  endpoint: 'message',
  screen (text) {
    const read = readMessage(text)
    if (read.crisis?.level !== 'acute') return { ...read, exempt: false }
    return { ...read, exempt: false, unrefused: crisisReply(detectLanguage(text)) }
  },
  prepare ({ text }, { crisis }) {
    if (crisis?.level !== 'acute') return { system: SYSTEM_PROMPT }
    return { system: SYSTEM_PROMPT, lead: `${crisisNote(detectLanguage(text))}\n\n` }
  }
}
