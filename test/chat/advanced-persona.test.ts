import { describe, expect, it } from 'vitest'
import { advancedPersona } from '../../src/chat/advanced-persona.js'
import type { ChatRecord } from '../../src/domain/messages.js'

let id = 0
function exchange (question: string, answer = 'I hear you.'): ChatRecord[] {
  return [
    { id: String(++id), conversationId: '1', type: 'user', text: question, createdAt: id, endpoint: 'advanced', status: 'answered' },
    { id: String(++id), conversationId: '1', type: 'ai', text: answer, createdAt: id, endpoint: 'advanced', status: 'complete' }
  ]
}

/** The screening (before admission) and the prepared turn (after it) of one message, as the chat service runs them. */
function prepare (text: string, history: ChatRecord[] = []) {
  const screening = advancedPersona.screen(text)
  return { ...screening, ...advancedPersona.prepare({ username: 'eric_93', text, history }, screening) }
}

describe('advancedPersona', () => {
  it('serves the advanced endpoint', () => {
    expect(advancedPersona.endpoint).toBe('advanced')
  })

  it('puts the caring guidance and the cues in the system prompt and stores the mood', () => {
    const history = [
      ...exchange('Hi, my name is Eric'),
      ...exchange("I'm so stressed about work"),
      ...exchange('and anxious about my review')
    ]
    const turn = prepare('I feel really sad today', history)
    expect(turn.system).toMatch(/Listen first/)
    expect(turn.system).toContain('Their name is Eric.')
    expect(turn.system).toContain('Their latest message reads as sadness (moderate; words like "sad")')
    expect(turn.system).toContain('mostly been anxiety (2 of the last 3)')
    expect(turn.system).not.toContain('eric_93')
    expect(turn.mood).toBe('sadness')
    expect(turn.reply).toBeUndefined()
    expect(turn.lead).toBeUndefined()
  })

  it('reads the name from the new message too, and the newest introduction wins', () => {
    expect(prepare("I'm Eric, I need some advice").system).toContain('Their name is Eric.')
    expect(prepare('hello', [...exchange('my name is Eric'), ...exchange('actually, call me Rick')]).system).toContain('Their name is Rick.')
  })

  it('asks for Chinese to a Chinese message and reads it', () => {
    const turn = prepare('我最近压力好大，晚上睡不着', exchange('我叫小明'))
    expect(turn.system).toContain('请用中文回复')
    expect(turn.system).toContain('Their name is 小明.')
    expect(turn.mood).toBe('anxiety')
  })

  it('stores neutral for a message without feeling', () => {
    expect(prepare('How do I reverse a list in Python?').mood).toBe('neutral')
  })

  it('answers an acute signal with the crisis reply instead of the provider', () => {
    const turn = prepare('I want to kill myself', exchange('my name is Eric'))
    expect(turn.mood).toBe('despair')
    expect(turn.exempt).toBe(true)
    expect(turn.system).toMatch(/may signal thoughts of suicide or self-harm/)
    const reply = turn.reply ?? ''
    expect(reply).toMatch(/^Eric, thank you for telling me/)
    expect(reply).toContain('https://findahelpline.com')
  })

  it('answers an acute signal in Chinese with Chinese hotlines', () => {
    const reply = prepare('我不想活了').reply ?? ''
    expect(reply).toContain('010-82951332')
    expect(reply).toContain('400-161-9995')
  })

  it('leads the provider reply with a resources note for a concern', () => {
    const turn = prepare('What is the suicide rate in Japan?')
    expect(turn.mood).toBe('neutral')
    expect(turn.reply).toBeUndefined()
    expect(turn.lead).toMatch(/^If this is about you[^]*\n\n$/)
  })

  it('keeps an earlier crisis in view', () => {
    const turn = prepare('thanks for listening', exchange('I want to die'))
    expect(turn.system).toMatch(/Earlier in this conversation they spoke of suicide or self-harm/)
    expect(turn.reply).toBeUndefined()
  })
})
