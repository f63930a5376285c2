import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { classify, HELD_OUT, hasPart, loadSet, score, tableRows, TUNING_PARTS, type Example, type Part, type SetLanguage } from './crisis-set.js'

// The targets.
const ACUTE_RECALL = 0.95
const NONE_TAKEN_FOR_ACUTE = 0.03
// Fiction and third-person requests get the provider's answer, never the crisis reply.
const PROVIDER_KINDS = ['fiction', 'third-person']

interface HeldOutFigures { acuteRecall: number, noneTakenForAcute: number, providerKindsTakenForAcute: number }

/**
 * The held-out part's figures when it was first scored, once the detector was frozen (round 4,
 * 2026-11-30, written blind): all three miss the targets (src/care/README.md), so the test holds them
 * as a floor — a change may not make them worse. Whoever adds a new held-out part
 * (fixtures/crisis/heldout-*.tsv) records its first figures here and in the README's table.
 */
const HELD_OUT_MEASURED: Record<SetLanguage, HeldOutFigures> | undefined = {
  en: { acuteRecall: 20 / 50, noneTakenForAcute: 2 / 45, providerKindsTakenForAcute: 1 },
  zh: { acuteRecall: 18 / 50, noneTakenForAcute: 4 / 45, providerKindsTakenForAcute: 2 }
}

const LANGUAGES = ['en', 'zh'] as const
const HAS_HELD_OUT = hasPart(HELD_OUT)
const ALL_PARTS: readonly Part[] = HAS_HELD_OUT ? [...TUNING_PARTS, HELD_OUT] : TUNING_PARTS

function merged (parts: readonly Part[], language: SetLanguage): Example[] {
  return parts.flatMap((part) => loadSet(part, language))
}

function acuteRecall (examples: readonly Example[]): number {
  return score(examples).classes.find((c) => c.label === 'acute')?.recall ?? 0
}

function providerKindsTakenForAcute (examples: readonly Example[]): Example[] {
  return examples.filter((e) => PROVIDER_KINDS.includes(e.kind) && classify(e.text) === 'acute')
}

describe('the labelled crisis set', () => {
  it('has at least 200 messages, half English and half Chinese (simplified and traditional), every class in every part', () => {
    const sizes = LANGUAGES.map((language) => merged(ALL_PARTS, language).length)
    expect((sizes[0] ?? 0) + (sizes[1] ?? 0)).toBeGreaterThanOrEqual(200)
    expect(sizes[0]).toBe(sizes[1])
    const chinese = merged(ALL_PARTS, 'zh').map((e) => e.text).join('')
    expect(chinese).toMatch(/[们这说没会]/) // simplified
    expect(chinese).toMatch(/[們這說沒會]/) // traditional
    for (const part of ALL_PARTS) {
      for (const language of LANGUAGES) {
        expect(new Set(loadSet(part, language).map((e) => e.label)), `${part}-${language}`).toEqual(new Set(['acute', 'concern', 'none']))
      }
    }
  })

  it('has no message twice, within or across parts', () => {
    const texts = LANGUAGES.flatMap((language) => merged(ALL_PARTS, language).map((e) => e.text))
    const repeated = texts.filter((text, i) => texts.indexOf(text) !== i)
    expect(repeated).toEqual([])
  })
})

describe.each(LANGUAGES)('crisis detection, %s', (language) => {
  it('meets the targets on the parts it was tuned on', () => {
    const examples = merged(TUNING_PARTS, language)
    expect(acuteRecall(examples)).toBeGreaterThanOrEqual(ACUTE_RECALL)
    expect(score(examples).noneTakenForAcute).toBeLessThanOrEqual(NONE_TAKEN_FOR_ACUTE)
    expect(providerKindsTakenForAcute(examples).map((e) => e.text)).toEqual([])
  })

  it('is no worse on the held-out part than when it was first scored', () => {
    if (!HAS_HELD_OUT) return // README test below: the README then says there is none
    const examples = loadSet(HELD_OUT, language)
    expect(HELD_OUT_MEASURED, 'a held-out part was added: record its first figures in HELD_OUT_MEASURED and the README').toBeDefined()
    const measured = HELD_OUT_MEASURED?.[language]
    expect(acuteRecall(examples)).toBeGreaterThanOrEqual(measured?.acuteRecall ?? 1)
    expect(score(examples).noneTakenForAcute).toBeLessThanOrEqual(measured?.noneTakenForAcute ?? NONE_TAKEN_FOR_ACUTE)
    expect(providerKindsTakenForAcute(examples).length).toBeLessThanOrEqual(measured?.providerKindsTakenForAcute ?? 0)
  })
})

describe('src/care/README.md', () => {
  it('shows the figures as they are', () => {
    const readme = readFileSync(new URL('../../src/care/README.md', import.meta.url), 'utf8')
    const rows = [...(HAS_HELD_OUT ? tableRows('held out', [HELD_OUT]) : []), ...tableRows('tuned on', TUNING_PARTS)]
    for (const row of rows) expect(readme, `README row missing or stale: ${row}`).toContain(row)
    if (!HAS_HELD_OUT) expect(readme).toContain('No held-out part is in the repo at the moment')
  })
})
