import { describe, expect, it } from 'vitest'
import { createTermCounter, termsOf, type TermCount } from '../../src/report/topics.js'

function topTerms (texts: string[], limit: number): TermCount[] {
  const counter = createTermCounter(Number.POSITIVE_INFINITY)
  for (const text of texts) counter.add(text)
  return counter.top(limit)
}

describe('termsOf', () => {
  it.each([
    ['I have been learning Python and TypeScript', ['learning', 'python', 'typescript']],
    ['我今天工作压力很大', ['工作', '压力', '很大']],
    ['学习Python很难', ['学习', 'python']],
    ["Don't forget Eric's birthday!", ['forget', 'eric', 'birthday']],
    ['It’s 3.14, 42 and 2024: numbers go', ['numbers']],
    ['a I x 的 我 了', []],
    ['GPT-4o vs. Claude', ['gpt', '4o', 'vs', 'claude']],
    ['請問這個問題怎麼解決', ['解決']]
  ])('%s', (text, terms) => {
    expect([...termsOf(text)]).toEqual(terms)
  })
})

describe('createTermCounter().top', () => {
  it('counts across texts, most frequent first, ties alphabetically', () => {
    expect(topTerms(['python tips', 'Python exam', '学习 python', 'exam results', '学习'], 4)).toEqual([
      { term: 'python', count: 3 },
      { term: 'exam', count: 2 },
      { term: '学习', count: 2 },
      { term: 'results', count: 1 }
    ])
  })

  it('is empty for no texts or only stop words', () => {
    expect(topTerms([], 10)).toEqual([])
    expect(topTerms(['thanks, please help', '谢谢你好'], 10)).toEqual([])
  })
})

describe('createTermCounter', () => {
  it('stops at its character budget', () => {
    const counter = createTermCounter(20)
    expect(counter.add('python python')).toBe(true) // 13 characters
    expect(counter.add('rust rust rust rust')).toBe(false) // only "rust ru" fits
    expect(counter.add('golang')).toBe(false)
    expect(counter.top(10)).toEqual([{ term: 'python', count: 2 }, { term: 'ru', count: 1 }, { term: 'rust', count: 1 }])
  })
})
