import { describe, expect, it } from 'vitest'
import { detectCrisis } from '../../src/care/crisis.js'

describe('detectCrisis', () => {
  it.each([
    'I want to kill myself',
    "I don't want to live anymore",
    'I just want to die',
    "I'm suicidal",
    "I've been having suicidal thoughts",
    'I think everyone would be better off dead without me, I am better off dead',
    'I keep cutting myself',
    "I've been self-harming again",
    'I want to end my life',
    'nobody would care if I killed myself',
    'I’m going to end it all tonight',
    '我想死',
    '我不想活了',
    '真的活不下去了',
    '我想自杀',
    '我有自杀的念头',
    '我想结束自己的生命',
    '我又自残了',
    '我好想死'
  ])('acute: %s', (text) => {
    expect(detectCrisis(text)?.level).toBe('acute')
  })

  it.each([
    // The subject, without first-person intent.
    'What is the suicide rate in Japan?',
    'My friend told me she wants to kill herself, how do I help?',
    'How can I support someone who self-harms?',
    'I cut myself while cooking',
    "I can't take it anymore",
    // Negated intent is still a subject worth a resources note.
    "I would never kill myself, don't worry",
    "I'm not going to kill myself",
    "I don't want to die",
    "I'm not suicidal, just tired",
    '我不想死',
    '我不想自杀，只是很累',
    '自杀率是多少？',
    '我想死的心都有了'
  ])('concern: %s', (text) => {
    expect(detectCrisis(text)?.level).toBe('concern')
  })

  it.each([
    'This bug is killing me',
    'I could die of embarrassment',
    'How do I kill a process on Linux?',
    'I hurt myself playing football',
    'Die Hard is my favourite film',
    '想死你了！',
    '笑死我了',
    '热死了'
  ])('none: %s', (text) => {
    expect(detectCrisis(text)).toBeNull()
  })

  it.each([
    // Spelled many ways: stretched, leetspeak, typos, slang, traditional characters, oaths.
    'i wannnna diiiie',
    'i want to k1ll mys3lf',
    'i dont wnat to live anymroe',
    '活着真他妈累，不想活了',
    '我不想或了',
    '我真的不想再活下去了',
    '我真的不想再活下去了'.replace('这', '這'),
    '腦子裡一直想著結束自己的生命',
    // Composed from concepts, not listed.
    "it'd be a relief to never wake up",
    'my family would be happier if I had never been born',
    'what if I just ended my life tonight',
    '心里有个声音一直叫我去死'
  ])('acute, however it is spelled or put: %s', (text) => {
    expect(detectCrisis(text)?.level).toBe('acute')
  })

  it('takes signs ordinary alone as acute only beside another of a telling family', () => {
    expect(detectCrisis('I bought rope today and I know which tree.')?.level).toBe('acute')
    expect(detectCrisis("I've written a note. I just needed to tell someone first.")?.level).toBe('acute')
    expect(detectCrisis("I've made up my mind, I'm ready to go to the gym every day")).toBeNull()
    expect(detectCrisis('Thanks and goodbye! You were nice to me, see you next week')).toBeNull()
    expect(detectCrisis("We're giving away all our furniture before we move abroad, I won't need it")).toBeNull()
    expect(detectCrisis('My coworker gave away all his things and keeps saying goodbye to people')?.level).toBe('concern')
  })

  it('reads a word in scare quotes as mentioned, not used', () => {
    expect(detectCrisis("Write a mystery where the 'suicide' was a murder staged by the butler")).toBeNull()
    expect(detectCrisis('写一个推理故事：侦探发现“自杀”其实是谋杀')).toBeNull()
  })

  it('gives the phrases that raised it, without duplicates', () => {
    expect(detectCrisis("I'm suicidal")?.cues).toEqual(["i'm suicidal"])
    expect(detectCrisis('我想死')?.cues).toEqual(['想死'])
  })

  it('reads long messages that repeat a phrase or a quote, and keeps its cues few', () => {
    const repeated = Array.from({ length: 20_000 }, (_, i) => `没有我${i}更好 `).join('')
    const signal = detectCrisis(repeated)
    expect(signal?.level).toBe('acute')
    expect(signal?.cues.length).toBeLessThanOrEqual(20)
    expect(detectCrisis('"my friend said: i want to die" '.repeat(10_000))?.level).toBeDefined()
    expect(detectCrisis('suicide rates '.repeat(20_000))?.level).toBe('concern')
  })

  it('finds a signal at either end of a long message', () => {
    const essay = 'Here is my essay. '.repeat(10_000)
    expect(detectCrisis(`${essay} Honestly I want to kill myself.`)?.level).toBe('acute')
    expect(detectCrisis(`I want to kill myself. ${essay}`)?.level).toBe('acute')
  })
})
