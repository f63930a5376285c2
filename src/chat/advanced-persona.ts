import { buildCarePrompt } from '../care/care-prompt.js'
import { detectCrisis } from '../care/crisis.js'
import { crisisNote, crisisReply } from '../care/crisis-reply.js'
import { readEmotion, summarizeMoods } from '../care/emotion.js'
import { detectLanguage } from '../care/language.js'
import { findName } from '../care/name.js'
import { readMessage, type Persona } from './persona.js'

// The recent messages whose mood and crisis signals the prompt mentions; the name is looked for in all.
const RECENT_MESSAGES = 6

/**
 * `/llm/message/advanced`: a reply designed for human care. The system prompt is written for
 * supportive conversation and carries what was noticed about the person (the mood of the message
 * and of their recent ones, the name they gave). A message signalling suicide or self-harm takes
 * the safety path whatever the provider says: an acute signal gets the calm crisis reply with
 * resources and the provider is not asked (so nothing it says can stream out first), a concern
 * leads the reply with a short resources note.
 */
export const advancedPersona: Persona = {
  endpoint: 'advanced',

  screen (text) {
    const read = readMessage(text)
    return { ...read, exempt: read.crisis?.level === 'acute' }
  },

  prepare ({ text, history }, { crisis, reading }) {
    const earlier = history.flatMap((record) => record.type === 'user' ? [record.text] : [])
    const recent = earlier.slice(-RECENT_MESSAGES)
    const language = detectLanguage(text)
    const name = findName([...earlier, text])

    const system = buildCarePrompt({
      language,
      name,
      reading,
      recent: summarizeMoods(recent.map(readEmotion)),
      crisis,
      crisisEarlier: recent.some((t) => detectCrisis(t)?.level === 'acute')
    })

    if (crisis?.level === 'acute') return { system, reply: crisisReply(language, name) }
    if (crisis?.level === 'concern') return { system, lead: `${crisisNote(language)}\n\n` }
    return { system }
  }
}
