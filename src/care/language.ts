import { messageEnds } from './message-ends.js'

/**
 * `zh` when the text is mostly Chinese, `en` otherwise. The care lexicons cover only these two, so
 * `en` really means "not Chinese": the prompt then asks for the language of the message itself.
 */
export type Language = 'zh' | 'en'

// A long paste is told by its ends, as the emotion reading is: the person's own words frame it.
const SAMPLE_EDGE_CHARS = 2000

const HAN = /\p{Script=Han}/gu
// Kana marks Japanese, whose kanji would otherwise count as Chinese.
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u
const LATIN_WORD = /\p{Script=Latin}+/gu

/**
 * Compares Han characters with Latin words, since one Han character carries about as much as one
 * word: "我用 Python 写代码" is Chinese, "I love 饺子 so much" is English.
 */
export function detectLanguage (message: string): Language {
  const text = messageEnds(message, SAMPLE_EDGE_CHARS)
  const han = text.match(HAN)?.length ?? 0
  if (han === 0 || KANA.test(text)) return 'en'
  const latinWords = text.match(LATIN_WORD)?.length ?? 0
  return han >= latinWords ? 'zh' : 'en'
}
