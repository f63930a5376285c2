/**
 * What of a long message the care readings look at, so their work is bounded by a constant, not by
 * the message (issue 12): a paste of 200,000 characters is mostly material, and the person's own
 * words usually frame it.
 */

/** The first and last `chars` characters, one newline between them (a sentence break for every reader). */
export function messageEnds (text: string, chars: number): string {
  return text.length > 2 * chars ? `${text.slice(0, chars)}\n${text.slice(-chars)}` : text
}

/** Messages up to this long are read whole by the crisis check. */
const CRISIS_WHOLE_CHARS = 24_000
/** A longer one is read whole at each end, this far… */
const CRISIS_END_CHARS = 8_000
/**
 * …and in between around each trigger word, this far before and after it: more than a phrase plus
 * the context that can lower it (crisis.ts looks 300 characters back for quotation marks and 100
 * around for the sentence), so a phrase around a trigger reads exactly as in the whole message.
 */
const BEFORE_TRIGGER = 500
const AFTER_TRIGGER = 300
/** At most this much of the middle is read around triggers (a paste full of them is read up to here). */
const CRISIS_MIDDLE_CHARS = 16_000
// Far more than that many characters can use (a paste of one phrase repeated): the search stops there.
const MAX_TRIGGERS = 4096

/** Where trigger words start between `from` and `to`, in order, at most `max` of them. */
export type FindTriggers = (text: string, from: number, to: number, max: number) => number[]

/**
 * The part of `text` the crisis check reads: all of it up to 24,000 characters; beyond, both ends
 * (8,000 characters each) and, in between, the text around each trigger word, up to 16,000
 * characters of it. Stretches are joined by newlines, which end a sentence for the check.
 */
export function crisisExcerpt (text: string, findTriggers: FindTriggers): string {
  if (text.length <= CRISIS_WHOLE_CHARS) return text
  const tailStart = text.length - CRISIS_END_CHARS
  const stretches: Array<[number, number]> = [[0, CRISIS_END_CHARS]]
  let middle = 0
  // Triggers just inside an end count too: their phrase or its context may cross the edge.
  const from = CRISIS_END_CHARS - AFTER_TRIGGER
  const triggers = findTriggers(text, from, tailStart + BEFORE_TRIGGER, MAX_TRIGGERS)
  for (const at of triggers) {
    const start = wordStart(text, at - BEFORE_TRIGGER)
    const end = wordEnd(text, at + AFTER_TRIGGER)
    const last = stretches[stretches.length - 1] as [number, number]
    const added = Math.max(0, Math.min(end, tailStart) - Math.max(start, last[1]))
    if (middle + added > CRISIS_MIDDLE_CHARS) break
    middle += added
    if (start <= last[1]) last[1] = Math.max(last[1], end)
    else stretches.push([start, end])
  }
  const last = stretches[stretches.length - 1] as [number, number]
  if (last[1] >= tailStart) last[1] = text.length
  else stretches.push([tailStart, text.length])
  return stretches.map(([start, end]) => text.slice(start, end)).join('\n')
}

/** How far a stretch's edge moves to fall between words (none in Chinese: it stays). */
const SNAP_CHARS = 40
const SPACE = /\s/

/** A stretch begins after a space, never inside a word ("skill myself" must not read "kill myself"). */
function wordStart (text: string, index: number): number {
  if (index === 0) return 0
  for (let i = index; i < Math.min(text.length, index + SNAP_CHARS); i++) if (SPACE.test(text[i - 1] as string)) return i
  return index
}

function wordEnd (text: string, index: number): number {
  for (let i = index; i > Math.max(0, index - SNAP_CHARS); i--) if (SPACE.test(text[i] ?? ' ')) return i
  return index
}
