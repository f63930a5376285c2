import { readdir, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ERRORS } from '../../src/errors.js'

// The page's two catalogues (src/web/locales/): the same keys, each of the same kind, every key the
// page uses present, every error code of src/errors.ts said in both, and no English left in Chinese.

const WEB = new URL('../../src/web/', import.meta.url)
type Catalogue = Record<string, string | ((...args: unknown[]) => string)>
const load = async (name: string): Promise<Catalogue> => (await import(new URL(`locales/${name}.js`, WEB).href)).default
const en = await load('en')
const zh = await load('zh')

const PAGE_CODES = ['network_error', 'bad_response', 'stream_interrupted', 'session_expired']
// Names a Chinese sentence keeps as written: keys, settings, the API's path, the brand of "AI", "OpenAI".
const KEPT = /\b(?:AI|OpenAI|Enter|Shift|token|LLM_API_KEY|LLM_BASE_URL)\b|\/llm\/message\/advanced|a–z|A–Z/g

/** `source` with each `${…}` (nested ones included) and each allowed name taken out. */
function withoutInsertions (source: string): string {
  let out = ''
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '$' || source[i + 1] !== '{') {
      out += source[i]
      continue
    }
    let depth = 0
    for (i++; i < source.length; i++) {
      if (source[i] === '{') depth++
      else if (source[i] === '}' && --depth === 0) break
    }
  }
  return out.replace(KEPT, '')
}

/** Every catalogue key the page's files name literally (`t('chat.start')`, `data-i18n-text="…"`). */
async function keysUsed (): Promise<Set<string>> {
  const used = new Set<string>()
  for (const file of await readdir(WEB)) {
    if (!/\.(js|html)$/.test(file)) continue
    const source = await readFile(new URL(file, WEB), 'utf8')
    for (const m of source.matchAll(/data-i18n-[a-z-]+="([^"]+)"/g)) used.add(m[1] as string)
    for (const m of source.matchAll(/'([a-z]+(?:\.[A-Za-z0-9_]+)+)'/g)) if ((m[1] as string) in en || /^[a-z]+\.[a-z]/i.test(m[1] as string)) used.add(m[1] as string)
  }
  // File names and the like are not keys.
  for (const key of used) if (/\.(js|css|svg|html|json)$/.test(key)) used.delete(key)
  return used
}

describe('the page\'s message catalogues', () => {
  it('have the same keys, each a sentence in both or a function in both', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort())
    for (const key of Object.keys(en)) expect(typeof zh[key], key).toBe(typeof en[key])
  })

  it('say every error code of src/errors.ts, and the page\'s own', () => {
    for (const code of [...Object.keys(ERRORS), ...PAGE_CODES]) {
      expect(en, code).toHaveProperty([`error.${code}`])
      expect(zh, code).toHaveProperty([`error.${code}`])
    }
  })

  it('hold every key the page names, and no key it never uses', async () => {
    const used = await keysUsed()
    for (const key of used) expect(en, `${key} is used but missing`).toHaveProperty([key])
    // Keys built at run time: error.<code>, mood.<name>.
    for (const key of Object.keys(en)) {
      if (!/^(error|mood)\./.test(key)) expect(used.has(key), `${key} is never used`).toBe(true)
    }
  })

  it('have no English left in the Chinese sentences, and no Chinese in the English', async () => {
    // The sentences as written, functions included: the text of zh.js's strings, without comments
    // and without what `${…}` inserts (numbers, dates, the server's words).
    const source = withoutInsertions((await readFile(new URL('locales/zh.js', WEB), 'utf8')).replace(/^\s*\/\/.*$/gm, ''))
    const strings = [...source.matchAll(/'((?:[^'\\]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)].map((m) => (m[1] ?? m[2]) as string)
      .filter((s) => !(s in zh)) // not the keys
    expect(strings.length).toBeGreaterThan(Object.keys(zh).length)
    for (const s of strings) expect(s, s).not.toMatch(/[A-Za-z]{2,}/)
    for (const [key, value] of Object.entries(en)) if (typeof value === 'string') expect(value, key).not.toMatch(/\p{Script=Han}/u)
  })
})
