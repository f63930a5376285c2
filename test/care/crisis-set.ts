import { existsSync, readFileSync } from 'node:fs'
import { detectCrisis } from '../../src/care/crisis.js'

/** The labelled crisis set in `fixtures/crisis/`: see src/care/README.md for how it was built. */
export type Label = 'acute' | 'concern' | 'none'
export type Part = 'heldout' | 'adversarial' | 'round3' | 'round2' | 'round1' | 'dev'
export type SetLanguage = 'en' | 'zh'

export interface Example { label: Label, kind: string, text: string }

const LABELS: readonly string[] = ['acute', 'concern', 'none']

function partFile (part: Part, language: SetLanguage): URL {
  return new URL(`fixtures/crisis/${part}-${language}.tsv`, import.meta.url)
}

/**
 * Whether a part is in the repo. The held-out part comes and goes: each is written by someone who
 * has not seen the detector, added after the detector is frozen, scored, and then tuned on under a
 * round's name, so between rounds there may be none.
 */
export function hasPart (part: Part): boolean {
  return existsSync(partFile(part, 'en')) || existsSync(partFile(part, 'zh'))
}

/** Reads one part of the set: `label<TAB>kind<TAB>text` a line, `#` lines are comments. */
export function loadSet (part: Part, language: SetLanguage): Example[] {
  return readFileSync(partFile(part, language), 'utf8').split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [label, kind, text] = line.split('\t')
      if (label === undefined || !LABELS.includes(label) || kind === undefined || text === undefined) {
        throw new Error(`bad line in ${part}-${language}.tsv: ${line}`)
      }
      return { label: label as Label, kind, text }
    })
}

export function classify (text: string): Label {
  return detectCrisis(text)?.level ?? 'none'
}

export interface ClassScore { label: Label, count: number, recall: number, precision: number }

export interface Score {
  classes: ClassScore[]
  /** Messages labelled `none` the detector calls acute, as a share of all `none`. */
  noneTakenForAcute: number
  misses: Array<Example & { got: Label }>
}

export function score (examples: readonly Example[]): Score {
  const got = examples.map((example) => classify(example.text))
  const classes = (['acute', 'concern', 'none'] as const).map((label) => {
    const labelled = examples.filter((example) => example.label === label).length
    const predicted = got.filter((g) => g === label).length
    const right = examples.filter((example, i) => example.label === label && got[i] === label).length
    return { label, count: labelled, recall: ratio(right, labelled), precision: ratio(right, predicted) }
  })
  const nones = examples.filter((example) => example.label === 'none')
  const noneAcute = examples.filter((example, i) => example.label === 'none' && got[i] === 'acute').length
  return {
    classes,
    noneTakenForAcute: ratio(noneAcute, nones.length),
    misses: examples.flatMap((example, i) => got[i] === example.label ? [] : [{ ...example, got: got[i] as Label }])
  }
}

function ratio (part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole
}

export const TUNING_PARTS: readonly Part[] = ['dev', 'round1', 'round2', 'round3', 'adversarial']
export const HELD_OUT: Part = 'heldout'

/** One part (or several merged), per language: the README's table rows, `| part | language | class | n | recall | precision |`. */
export function tableRows (name: string, parts: readonly Part[]): string[] {
  return (['en', 'zh'] as const).flatMap((language) => {
    const { classes, noneTakenForAcute } = score(parts.flatMap((part) => loadSet(part, language)))
    return [
      ...classes.map((c) => `| ${name} | ${language} | ${c.label} | ${c.count} | ${c.recall.toFixed(2)} | ${c.precision.toFixed(2)} |`),
      `| ${name} | ${language} | none taken for acute | | ${percent(noneTakenForAcute)} | |`
    ]
  })
}

function percent (share: number): string {
  return `${(share * 100).toFixed(1)} %`
}
