import { ENGLISH_COMPOSED } from './crisis-concepts-en.js'
import { CHINESE_COMPOSED } from './crisis-concepts-zh.js'
import {
  CHINESE, type CrisisPattern, EN_FIRST_PERSON, type SignFamily, EN_NOW, EN_OTHER_PERSON, EN_PAST, ENGLISH,
  ZH_NOW, ZH_OTHER_PERSON, ZH_PAST
} from './crisis-lexicon.js'
import { normalizeCrisisText } from './crisis-normalize.js'
import { SIGNS } from './crisis-signs.js'
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
const EN_NEGATED = /\b(?:not|never|don't|won't|wouldn't|wouldnt|no longer|no more)\b(?:\s+\S+){0,2}\s*$/
// Not the A-not-A question: 有没有不痛苦的死法, 想不想.
const ZH_NEGATED = /(?:(?<![想要会是能])不|(?<!有)没有?|沒有?|别|別|不会|不會|不要|从来没有?|從來沒有?|从没|從沒)(?:想|要|会|會|打算|去)?$/
const CLAUSE_BREAK = /[.!?;,，。！？；\n]/
const SENTENCE_BREAK = /[.!?;。！？；\n]/
const NEGATION_REACH = 30
// Enough to say what was seen (the care prompt and logs), bounded for a message that repeats itself.
const MAX_CUES = 20
const SENTENCE_REACH = 100
// Quotation marks are looked for this far back: far enough for a quoted sentence, bounded per phrase.
const QUOTE_REACH = 300
const HAN = /\p{Script=Han}/u
const LATIN = /[a-z]/
const GENERIC_PERSON = /^的(?:人|朋友|孩子|学生|患者|病人|青少年|年轻人)/
const SPEAKER = /我|\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b/
/** The listed phrases (crisis-lexicon.ts) and the composed signs (crisis-concepts-*.ts). */
export const CRISIS_PATTERNS: readonly CrisisPattern[] = [...ENGLISH, ...ENGLISH_COMPOSED, ...CHINESE, ...CHINESE_COMPOSED, ...SIGNS]
// Giving things away is what a move is made of: 'we're giving away our books before we move abroad'.
const MOVING = /\b(?:mov(?:e|ing)\s+(?:house|out|abroad|away|to|in)|relocat\w*|downsiz\w*|emigrat\w*)\b|搬家|出国|移民|搬走/
// Words that only make a plan or a goodbye (crisis-signs.ts): telling beside a sign of another family.
const WEAK_FAMILIES: ReadonlySet<SignFamily> = new Set(['resolve', 'farewell'])
// Two signs of one of these families are two facts (a rope, and which tree); two of another, one (查好了末班车).
const REPEATABLE: ReadonlySet<SignFamily> = new Set(['means', 'finality', 'giving'])
// A word in scare quotes is mentioned, not used: the detective finds the 'suicide' was a murder.
const QUOTE_MARKS = new Set(["'", '"', '“', '”', '‘', '’', '「', '」', '『', '』'])
// A request to write fiction: a phrase without "my"/"me" is the character's, not the person's.
const FICTION_REQUEST = /\b(?:write|writing|draft|drafting)\b[^.!?]{0,40}\b(?:novel|screenplay|script|story|poem|scene|chapter|lines|dialogue|monologue)\b|\b(?:a|my|the)\s+character\s+(?:who|that|in)\b|\b(?:in|for)\s+(?:my|the|a)\s+(?:novel|screenplay|script|story|game|book|film|movie|play)\b|\b(?:in|inside)\s+(?:the\s+)?(?:game|movie|film|show|series|anime|episode|level|match)\b|[写寫].{0,10}(?:小说|小說|剧本|劇本|故事|诗|詩|台词|台詞|独白|對白|对白|片段|场景|剧情)|《[^》]{1,30}》|(?:小说|剧本|游戏|电影|动漫|漫画|剧)[里中]/

/**
 * Looks for signs of suicide or self-harm in English and Chinese; `null` when there are none. A
 * message over 24,000 characters is read at its ends and around trigger words (message-ends.ts).
 */
export function detectCrisis (text: string): CrisisSignal | null {
  return detectWith(CRISIS_PATTERNS, text)
}

/** `detectCrisis` with a chosen list of patterns: bench/crisis-crossval.ts weighs each list alone. */
export function detectWith (patterns: readonly CrisisPattern[], text: string): CrisisSignal | null {
  const normalized = normalizeCrisisText(crisisExcerpt(text, findCrisisTriggers))
  // Sets: a long message may repeat a phrase thousands of times.
  const cues = new Set<string>()
  // Signs ordinary alone (crisis-signs.ts), by text: their family, and whether they are the speaker's.
  const signs = new Map<string, { family: SignFamily, own: boolean }>()
  const fiction = FICTION_REQUEST.test(normalized)
  const moving = MOVING.test(normalized)
  let acute = false
  // A pattern of one script cannot match text without it: skipping it halves the work on a long paste.
  const scripts = { han: HAN.test(normalized), latin: LATIN.test(normalized) }
  for (const pattern of patterns) {
    if (!(HAN.test(pattern.re.source) ? scripts.han : scripts.latin)) continue
    for (const match of normalized.matchAll(pattern.re)) {
      if (pattern.beside !== undefined) {
        if (signs.has(match[0]) || (moving && pattern.beside === 'giving')) continue
        signs.set(match[0], { family: pattern.beside, own: !lowered(normalized, match.index, match[0], pattern, fiction) })
        continue
      }
      if (pattern.level === 'concern' && scareQuoted(normalized, match.index, match[0].length)) continue
      cues.add(match[0])
      if (pattern.level === 'acute' && !acute && !lowered(normalized, match.index, match[0], pattern, fiction)) acute = true
    }
  }
  if (signsTogether(signs, cues)) acute = true
  const families = new Set([...signs.values()].map((sign) => sign.family))
  if (acute || families.size > 1) for (const text of signs.keys()) cues.add(text)
  if (cues.size === 0) return null
  // "i'm suicidal" also matches the plainer "suicidal": keep the fuller phrase.
  const found = [...cues].slice(0, MAX_CUES)
  return { level: acute ? 'acute' : 'concern', cues: found.filter((cue) => !found.some((other) => other !== cue && other.includes(cue))) }
}

/**
 * Whether signs ordinary alone say more together: at least one is the speaker's own (the others may
 * name whom they told: 告诉她…), and a telling sign (not resolve or farewell) stands beside a weak
 * one, a telling one of another family (or of the same, for REPEATABLE), or another crisis phrase.
 */
function signsTogether (signs: ReadonlyMap<string, { family: SignFamily, own: boolean }>, cues: ReadonlySet<string>): boolean {
  if (![...signs.values()].some((sign) => sign.own)) return false
  const strong = [...signs.values()].filter((sign) => !WEAK_FAMILIES.has(sign.family))
  if (strong.length === 0) return false
  const twice = strong.length >= 2 && (new Set(strong.map((sign) => sign.family)).size > 1 || REPEATABLE.has(strong[0]?.family as SignFamily))
  return strong.length < signs.size || twice || [...cues].some((cue) => !signs.has(cue))
}

function scareQuoted (text: string, index: number, length: number): boolean {
  return QUOTE_MARKS.has(text[index - 1] ?? '') && QUOTE_MARKS.has(text[index + length] ?? '')
}

/** Whether an acute phrase is lowered to a concern by what surrounds it. */
function lowered (text: string, index: number, phrase: string, pattern: CrisisPattern, fiction: boolean): boolean {
  const chinese = HAN.test(phrase)
  const before = stretchBefore(text, index, NEGATION_REACH, CLAUSE_BREAK)
  if (EN_NEGATED.test(before) || ZH_NEGATED.test(before)) return true
  if (quoted(text.slice(Math.max(0, index - QUOTE_REACH), index))) return true
  const sentenceBefore = stretchBefore(text, index, SENTENCE_REACH, SENTENCE_BREAK)
  const sentence = sentenceBefore + phrase + stretchAfter(text, index + phrase.length)
  // Chinese strings clauses with commas where English ends sentences: the past is read in the clause.
  const clause = stretchBefore(text, index, SENTENCE_REACH, CLAUSE_BREAK) + phrase + stretchAfterTo(text, index + phrase.length, CLAUSE_BREAK)
  if (chinese ? ZH_PAST.test(clause) && !ZH_NOW.test(sentence) : EN_PAST.test(sentence) && !EN_NOW.test(sentence)) return true
  // 想自杀的人, 'people who…': a kind of person, not the speaker.
  if (chinese && GENERIC_PERSON.test(text.slice(index + phrase.length, index + phrase.length + 4))) return true
  // In a fiction request, a phrase that does not itself say "I" is the character's (角色觉得自己是累赘).
  if (fiction && !SPEAKER.test(phrase)) return true
  // A sign of putting things in order names no one: whose things are given away is told by the sentence.
  return (pattern.self !== true || pattern.beside !== undefined) && aboutSomeoneElse(sentenceBefore, chinese)
}

function stretchBefore (text: string, index: number, reach: number, breaks: RegExp): string {
  const before = text.slice(Math.max(0, index - reach), index)
  let start = before.length
  while (start > 0 && !breaks.test(before[start - 1] as string)) start--
  return before.slice(start)
}

function stretchAfter (text: string, index: number): string {
  return stretchAfterTo(text, index, SENTENCE_BREAK)
}

function stretchAfterTo (text: string, index: number, breaks: RegExp): string {
  const after = text.slice(index, index + SENTENCE_REACH)
  let end = 0
  while (end < after.length && !breaks.test(after[end] as string)) end++
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
    // 妈，对不起…: a person addressed (a name then a comma) is not the one the sentence is about.
    const others = [...before.matchAll(ZH_OTHER_PERSON)].filter((m) => !/^[，,：:！!]/.test(before.slice(m.index + m[0].length)))
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
