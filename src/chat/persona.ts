import { detectCrisis, type CrisisSignal } from '../care/crisis.js'
import { readEmotion, type EmotionReading } from '../care/emotion.js'
import type { ChatMessage } from '../llm/types.js'
import type { ContextRecord, Endpoint } from '../domain/messages.js'

/**
 * What a persona reads from the message alone, before it is admitted, each for a reason:
 * - the crisis scan decides the admission: someone in crisis is admitted over the limits, or given
 *   the crisis reply instead of a refusal, so it cannot wait;
 * - the mood is stored by the admission itself, with the message, in one atomic write (the report
 *   counts every message's mood, failed and pending ones too). Read after admission, it would need
 *   a second write path in both stores and a message pending at a crash would have none; it costs
 *   a fraction of the crisis scan (measured 2026-11-30: 0.03–0.06 ms against 0.06–0.5 ms for a
 *   short message, 0.3 ms against 7–11 ms for 200,000 characters).
 * Everything that reads the person's history comes after admission.
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
