import {
  CHINESE_IGNORED, CHINESE_LEXICON, EMOJI_LEXICON, ENGLISH_DIMINISHERS, ENGLISH_IGNORED, ENGLISH_INTENSIFIERS,
  ENGLISH_LEXICON, ENGLISH_NEGATION_BREAKERS, ENGLISH_NEGATORS, type FeltMood, type LexiconGroup
} from './emotion-lexicon.js'
import { messageEnds } from './message-ends.js'

export type { FeltMood } from './emotion-lexicon.js'

/** Every label a reading can give, in the order ties are broken: distress before joy. */
export const MOODS = ['despair', 'sadness', 'anxiety', 'loneliness', 'anger', 'joy', 'neutral'] as const
export type Mood = typeof MOODS[number]

export interface EmotionReading {
  mood: Mood
  /** 0 for neutral, up to 1. */
  intensity: number
  /** A second feeling at least half as strong, for mixed messages. */
  secondary?: FeltMood
  /** The words behind `mood`, as matched: "not happy", "焦虑". */
  cues: string[]
}

interface Hit { mood: FeltMood, weight: number, cue: string }

// A long paste is mostly material, not feelings; the person's own words usually frame it.
const SAMPLE_EDGE_CHARS = 2000
// Below this total a reading is neutral: one diminished weak word is not a mood.
const MIN_SCORE = 0.5
// The score at which intensity reaches 1: about three plain cues, or two intensified ones.
const FULL_SCORE = 3
const NEGATION_SCOPE = 3
// "not happy" reads as sadness, a little less surely than "sad".
const NEGATED_JOY_WEIGHT = 0.8
const WEAK_WEIGHT = 0.5
const INTENSIFIED = 1.5
const DIMINISHED = 0.5
const MAX_CUES = 5

/**
 * A light, lexicon-based emotion reading of one message, in English and Chinese. Negation-aware
 * ("not happy" reads as sadness, "not worried" as nothing) and sensitive to intensifiers ("very",
 * 很) and softeners ("a bit", 有点). A cue for the prompt and a label for the report, not a verdict.
 */
export function readEmotion (text: string): EmotionReading {
  const sample = messageEnds(text, SAMPLE_EDGE_CHARS)
  const hits = [...englishHits(sample), ...substringHits(sample)]

  const scores = new Map<FeltMood, number>()
  for (const hit of hits) scores.set(hit.mood, (scores.get(hit.mood) ?? 0) + hit.weight)
  const ranked = rank(scores)
  const top = ranked[0]
  if (top === undefined || top[1] < MIN_SCORE) return { mood: 'neutral', intensity: 0, cues: [] }

  const [mood, score] = top
  const second = ranked[1]
  const cues = [...new Set(hits.filter((h) => h.mood === mood).map((h) => h.cue))].slice(0, MAX_CUES)
  return {
    mood,
    intensity: Math.round(Math.min(1, score / FULL_SCORE) * 100) / 100,
    ...(second !== undefined && second[1] >= Math.max(MIN_SCORE, score / 2) ? { secondary: second[0] } : {}),
    cues
  }
}

/** "mild", "moderate" or "strong", for the prompt. */
export function describeIntensity (intensity: number): 'mild' | 'moderate' | 'strong' {
  return intensity < 0.34 ? 'mild' : intensity < 0.67 ? 'moderate' : 'strong'
}

interface Entry { tokens: string[], prefix: boolean, mood: FeltMood | null, weight: number }

const ENGLISH_ENTRIES = buildEnglishEntries()
// Entries by their first token; prefix entries ("worr*") are few and checked one by one.
const ENGLISH_BY_FIRST = new Map<string, Entry[]>()
const ENGLISH_PREFIXES: Entry[] = []
for (const entry of ENGLISH_ENTRIES) {
  if (entry.prefix) ENGLISH_PREFIXES.push(entry)
  else {
    const first = entry.tokens[0] as string
    ENGLISH_BY_FIRST.set(first, [...(ENGLISH_BY_FIRST.get(first) ?? []), entry])
  }
}
for (const list of ENGLISH_BY_FIRST.values()) list.sort((a, b) => b.tokens.length - a.tokens.length)

function buildEnglishEntries (): Entry[] {
  const entries: Entry[] = ENGLISH_IGNORED.map((phrase) => ({ tokens: phrase.split(' '), prefix: false, mood: null, weight: 0 }))
  for (const [mood, group] of groups(ENGLISH_LEXICON)) {
    for (const [term, weight] of weighted(group)) {
      const prefix = term.endsWith('*')
      entries.push({ tokens: (prefix ? term.slice(0, -1) : term).split(' '), prefix, mood, weight })
    }
  }
  return entries
}

// Clauses end at punctuation and at "but": "not bad, but sad" negates nothing.
const CLAUSE_BREAK = /[.!?;:,()[\]"“”\n]+|\s(?:but|though|although|however)\s/u
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu

function englishHits (text: string): Hit[] {
  const hits: Hit[] = []
  const normalized = text.toLowerCase().replace(/[’‘]/g, "'")
  for (const clause of normalized.split(CLAUSE_BREAK)) {
    const tokens = clause.match(WORD)
    if (tokens === null) continue
    for (let i = 0; i < tokens.length;) {
      const entry = matchEnglish(tokens, i)
      if (entry === undefined) {
        i++
        continue
      }
      const matched = tokens.slice(i, i + entry.tokens.length)
      if (entry.mood !== null) hits.push(...applyEnglishModifiers(entry.mood, entry.weight, matched.join(' '), tokens.slice(Math.max(0, i - NEGATION_SCOPE), i)))
      i += entry.tokens.length
    }
  }
  return hits
}

function matchEnglish (tokens: string[], i: number): Entry | undefined {
  const token = tokens[i] as string
  for (const entry of ENGLISH_BY_FIRST.get(token) ?? []) {
    if (entry.tokens.every((t, k) => tokens[i + k] === t)) return entry
  }
  return ENGLISH_PREFIXES.find((entry) => token.startsWith(entry.tokens[0] as string))
}

function applyEnglishModifiers (mood: FeltMood, weight: number, term: string, before: string[]): Hit[] {
  const negatorAt = before.findLastIndex((t) => ENGLISH_NEGATORS.has(t))
  const broken = negatorAt >= 0 && before.slice(negatorAt + 1).some((t) => ENGLISH_NEGATION_BREAKERS.has(t))
  // "never been happier" is not a negation: a comparative after a negator praises.
  const comparative = /(?:ier|iest)$/.test(term)
  if (negatorAt >= 0 && !broken && !comparative) {
    // The cue quotes the words as written, negator to term: "don't feel happy".
    return mood === 'joy' ? [{ mood: 'sadness', weight: weight * NEGATED_JOY_WEIGHT, cue: [...before.slice(negatorAt), term].join(' ') }] : []
  }
  // "very sad"; "a bit sad", "kind of sad".
  const previous = before.at(-1)
  const factor = previous !== undefined && ENGLISH_INTENSIFIERS.has(previous)
    ? INTENSIFIED
    : before.slice(-2).some((t) => ENGLISH_DIMINISHERS.has(t)) ? DIMINISHED : 1
  return [{ mood, weight: weight * factor, cue: term }]
}

// Chinese has no spaces, so its terms (and emoji) are found as substrings, longest first.
const SUBSTRING_ENTRIES = buildSubstringEntries()
const SUBSTRING_PATTERN = new RegExp(
  [...SUBSTRING_ENTRIES.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gu')

function buildSubstringEntries (): Map<string, { mood: FeltMood | null, weight: number, negatable: boolean }> {
  const entries = new Map<string, { mood: FeltMood | null, weight: number, negatable: boolean }>()
  for (const term of CHINESE_IGNORED) entries.set(term, { mood: null, weight: 0, negatable: false })
  for (const [lexicon, negatable] of [[CHINESE_LEXICON, true], [EMOJI_LEXICON, false]] as const) {
    for (const [mood, group] of groups(lexicon)) {
      for (const [term, weight] of weighted(group)) entries.set(term, { mood, weight, negatable })
    }
  }
  return entries
}

// What may stand between a negator and the feeling: 不太开心, 没那么难过, 不是很生气, 不觉得孤单.
const ZH_NEGATED = /(?:不|没有?|沒有?|别|別|未|并非|毫无|毫無)(?:是|太|很|怎么|怎麼|那么|那麼|算|够|再|会|會|觉得|覺得|感到|感觉|感覺)?(?:很|太|那么|那麼|多)?$/u
const ZH_INTENSIFIED = /(?:非常|特别|特別|十分|极其|極其|超级|超級|越来越|越來越|真的|实在|實在|好|很|太|超|真|挺|极|極|巨|最)$/u
const ZH_DIMINISHED = /(?:有点儿?|有點兒?|有一点|有一點|有些|稍微|略微?)$/u
const ZH_CLAUSE_BREAK = /[，。！？；：,.!?;:\s、~～…]/u
const ZH_LOOKBEHIND = 5

function substringHits (text: string): Hit[] {
  const hits: Hit[] = []
  for (const match of text.matchAll(SUBSTRING_PATTERN)) {
    const term = match[0]
    const entry = SUBSTRING_ENTRIES.get(term)
    if (entry === undefined || entry.mood === null) continue
    const before = clauseBefore(text, match.index)

    if (entry.negatable && ZH_NEGATED.test(before)) {
      const negator = before.match(ZH_NEGATED)?.[0] ?? ''
      if (entry.mood === 'joy') hits.push({ mood: 'sadness', weight: entry.weight * NEGATED_JOY_WEIGHT, cue: negator + term })
      continue
    }
    const factor = !entry.negatable ? 1 : ZH_INTENSIFIED.test(before) ? INTENSIFIED : ZH_DIMINISHED.test(before) ? DIMINISHED : 1
    hits.push({ mood: entry.mood, weight: entry.weight * factor, cue: term })
  }
  return hits
}

/** Up to a few characters before `index`, within the same clause. */
function clauseBefore (text: string, index: number): string {
  let start = index
  while (start > 0 && index - start < ZH_LOOKBEHIND && !ZH_CLAUSE_BREAK.test(text[start - 1] as string)) start--
  return text.slice(start, index)
}

function * groups (lexicon: Record<FeltMood, LexiconGroup>): Iterable<[FeltMood, LexiconGroup]> {
  for (const mood of Object.keys(lexicon) as FeltMood[]) yield [mood, lexicon[mood]]
}

function * weighted (group: LexiconGroup): Iterable<[string, number]> {
  for (const term of group.strong) yield [term, 1]
  for (const term of group.weak ?? []) yield [term, WEAK_WEIGHT]
}

function escapeRegExp (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export interface MoodTrend {
  /** The most frequent feeling across the readings, or `neutral` when none showed one. */
  mood: Mood
  /** How many readings showed it. */
  count: number
  /** How many readings there were. */
  of: number
}

/** The prevailing feeling across several readings (recent messages); `undefined` for none. */
export function summarizeMoods (readings: readonly EmotionReading[]): MoodTrend | undefined {
  if (readings.length === 0) return undefined
  const counts = new Map<Mood, number>()
  for (const { mood } of readings) if (mood !== 'neutral') counts.set(mood, (counts.get(mood) ?? 0) + 1)
  const top = rank(counts)[0]
  return top === undefined
    ? { mood: 'neutral', count: readings.length, of: readings.length }
    : { mood: top[0], count: top[1], of: readings.length }
}

/** Highest first; a tie goes to the mood listed first in `MOODS`, whatever the order of the words. */
function rank<M extends Mood> (scores: Map<M, number>): Array<[M, number]> {
  return [...scores].sort((a, b) => b[1] - a[1] || MOODS.indexOf(a[0]) - MOODS.indexOf(b[0]))
}
