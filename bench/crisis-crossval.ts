/**
 * Crisis detection per part of the labelled set, with each half of the detector alone and both
 * together: the listed phrases (crisis-lexicon.ts) and the composed ones (crisis-concepts-*.ts with
 * the signs of crisis-signs.ts).
 * How it was used (src/care/README.md): the composed signs were written from dev and round 3 only,
 * with rounds 1 and 2 set aside and scored once before anything was changed after reading them.
 *
 *   npx tsx bench/crisis-crossval.ts                 # every part in the repo
 *   npx tsx bench/crisis-crossval.ts round1 round2   # only these
 *   npx tsx bench/crisis-crossval.ts --listed-at 23933a4 round1 round2
 *       # the listed phrases as committed then (tuned on dev only, before rounds 1 and 2 were read):
 *       # with the composed signs (dev and round 3 only), a detector that never saw rounds 1 and 2
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ENGLISH_COMPOSED } from '../src/care/crisis-concepts-en.js'
import { CHINESE_COMPOSED } from '../src/care/crisis-concepts-zh.js'
import { CHINESE, type CrisisPattern, ENGLISH } from '../src/care/crisis-lexicon.js'
import { CRISIS_PATTERNS, detectWith } from '../src/care/crisis.js'
import { SIGNS } from '../src/care/crisis-signs.js'
import { HELD_OUT, hasPart, loadSet, TUNING_PARTS, type Example, type Part } from '../test/care/crisis-set.js'

const args = process.argv.slice(2)
const at = args.indexOf('--listed-at')
const commit = at === -1 ? undefined : args.splice(at, 2)[1]

/** The listed phrases as they were at a commit (the file alone, run through today's detector). */
async function listedAt (commit: string): Promise<readonly CrisisPattern[]> {
  const source = execFileSync('git', ['show', `${commit}:src/care/crisis-lexicon.ts`], { encoding: 'utf8' })
  const file = join(mkdtempSync(join(tmpdir(), 'crisis-lexicon-')), 'crisis-lexicon.ts')
  writeFileSync(file, source)
  const old = await import(pathToFileURL(file).href) as { ENGLISH: CrisisPattern[], CHINESE: CrisisPattern[] }
  return [...old.ENGLISH, ...old.CHINESE]
}

const listed = commit === undefined ? [...ENGLISH, ...CHINESE] : await listedAt(commit)
const composed = [...ENGLISH_COMPOSED, ...CHINESE_COMPOSED, ...SIGNS]
const VARIANTS: Record<string, readonly CrisisPattern[]> = {
  [commit === undefined ? 'listed' : `listed at ${commit}`]: listed,
  composed,
  both: commit === undefined ? CRISIS_PATTERNS : [...listed, ...composed]
}
const PROVIDER_KINDS = new Set(['fiction', 'third-person'])

function figures (examples: readonly Example[], patterns: readonly CrisisPattern[]): string {
  const got = examples.map((e) => detectWith(patterns, e.text)?.level ?? 'none')
  const acute = examples.filter((e) => e.label === 'acute')
  const found = examples.filter((e, i) => e.label === 'acute' && got[i] === 'acute').length
  const nones = examples.filter((e) => e.label === 'none')
  const noneAcute = examples.filter((e, i) => e.label === 'none' && got[i] === 'acute').length
  const provider = examples.filter((e, i) => PROVIDER_KINDS.has(e.kind) && got[i] === 'acute').length
  return `${(found / acute.length).toFixed(2)} (${found}/${acute.length}) | ${(100 * noneAcute / nones.length).toFixed(1)} % | ${provider}`
}

const asked = args as Part[]
const parts = asked.length > 0 ? asked : [...TUNING_PARTS, ...(hasPart(HELD_OUT) ? [HELD_OUT] : [])]
console.log('| part | language | detector | acute recall | look-alikes taken for acute | fiction / third-person taken for acute |')
console.log('|---|---|---|---|---|---|')
for (const part of parts) {
  for (const language of ['en', 'zh'] as const) {
    const examples = loadSet(part, language)
    for (const [name, patterns] of Object.entries(VARIANTS)) console.log(`| ${part} | ${language} | ${name} | ${figures(examples, patterns)} |`)
  }
}
