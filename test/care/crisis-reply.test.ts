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

  it('uses the name when known', () => {
    expect(crisisReply('en', 'Eric')).toMatch(/^Eric, /)
    expect(crisisReply('zh', '小明')).toMatch(/^小明，/)
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
