import { describe, expect, it } from 'vitest'
import { detectCrisis } from '../../src/care/crisis.js'
import { findCrisisTriggers } from '../../src/care/crisis-triggers.js'
import { crisisExcerpt } from '../../src/care/message-ends.js'
import { sample, SAMPLE_NAMES } from '../middle-out/helpers.js'
import { HELD_OUT, hasPart, loadSet, TUNING_PARTS, type Example, type Part } from './crisis-set.js'

// A paste of ordinary text in seven scripts (no quotation marks: they would change what a phrase
// near them means), long enough that the crisis check reads only its ends and around triggers.
const PASTE = SAMPLE_NAMES.map(sample).join('\n\n').replace(/["“”「」]/g, '').repeat(5)
const HALF = 30_000
const filler = (seed: number): string => PASTE.slice(seed % 5000, seed % 5000 + HALF)

const PARTS: readonly Part[] = hasPart(HELD_OUT) ? [...TUNING_PARTS, HELD_OUT] : TUNING_PARTS
const examples: Example[] = PARTS.flatMap((part) => [...loadSet(part, 'en'), ...loadSet(part, 'zh')])
const level = (text: string): string => detectCrisis(text)?.level ?? 'none'
const hasTrigger = (text: string): boolean => findCrisisTriggers(text, 0, text.length, 1).length > 0

describe('the crisis check on a long message (bounded work, issue 12)', () => {
  it('the paste alone raises nothing, and is long enough to be read in part', () => {
    expect(PASTE.length).toBeGreaterThan(2 * HALF)
    expect(detectCrisis(filler(0) + filler(1))).toBeNull()
    expect(crisisExcerpt(filler(0) + filler(1), findCrisisTriggers).length).toBeLessThan(40_000)
  })

  it.each([
    ['after', (text: string, i: number) => `${filler(i)}\n\n${text}`],
    ['before', (text: string, i: number) => `${text}\n\n${filler(i)}`]
  ])('reads every labelled message %s a long paste as it reads it alone', (_, paste) => {
    const differ = examples.filter(({ text }, i) => level(paste(text, i)) !== level(text))
    expect(differ.map((e) => e.text)).toEqual([])
  })

  it('reads a labelled message with a trigger word in the middle of a long paste as it reads it alone', () => {
    const withTrigger = examples.filter((e) => hasTrigger(e.text))
    const differ = withTrigger.filter(({ text }, i) => level(`${filler(i)}\n\n${text}\n\n${filler(i + 1)}`) !== level(text))
    expect(differ.map((e) => e.text)).toEqual([])
    // How much of the set the middle of a paste still catches: the acute messages found there, whether
    // or not they hold a trigger word (the rest are found only within 8,000 characters of an end).
    const acute = examples.filter((e) => level(e.text) === 'acute')
    const found = acute.filter(({ text }, i) => level(`${filler(i)}\n\n${text}\n\n${filler(i + 1)}`) === 'acute')
    console.log(`acute messages found in the middle of a 60,000-character paste: ${found.length} of ${acute.length}`)
    expect(found.length / acute.length).toBeGreaterThanOrEqual(0.9)
  })

  it('reads at most the ends and 16,000 characters around triggers, however many triggers', () => {
    const flood = 'I want to die. 我想死。'.repeat(20_000)
    const excerpt = crisisExcerpt(flood, findCrisisTriggers)
    expect(excerpt.length).toBeLessThanOrEqual(2 * 8_000 + 16_000 + 1_000)
    expect(detectCrisis(flood)?.level).toBe('acute')
  })

  it('never begins a stretch inside a word: "skill myself" far into a paste does not read "kill myself"', () => {
    const text = `${filler(3)} ${'x'.repeat(498)}skill myself up ${filler(4)}`
    expect(level(text)).toBe(level('skill myself up'))
  })
})
