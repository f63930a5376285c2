import { STOP_WORDS } from './stop-words.js'

export interface TermCount { term: string, count: number }

/**
 * Bounds on the text one report reads for its topics: the start of each message (where people say
 * what it is about; a long paste would drown their own words) and a total, newest messages first,
 * which keeps a report of a full year of long messages under a second.
 */
export const TOPIC_SAMPLE = { messageChars: 1000, totalChars: 1_000_000 } as const

// ICU segments Han text with its dictionary and Latin text by UAX #29 whatever the locale, so
// one segmenter handles both languages, and a message that mixes them.
const segmenter = new Intl.Segmenter(['zh', 'en'], { granularity: 'word' })
const HAS_LETTER = /\p{L}/u
const MAX_TERM_CHARS = 40

/** The terms of one text: words, lower case, without numbers, punctuation, stop words or single characters. */
export function * termsOf (text: string): Generator<string> {
  // The hot loop of a report: cheap checks first, a regular expression last.
  for (const { segment, isWordLike } of segmenter.segment(text.toLowerCase().replaceAll('’', "'"))) {
    if (isWordLike !== true || segment.length < 2) continue
    const term = segment.endsWith("'s") ? segment.slice(0, -2) : segment
    if (term.length < 2 || term.length > MAX_TERM_CHARS || isOneCharacter(term) || STOP_WORDS.has(term) || !HAS_LETTER.test(term)) continue
    yield term
  }
}

/** One character outside the Basic Multilingual Plane (a rare Han character) is two UTF-16 units. */
function isOneCharacter (term: string): boolean {
  return term.length === 2 && (term.codePointAt(0) as number) > 0xffff
}

export interface TermCounter {
  /** Counts a text's terms; `false` once the character budget is spent (stop feeding it). */
  add (text: string): boolean
  /** The most frequent terms other than `excluded`, most frequent first, ties alphabetically. */
  top (limit: number, excluded?: ReadonlySet<string>): TermCount[]
}

/** A streaming counter: texts go through one at a time, only the counts are kept. */
export function createTermCounter (budgetChars: number = TOPIC_SAMPLE.totalChars): TermCounter {
  const counts = new Map<string, number>()
  let budget = budgetChars
  return {
    add (text) {
      if (budget <= 0) return false
      const sample = text.length > budget ? text.slice(0, budget) : text
      budget -= sample.length
      for (const term of termsOf(sample)) counts.set(term, (counts.get(term) ?? 0) + 1)
      return budget > 0
    },
    top (limit, excluded) {
      return [...counts]
        .filter(([term]) => excluded?.has(term) !== true)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, limit)
        .map(([term, count]) => ({ term, count }))
    }
  }
}
