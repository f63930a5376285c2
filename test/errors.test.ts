import { describe, expect, it } from 'vitest'
import { AppError, ERRORS, SENTENCES, sentence } from '../src/errors.js'

// The one error table speaks two languages: a code without its Chinese sentence fails here.

const HAN = /\p{Script=Han}/u
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
// Names that stay as written in a Chinese sentence: settings, HTTP, formats.
const KEPT = /\b(?:[A-Z][A-Z0-9_]{2,}|POST|GET|JSON|Bearer|Unicode|OpenAI|application\/json|token|choices|docs)\b/g

describe('every error code has a Chinese sentence', () => {
  it.each(Object.entries(ERRORS))('%s', (_code, entry) => {
    const { detail, zh } = entry as { detail: string, zh?: string }
    expect(zh, 'a `zh` sentence beside `detail`').toBeTypeOf('string')
    expect(zh).toMatch(HAN)
    expect(zh).toMatch(/[。！？）]$/)
    // Chinese, not English with a Chinese word in it.
    expect(zh?.replace(KEPT, '')).not.toMatch(/[A-Za-z]{3,}/)
    expect(detail).not.toMatch(HAN)
  })
})

describe('every sentence with particulars', () => {
  it.each(Object.entries(SENTENCES))('%s has the same placeholders in both languages', (_key, { en, zh }) => {
    expect(zh).toMatch(HAN)
    expect(placeholders(zh)).toEqual(placeholders(en))
  })

  it('fills placeholders with the values as given, leaving unknown ones alone', () => {
    expect(sentence('message_longer_than', { max: 4000 })).toEqual({ en: 'The message is longer than 4000 characters.', zh: '消息超过了 4000 个字符。' })
    // A value that looks like a placeholder is not filled again.
    expect(sentence('username_taken_named', { username: '{username}' }).zh).toBe('用户名“{username}”已被占用，请换一个。')
  })
})

describe('AppError in either language', () => {
  it('gives the code\'s sentences, a pair as given, and the code\'s Chinese for an English-only detail', () => {
    expect(new AppError('llm_timeout').toBody('zh')).toEqual({ error: 'llm_timeout', detail: ERRORS.llm_timeout.zh })
    expect(new AppError('llm_timeout').toBody()).toEqual({ error: 'llm_timeout', detail: ERRORS.llm_timeout.detail })
    const pair = new AppError('message_too_long', { detail: sentence('message_longer_than', { max: 9 }), extra: { retry_after: 1 } })
    expect(pair.toBody('zh')).toEqual({ error: 'message_too_long', detail: '消息超过了 9 个字符。', retry_after: 1 })
    expect(pair.message).toBe('The message is longer than 9 characters.')
    expect(new AppError('bad_request', { detail: 'Only English here.' }).toBody('zh').detail).toBe(ERRORS.bad_request.zh)
  })
})
