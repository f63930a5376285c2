import {
  CHINESE, type CrisisPattern, EN_FIRST_PERSON, EN_NOW, EN_OTHER_PERSON, EN_PAST, ENGLISH,
  normalizeEnglish, ZH_NOW, ZH_OTHER_PERSON, ZH_PAST
} from './crisis-lexicon.js'
import { findCrisisTriggers } from './crisis-triggers.js'
import { crisisExcerpt } from './message-ends.js'

/**
 * `acute`: the person speaks of wanting to end their life or harm themselves, directly or not
 * ("I want to kill myself", "everyone would be better off without me", 我不想活了, 我是个累赘).
 * `concern`: the subject comes up without that first-person, present intent: negated, past, about
 * someone else, quoted, or a topic ("suicide rates", "my friend wants to die", 我以前自杀过).
 */
export type CrisisLevel = 'acute' | 'concern'

export interface CrisisSignal {
  level: CrisisLevel
  /** The phrases that raised it, as matched (English ones lower-cased). */
  cues: string[]
}

// A negation just before an acute phrase lowers it to a concern: "I would never kill myself", 我不想自杀.
const EN_NEGATED = /\b(?:not|never|don't|won't|wouldn't|wouldnt|no longer)\b(?:\s+\S+){0,2}\s*$/
const ZH_NEGATED = /(?:不|没有?|沒有?|别|別|不会|不會|不要|从来没有?|從來沒有?|从没|從沒)(?:想|要|会|會|打算|去)?$/
const CLAUSE_BREAK = /[.!?;,，。！？；\n]/
const SENTENCE_BREAK = /[.!?;。！？；\n]/
const NEGATION_REACH = 30
// Enough to say what was seen (the care prompt and logs), bounded for a message that repeats itself.
const MAX_CUES = 20
const SENTENCE_REACH = 100
// Quotation marks are looked for this far back: far enough for a quoted sentence, bounded per phrase.
const QUOTE_REACH = 300
const HAN = /\p{Script=Han}/u
// A request to write fiction: a phrase without "my"/"me" is the character's, not the person's.
const FICTION_REQUEST = /\b(?:write|writing|draft|drafting)\b[^.!?]{0,40}\b(?:novel|screenplay|script|story|poem|scene|chapter|lines|dialogue|monologue)\b|\b(?:in|for)\s+(?:my|the|a)\s+(?:novel|screenplay|script|story|game|book|film|movie|play)\b|[写寫].{0,10}(?:小说|小說|剧本|劇本|故事|诗|詩|台词|台詞)/

/**
 * Looks for signs of suicide or self-harm in English and Chinese; `null` when there are none. A
 * message over 24,000 characters is read at its ends and around trigger words (message-ends.ts).
 */
export function detectCrisis (text: string): CrisisSignal | null {
  const normalized = normalizeEnglish(crisisExcerpt(text, findCrisisTriggers))
  // Sets: a long message may repeat a phrase thousands of times.
  const cues = new Set<string>()
  const beside = new Set<string>()
  const fiction = FICTION_REQUEST.test(normalized)
  let acute = false
  for (const pattern of [...ENGLISH, ...CHINESE]) {
    for (const match of normalized.matchAll(pattern.re)) {
      if (pattern.beside === true) {
        if (!beside.has(match[0]) && !lowered(normalized, match.index, match[0], pattern, fiction)) beside.add(match[0])
        continue
      }
      cues.add(match[0])
      if (pattern.level === 'acute' && !acute && !lowered(normalized, match.index, match[0], pattern, fiction)) acute = true
    }
  }
  // Signs each ordinary alone ("giving away my furniture") count only beside another sign.
  if (beside.size > 0 && cues.size + beside.size > 1) {
    for (const cue of beside) cues.add(cue)
    acute = true
  }
  if (cues.size === 0) return null
  // "i'm suicidal" also matches the plainer "suicidal": keep the fuller phrase.
  const found = [...cues].slice(0, MAX_CUES)
  return { level: acute ? 'acute' : 'concern', cues: found.filter((cue) => !found.some((other) => other !== cue && other.includes(cue))) }
}

/** Whether an acute phrase is lowered to a concern by what surrounds it. */
function lowered (text: string, index: number, phrase: string, pattern: CrisisPattern, fiction: boolean): boolean {
  const chinese = HAN.test(phrase)
  const before = stretchBefore(text, index, NEGATION_REACH, CLAUSE_BREAK)
  if (EN_NEGATED.test(before) || ZH_NEGATED.test(before)) return true
  if (quoted(text.slice(Math.max(0, index - QUOTE_REACH), index))) return true
  const sentenceBefore = stretchBefore(text, index, SENTENCE_REACH, SENTENCE_BREAK)
  const sentence = sentenceBefore + phrase + stretchAfter(text, index + phrase.length)
  if (chinese ? ZH_PAST.test(sentence) && !ZH_NOW.test(sentence) : EN_PAST.test(sentence) && !EN_NOW.test(sentence)) return true
  return pattern.self !== true && (fiction || aboutSomeoneElse(sentenceBefore, chinese))
}

function stretchBefore (text: string, index: number, reach: number, breaks: RegExp): string {
  const before = text.slice(Math.max(0, index - reach), index)
  let start = before.length
  while (start > 0 && !breaks.test(before[start - 1] as string)) start--
  return before.slice(start)
}

function stretchAfter (text: string, index: number): string {
  const after = text.slice(index, index + SENTENCE_REACH)
  let end = 0
  while (end < after.length && !SENTENCE_BREAK.test(after[end] as string)) end++
  return after.slice(0, end)
}

/** Inside quotation marks: someone else's words reported ("she said 'I want to die'"). */
function quoted (before: string): boolean {
  const straight = before.split('"').length - 1
  return straight % 2 === 1 || before.lastIndexOf('“') > before.lastIndexOf('”') || before.lastIndexOf('「') > before.lastIndexOf('」')
}

/** The nearest person named before the phrase is not the speaker: "my son said he wants to die", 我朋友想自杀. */
function aboutSomeoneElse (before: string, chinese: boolean): boolean {
  if (chinese) {
    const me = before.lastIndexOf('我')
    const others = [...before.matchAll(ZH_OTHER_PERSON)]
    const other = others.at(-1)?.index ?? -1
    return other > me
  }
  const words = before.split(/[^a-z']+/).filter((word) => word !== '')
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i] as string
    if (EN_FIRST_PERSON.has(word)) return false
    if (EN_OTHER_PERSON.test(word)) return true
  }
  return false
}
