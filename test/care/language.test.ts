import { describe, expect, it } from 'vitest'
import { detectLanguage } from '../../src/care/language.js'

describe('detectLanguage', () => {
  it.each([
    ['我今天很难过', 'zh'],
    ['我用 Python 写代码', 'zh'],
    ['我今天好累 so tired', 'zh'],
    ['我們今天去哪裡？', 'zh'],
    ['I feel sad today', 'en'],
    ['I love 饺子 so much', 'en'],
    ['', 'en'],
    ['12345 !!!', 'en'],
    // Japanese: kanji with kana is not Chinese.
    ['今日はとても疲れました', 'en']
  ] as const)('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language)
  })
})
