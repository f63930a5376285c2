import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { classify, loadSet, score, tableRows, TUNING_PARTS, type Example, type Part, type SetLanguage } from './crisis-set.js'

// The targets.
const ACUTE_RECALL = 0.95
const NONE_TAKEN_FOR_ACUTE = 0.03
// Fiction and third-person requests get the provider's answer, never the crisis reply.
const PROVIDER_KINDS = ['fiction', 'third-person']

/**
 * The held-out part as first scored (2026-11-30), below the recall target (src/care/README.md says
 * by how much and what would close the gap): a change may not make it worse.
 */
const HELD_OUT_MEASURED: Record<SetLanguage, { acuteRecall: number, providerKindsTakenForAcute: number }> = {
  en: { acuteRecall: 14 / 30, providerKindsTakenForAcute: 0 },
  zh: { acuteRecall: 14 / 30, providerKindsTakenForAcute: 1 }
}

const LANGUAGES = ['en', 'zh'] as const
const ALL_PARTS: readonly Part[] = [...TUNING_PARTS, 'heldout']

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

  it('takes no more than 3 % of the held-out look-alikes for acute', () => {
    expect(score(loadSet('heldout', language)).noneTakenForAcute).toBeLessThanOrEqual(NONE_TAKEN_FOR_ACUTE)
  })

  it('is no worse on the held-out part than when first scored (below the recall target: see the README)', () => {
    const examples = loadSet('heldout', language)
    const measured = HELD_OUT_MEASURED[language]
    expect(acuteRecall(examples)).toBeGreaterThanOrEqual(measured.acuteRecall)
    expect(providerKindsTakenForAcute(examples).length).toBeLessThanOrEqual(measured.providerKindsTakenForAcute)
  })
})

describe('src/care/README.md', () => {
  it('shows the figures as they are', () => {
    const readme = readFileSync(new URL('../../src/care/README.md', import.meta.url), 'utf8')
    for (const row of [...tableRows('held out', ['heldout']), ...tableRows('tuned on', TUNING_PARTS)]) {
      expect(readme, `README row missing or stale: ${row}`).toContain(row)
    }
  })
})
