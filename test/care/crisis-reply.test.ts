import { describe, expect, it } from 'vitest'
import { CRISIS_RESOURCES, crisisNote, crisisReply } from '../../src/care/crisis-reply.js'

describe('crisis replies', () => {
  it('answers in English with emergency advice and resources, and asks one question', () => {
    const reply = crisisReply('en')
    expect(reply).toContain('https://findahelpline.com')
    expect(reply).toContain('988')
    expect(reply).toContain('116 123')
    expect(reply).toMatch(/emergency/)
    expect(reply.match(/\?/g)).toHaveLength(1)
  })

  it('answers in Chinese with Chinese hotlines', () => {
    const reply = crisisReply('zh')
    expect(reply).toContain('010-82951332')
    expect(reply).toContain('400-161-9995')
    expect(reply).toContain('120')
    expect(reply).toMatch(/[？]$/)
  })

  it('reads right with and without a name', () => {
    expect(crisisReply('en', 'Eric')).toMatch(/^Eric, thank you for telling me\. /)
    expect(crisisReply('en')).toMatch(/^Thank you for telling me\. /)
    expect(crisisReply('zh', '小明')).toMatch(/^小明，谢谢你愿意告诉我。/)
    expect(crisisReply('zh')).toMatch(/^谢谢你愿意告诉我。/)
    // Every paragraph opens with a capital (English) and ends with a full stop or the question.
    for (const paragraph of crisisReply('en').split('\n\n')) expect(paragraph).toMatch(/^[A-Z][^]*[.?:\w]$/)
  })

  it('lists every resource in the reply', () => {
    for (const language of ['en', 'zh'] as const) {
      for (const line of CRISIS_RESOURCES[language]) expect(crisisReply(language)).toContain(line)
    }
  })

  it('has a short note for concerns in both languages', () => {
    expect(crisisNote('en')).toContain('https://findahelpline.com')
    expect(crisisNote('zh')).toContain('400-161-9995')
  })
})
