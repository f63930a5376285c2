import {
  CHINESE, type CrisisPattern, EN_FIRST_PERSON, EN_NOW, EN_OTHER_PERSON, EN_PAST, ENGLISH,
  normalizeEnglish, ZH_NOW, ZH_OTHER_PERSON, ZH_PAST
} from './crisis-lexicon.js'

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
const SENTENCE_REACH = 100
const HAN = /\p{Script=Han}/u

/** Looks for signs of suicide or self-harm in English and Chinese; `null` when there are none. */
export function detectCrisis (text: string): CrisisSignal | null {
  const normalized = normalizeEnglish(text)
  const cues: string[] = []
  let acute = false
  let besideAcute = false
  for (const pattern of [...ENGLISH, ...CHINESE]) {
    for (const match of normalized.matchAll(pattern.re)) {
      if (!cues.includes(match[0])) cues.push(match[0])
      if (pattern.level !== 'acute' || lowered(normalized, match.index, match[0], pattern)) continue
      if (pattern.beside === true) besideAcute = true
      else acute = true
    }
  }
  if (cues.length === 0) return null
  if (besideAcute && cues.length > 1) acute = true
  // "i'm suicidal" also matches the plainer "suicidal": keep the fuller phrase.
  return { level: acute ? 'acute' : 'concern', cues: cues.filter((cue) => !cues.some((other) => other !== cue && other.includes(cue))) }
}

/** Whether an acute phrase is lowered to a concern by what surrounds it. */
function lowered (text: string, index: number, phrase: string, pattern: CrisisPattern): boolean {
  const chinese = HAN.test(phrase)
  const before = stretchBefore(text, index, NEGATION_REACH, CLAUSE_BREAK)
  if (EN_NEGATED.test(before) || ZH_NEGATED.test(before)) return true
  if (quoted(text.slice(0, index))) return true
  const sentenceBefore = stretchBefore(text, index, SENTENCE_REACH, SENTENCE_BREAK)
  const sentence = sentenceBefore + phrase + stretchAfter(text, index + phrase.length)
  if (chinese ? ZH_PAST.test(sentence) && !ZH_NOW.test(sentence) : EN_PAST.test(sentence) && !EN_NOW.test(sentence)) return true
  return pattern.self !== true && aboutSomeoneElse(sentenceBefore, chinese)
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
