import { describe, expect, it } from 'vitest'
import { extractName, findName } from '../../src/care/name.js'

describe('extractName', () => {
  it.each([
    ['hi, my name is Eric', 'Eric'],
    ['my name is eric', 'Eric'],
    ["My name's ROBERT", 'Robert'],
    ['You can call me Ishmael.', 'Ishmael'],
    ['call me eric', 'Eric'],
    ["I'm Eric, nice to meet you", 'Eric'],
    ['I am Eric from Boston', 'Eric'],
    ["Hi! I'm Mary-Jane and I need advice", 'Mary-Jane'],
    ["I'm McKay.", 'McKay'],
    ['我叫小明', '小明'],
    ['你好，我叫王小明。', '王小明'],
    ['我叫小明今年十岁', '小明'],
    ['叫我小明就好', '小明'],
    ['我的名字是李华', '李华'],
    ['我叫张和平', '张和平'],
    ['我是王芳。', '王芳'],
    ['我是小美', '小美'],
    ['我叫Eric，你好', 'Eric'],
    ['我是Eric', 'Eric']
  ])('%s → %s', (text, name) => {
    expect(extractName(text)).toBe(name)
  })

  it.each([
    "I'm tired",
    "I'm Tired.",
    "I'm not sure",
    "I'm Chinese",
    "I'm Sorry!",
    'I am Happy',
    'call me later',
    'call me when you can',
    'my name is not important',
    'I am a student',
    "I'm Python developer",
    '我是学生',
    '我是中国人',
    '我是说这个不对',
    '我是不是太敏感了',
    '我是小白',
    '我是老师',
    '我是张三的朋友',
    '我叫了外卖',
    '我叫他过来',
    '不要叫我小明',
    '你叫我什么？',
    'what is your name?'
  ])('no name: %s', (text) => {
    expect(extractName(text)).toBeUndefined()
  })

  it('takes the last introduction in a message', () => {
    expect(extractName("I'm Bob. Actually, call me Rob.")).toBe('Rob')
  })
})

describe('findName', () => {
  it('prefers the newest message that gives a name', () => {
    expect(findName(['my name is Eric', 'how are you?', 'please call me Rick', 'thanks'])).toBe('Rick')
  })

  it('finds nothing when no message gives a name', () => {
    expect(findName(["I'm tired", '我是学生'])).toBeUndefined()
    expect(findName([])).toBeUndefined()
  })
})
