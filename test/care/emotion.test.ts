import { describe, expect, it } from 'vitest'
import { describeIntensity, readEmotion, summarizeMoods, type Mood } from '../../src/care/emotion.js'

describe('readEmotion', () => {
  it.each<[string, Mood]>([
    ['I feel so sad today', 'sadness'],
    ["I'm really worried about my exam tomorrow", 'anxiety'],
    ['I am so angry at my boss', 'anger'],
    ['I feel lonely, no one to talk to', 'loneliness'],
    ['I feel hopeless and worthless', 'despair'],
    ['We won! I am so happy', 'joy'],
    ['What is the capital of France?', 'neutral'],
    ['Write a function that sorts a list', 'neutral'],
    ['我今天很难过', 'sadness'],
    ['最近压力好大，晚上睡不着', 'anxiety'],
    ['气死我了，太不公平了', 'anger'],
    ['我好孤独，没有人理解我', 'loneliness'],
    ['我觉得很绝望', 'despair'],
    ['哈哈太好了', 'joy'],
    ['我們今天好開心', 'joy'],
    ['帮我写一个排序函数', 'neutral'],
    ['😭😭', 'sadness']
  ])('%s → %s', (text, mood) => {
    expect(readEmotion(text).mood).toBe(mood)
  })

  describe('negation', () => {
    it.each<[string, Mood, string?]>([
      // A negated joy is sadness; a negated distress is no feeling at all, not joy.
      ['I am not happy', 'sadness', 'not happy'],
      ["I don't feel happy anymore", 'sadness', "don't feel happy"],
      ['I am not worried at all', 'neutral'],
      ['Never been happier!', 'joy', 'happier'],
      ["I can't stop crying", 'sadness', 'crying'],
      // The negation stays in its clause.
      ["It's not the money, I'm just sad", 'sadness', 'sad'],
      ['我不开心', 'sadness', '不开心'],
      ['我不太开心', 'sadness', '不太开心'],
      ['我一点也不担心', 'neutral'],
      ['我没那么难过', 'neutral']
    ])('%s → %s', (text, mood, cue) => {
      const reading = readEmotion(text)
      expect(reading.mood).toBe(mood)
      if (cue !== undefined) expect(reading.cues).toContain(cue)
    })

    it('names the negation in the cue', () => {
      expect(readEmotion('I am not happy').cues).toEqual(['not happy'])
      expect(readEmotion('我不太开心').cues).toEqual(['不太开心'])
    })
  })

  it('scales intensity with intensifiers and softeners', () => {
    const plain = readEmotion('I am sad').intensity
    expect(readEmotion('I am very sad').intensity).toBeGreaterThan(plain)
    expect(readEmotion('I am a bit sad').intensity).toBeLessThan(plain)
    expect(readEmotion('我非常难过').intensity).toBeGreaterThan(readEmotion('我难过').intensity)
    expect(readEmotion('我有点难过').intensity).toBeLessThan(readEmotion('我难过').intensity)
    expect(readEmotion('sad sad miserable heartbroken crying devastated').intensity).toBe(1)
  })

  it('does not read feelings into common phrases', () => {
    expect(readEmotion('run the stress test again').mood).toBe('neutral')
    expect(readEmotion('我恨不得马上放假').mood).toBe('neutral')
    expect(readEmotion('恐怕明天会下雨').mood).toBe('neutral')
    expect(readEmotion('经验的积累很重要').mood).toBe('neutral')
  })

  it('reports a second feeling in a mixed message', () => {
    const reading = readEmotion("I'm really excited about the new job, and nervous too")
    expect(reading.mood).toBe('joy')
    expect(reading.secondary).toBe('anxiety')
    expect(readEmotion('I am so sad').secondary).toBeUndefined()
  })

  it('breaks ties towards distress', () => {
    expect(readEmotion('happy but sad').mood).toBe('sadness')
  })

  it('reads only the edges of a very long message', () => {
    // A pasted document full of "happy" in the middle does not outweigh the person's own words.
    const filler = 'lorem ipsum '.repeat(300)
    const text = `I am so sad. ${filler}${'happy '.repeat(1000)}${filler} Please help.`
    expect(readEmotion(text).mood).toBe('sadness')
  })

  it('describes intensity in words', () => {
    expect(describeIntensity(0.2)).toBe('mild')
    expect(describeIntensity(0.5)).toBe('moderate')
    expect(describeIntensity(0.9)).toBe('strong')
  })
})

describe('summarizeMoods', () => {
  it('finds the prevailing feeling, ignoring neutral readings', () => {
    const readings = ['I am worried', 'what time is it', 'so anxious', 'I am sad'].map(readEmotion)
    expect(summarizeMoods(readings)).toEqual({ mood: 'anxiety', count: 2, of: 4 })
  })

  it('is neutral when nothing showed a feeling, and undefined for no readings', () => {
    expect(summarizeMoods(['hello', 'sort this list'].map(readEmotion))).toEqual({ mood: 'neutral', count: 2, of: 2 })
    expect(summarizeMoods([])).toBeUndefined()
  })
})
