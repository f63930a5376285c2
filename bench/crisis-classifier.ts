/**
 * Experiment (issue 13): does a small n-gram classifier, added to the crisis lexicon, raise acute
 * recall on messages nobody tuned on? Protocol: features and hyper-parameters are chosen by 5-fold
 * cross-validation on the tuning parts only; the chosen setting is then
 * trained on all of them and scored ONCE on the held-out part (`--heldout`). Figures: src/care/README.md.
 *
 * The model: TF-IDF (sublinear tf, L2-normalised) over character 1–3-grams for Chinese, word 1–2-grams
 * plus character 3–5-grams for English, and a binary logistic regression (acute vs the rest) trained by
 * plain gradient descent. Written by hand: the npm packages (ml-logistic-regression on ml-matrix,
 * natural's classifiers) take dense matrices or their own tokenisers; this is sparse and ~60 lines.
 *
 *   npx tsx bench/crisis-classifier.ts            # cross-validation on the tuning parts
 *   npx tsx bench/crisis-classifier.ts --heldout  # the chosen setting, scored once on the held-out part
 */
import { detectCrisis } from '../src/care/crisis.js'
import { HELD_OUT, hasPart, loadSet, TUNING_PARTS, type Example, type SetLanguage } from '../test/care/crisis-set.js'

type Vector = Map<number, number>

function grams (text: string, language: SetLanguage): string[] {
  const t = text.normalize('NFKC').toLowerCase()
  const out: string[] = []
  if (language === 'zh') {
    const chars = [...t.replace(/[\s\p{P}\p{S}]+/gu, '')]
    for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) out.push(`c${chars.slice(i, i + n).join('')}`)
    return out
  }
  const words = t.match(/[\p{L}\p{N}']+/gu) ?? []
  words.forEach((w, i) => { out.push(`w${w}`); if (i > 0) out.push(`b${words[i - 1] ?? ''} ${w}`) })
  const s = ` ${words.join(' ')} `
  for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= s.length; i++) out.push(`c${s.slice(i, i + n)}`)
  return out
}

interface Model { vocab: Map<string, number>, idf: Float64Array, w: Float64Array, b: number, language: SetLanguage }

function vectorize (model: Pick<Model, 'vocab' | 'idf' | 'language'>, text: string): Vector {
  const v: Vector = new Map()
  for (const g of grams(text, model.language)) {
    const i = model.vocab.get(g)
    if (i !== undefined) v.set(i, (v.get(i) ?? 0) + 1)
  }
  let norm = 0
  for (const [i, tf] of v) { const x = (1 + Math.log(tf)) * (model.idf[i] ?? 0); v.set(i, x); norm += x * x }
  norm = Math.sqrt(norm) || 1
  for (const [i, x] of v) v.set(i, x / norm)
  return v
}

function train (examples: readonly Example[], language: SetLanguage, lambda: number): Model {
  const vocab = new Map<string, number>()
  const df: number[] = []
  for (const e of examples) {
    for (const g of new Set(grams(e.text, language))) {
      let i = vocab.get(g)
      if (i === undefined) { i = vocab.size; vocab.set(g, i); df.push(0) }
      df[i] = (df[i] ?? 0) + 1
    }
  }
  const idf = Float64Array.from(df, (d) => Math.log((1 + examples.length) / (1 + d)) + 1)
  const xs = examples.map((e) => vectorize({ vocab, idf, language }, e.text))
  const ys = examples.map((e) => e.label === 'acute' ? 1 : 0)
  const w = new Float64Array(vocab.size)
  let b = 0
  const rate = 1
  for (let epoch = 0; epoch < 300; epoch++) {
    const grad = new Float64Array(vocab.size)
    let gb = 0
    xs.forEach((x, k) => {
      const err = sigmoid(dot(w, b, x)) - (ys[k] ?? 0)
      for (const [i, v] of x) grad[i] = (grad[i] ?? 0) + err * v
      gb += err
    })
    for (let i = 0; i < w.length; i++) w[i] = (w[i] ?? 0) - rate * ((grad[i] ?? 0) / xs.length + lambda * (w[i] ?? 0))
    b -= rate * gb / xs.length
  }
  return { vocab, idf, w, b, language }
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))
function dot (w: Float64Array, b: number, x: Vector): number {
  let z = b
  for (const [i, v] of x) z += (w[i] ?? 0) * v
  return z
}
const probability = (model: Model, text: string): number => sigmoid(dot(model.w, model.b, vectorize(model, text)))

type Mode = 'or' | 'silent'
interface Setting { lambda: number, threshold: number, mode: Mode }

/** acute if the lexicon says so, or the classifier does (`silent`: only where the lexicon found nothing). */
function decide (model: Model, text: string, s: Setting): boolean {
  const lexicon = detectCrisis(text)?.level
  if (lexicon === 'acute') return true
  if (s.mode === 'silent' && lexicon !== undefined) return false
  return probability(model, text) >= s.threshold
}

interface Figures { acuteRecall: number, noneAcute: number, providerAcute: number, classifierRecall: number, classifierNoneAcute: number }

function figures (examples: readonly Example[], model: Model, s: Setting): Figures {
  const acute = examples.filter((e) => e.label === 'acute')
  const none = examples.filter((e) => e.label === 'none')
  const provider = examples.filter((e) => ['fiction', 'third-person'].includes(e.kind))
  const share = (list: readonly Example[], f: (e: Example) => boolean): number => list.filter(f).length / Math.max(1, list.length)
  const clf = (e: Example): boolean => probability(model, e.text) >= s.threshold
  return {
    acuteRecall: share(acute, (e) => decide(model, e.text, s)),
    noneAcute: share(none, (e) => decide(model, e.text, s)),
    providerAcute: provider.filter((e) => decide(model, e.text, s)).length,
    classifierRecall: share(acute, clf),
    classifierNoneAcute: share(none, clf)
  }
}

function folds (examples: readonly Example[], k: number): Example[][] {
  const out: Example[][] = Array.from({ length: k }, () => [])
  for (const label of ['acute', 'concern', 'none']) {
    examples.filter((e) => e.label === label).forEach((e, i) => out[i % k]?.push(e))
  }
  return out
}

function crossValidate (examples: readonly Example[], language: SetLanguage, lambda: number, settings: readonly Setting[]): Figures[] {
  const parts = folds(examples, 5)
  const sums = settings.map(() => ({ acuteRecall: 0, noneAcute: 0, providerAcute: 0, classifierRecall: 0, classifierNoneAcute: 0 }))
  parts.forEach((test, f) => {
    const model = train(parts.filter((_, g) => g !== f).flat(), language, lambda)
    settings.forEach((s, j) => {
      const r = figures(test, model, s)
      const sum = sums[j]
      if (sum === undefined) return
      for (const key of Object.keys(sum) as Array<keyof Figures>) sum[key] += key === 'providerAcute' ? r[key] : r[key] / parts.length
    })
  })
  return sums
}

const LAMBDAS = [1e-4, 1e-3, 1e-2]
const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7]
const MODES: Mode[] = ['or', 'silent']
const fmt = (f: Figures): string => `classifier alone: recall ${f.classifierRecall.toFixed(2)}, none→acute ${(f.classifierNoneAcute * 100).toFixed(1)} % | with lexicon: recall ${f.acuteRecall.toFixed(2)}, none→acute ${(f.noneAcute * 100).toFixed(1)} %, fiction/third-person→acute ${f.providerAcute}`

/** The chosen setting: highest classifier-alone CV recall with its none→acute ≤ 2 % and no fiction/third-person taken for acute. */
function choose (language: SetLanguage): Setting {
  const examples = TUNING_PARTS.flatMap((part) => loadSet(part, language))
  let best: { s: Setting, f: Figures } | undefined
  for (const lambda of LAMBDAS) {
    const settings = MODES.flatMap((mode) => THRESHOLDS.map((threshold) => ({ lambda, threshold, mode })))
    crossValidate(examples, language, lambda, settings).forEach((f, j) => {
      const s = settings[j] as Setting
      console.log(`${language} λ=${lambda} θ=${s.threshold} ${s.mode}: ${fmt(f)}`)
      if (f.classifierNoneAcute > 0.02 || f.providerAcute > 0) return
      if (best === undefined || f.classifierRecall > best.f.classifierRecall) best = { s, f }
    })
  }
  if (best === undefined) throw new Error(`no setting meets the constraints for ${language}`)
  console.log(`${language} chosen: λ=${best.s.lambda} θ=${best.s.threshold} ${best.s.mode}: ${fmt(best.f)}`)
  return best.s
}

for (const language of ['en', 'zh'] as const) {
  const s = choose(language)
  if (process.argv.includes('--heldout')) {
    if (!hasPart(HELD_OUT)) throw new Error('no held-out part in the repo (test/care/fixtures/crisis/heldout-*.tsv)')
    const model = train(TUNING_PARTS.flatMap((part) => loadSet(part, language)), language, s.lambda)
    console.log(`${language} HELD OUT (scored once): ${fmt(figures(loadSet(HELD_OUT, language), model, s))}`)
    const long = 'I had a long day at work and the commute was slow. '.repeat(4000).slice(0, 200_000)
    const started = performance.now()
    probability(model, language === 'zh' ? '今天工作很忙，回家路上堵车。'.repeat(15000).slice(0, 200_000) : long)
    console.log(`${language} one 200,000-character message: ${(performance.now() - started).toFixed(0)} ms`)
  }
}
