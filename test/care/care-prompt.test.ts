import { describe, expect, it } from 'vitest'
import { buildCarePrompt } from '../../src/care/care-prompt.js'
import { detectCrisis } from '../../src/care/crisis.js'
import { readEmotion } from '../../src/care/emotion.js'

const calm = { language: 'en', reading: readEmotion('how do I bake bread?'), crisis: null, crisisEarlier: false } as const

describe('buildCarePrompt', () => {
  it('asks for listening, reflection, a real answer, one follow-up, their language, no diagnosis or flattery', () => {
    const prompt = buildCarePrompt(calm)
    expect(prompt).toMatch(/Listen first/)
    expect(prompt).toMatch(/Reflect their feelings/)
    expect(prompt).toMatch(/answer the actual question/)
    expect(prompt).toMatch(/at most one gentle follow-up question/)
    expect(prompt).toMatch(/To Chinese, reply in Chinese/)
    expect(prompt).toMatch(/Do not diagnose/)
    expect(prompt).toMatch(/No empty flattery/)
  })

  it('carries the reading of the message with its words, and a mixed feeling', () => {
    const prompt = buildCarePrompt({ ...calm, reading: readEmotion("I'm not happy and really worried") })
    expect(prompt).toContain('Their latest message reads as anxiety (moderate; words like "worried"), with some sadness.')
  })

  it('says so when the message shows no feeling, so none is invented', () => {
    expect(buildCarePrompt(calm)).toMatch(/emotionally neutral: do not invent feelings/)
  })

  it('carries the mood of recent messages unless it was neutral', () => {
    expect(buildCarePrompt({ ...calm, recent: { mood: 'anxiety', count: 3, of: 5 } }))
      .toContain('Across their recent messages the mood has mostly been anxiety (3 of the last 5).')
    expect(buildCarePrompt({ ...calm, recent: { mood: 'neutral', count: 2, of: 2 } })).not.toMatch(/recent messages/)
  })

  it('uses the name they gave, or says there is none', () => {
    expect(buildCarePrompt({ ...calm, name: 'Eric' })).toContain('Their name is Eric.')
    expect(buildCarePrompt(calm)).toMatch(/have not told you their name/)
  })

  it('asks for Chinese when they write Chinese', () => {
    expect(buildCarePrompt({ ...calm, language: 'zh' })).toContain('请用中文回复')
    expect(buildCarePrompt(calm)).not.toContain('请用中文回复')
  })

  it('adds safety guidance for a crisis now or earlier, and none otherwise', () => {
    expect(buildCarePrompt(calm)).not.toMatch(/Safety:/)
    const now = buildCarePrompt({ ...calm, crisis: detectCrisis('I want to die') })
    expect(now).toMatch(/Safety:\n- Their latest message may signal thoughts of suicide or self-harm/)
    expect(now).toMatch(/give no information about methods/)
    expect(buildCarePrompt({ ...calm, crisisEarlier: true })).toMatch(/Earlier in this conversation they spoke of suicide or self-harm/)
  })
})
