import { detectCrisis, type CrisisSignal } from '../care/crisis.js'
import { readEmotion, type EmotionReading } from '../care/emotion.js'
import type { ChatMessage } from '../llm/types.js'
import type { ContextRecord, Endpoint } from '../domain/messages.js'

/**
 * What a persona reads from the message alone, before it is admitted: just what admission needs
 * (someone in crisis is admitted over the limits, so the crisis scan cannot wait) and what is
 * stored with the message. Everything that reads the person's history comes after admission.
 */
export interface Screening {
  crisis: CrisisSignal | null
  reading: EmotionReading
  /** Stored with the message for the report. */
  mood: string
  /** The persona answers on its own (`PreparedTurn.reply`): the provider is not asked, the message is admitted over the limits and never counted. */
  exempt: boolean
  /**
   * The whole reply where the provider cannot be asked (over a limit, every slot taken, none
   * configured), instead of the refusal: given, stored and exempt from the limits.
   */
  unrefused?: string
}

export interface PersonaInput {
  username: string
  text: string
  /** The user's recent answered exchanges, oldest first. */
  history: readonly ContextRecord[]
}

/** What the persona makes of an admitted message, with the person's history. */
export interface PreparedTurn {
  system: string
  /** The whole reply, standing instead of the provider's (an `exempt` message): the provider is not asked. */
  reply?: string
  /** Text the reply opens with, sent before the provider's (e.g. a crisis resources note). */
  lead?: string
}

/** How one chat endpoint talks: what it reads from the message, then its system prompt. */
export interface Persona {
  readonly endpoint: Endpoint
  screen (text: string): Screening
  prepare (input: PersonaInput, screening: Screening): PreparedTurn
}

/** The crisis signal and the emotion reading of a message; an acute signal is stored as despair whatever the words ("I want to die" has no lexicon word). */
export function readMessage (text: string): Pick<Screening, 'crisis' | 'reading' | 'mood'> {
  const crisis = detectCrisis(text)
  const reading = readEmotion(text)
  return { crisis, reading, mood: crisis?.level === 'acute' ? 'despair' : reading.mood }
}

/** Builds the provider's conversation: system prompt, recent history, then the new message. */
export function buildConversation (system: string, history: readonly ContextRecord[], text: string): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: system }]
  for (const record of history) {
    messages.push({ role: record.type === 'user' ? 'user' : 'assistant', content: record.text })
  }
  messages.push({ role: 'user', content: text })
  return messages
}
