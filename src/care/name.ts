/**
 * The name a person gives for themselves in conversation ("my name is Eric", "call me Eric",
 * "I'm Eric", 我叫小明, 叫我小明就好, 我是王芳), so a reply can use it. Errs towards finding none:
 * calling someone "Tired" ("I'm tired") or 学生 (我是学生) is worse than not using a name.
 */

// Introductions are short and come early in a message; a long paste is not read to its end.
const SCAN_CHARS = 500
const MAX_NAME_CHARS = 32

const LATIN_NAME = String.raw`[\p{L}][\p{L}'’-]*`
const CLAUSE_END = String.raw`(?=\s*(?:$|[.!?,;:，。！？；：~)]|\s(?:and|from|here|by the way|btw)\b))`

/** Strong lead-ins: the word after them is meant as a name, in any case. */
const STRONG_EN = new RegExp(String.raw`\bmy\s+name(?:'s|’s|\s+is)\s+(${LATIN_NAME})`, 'giu')
/** "call me later" is not a name: only a word that ends the clause. */
const CALL_ME_EN = new RegExp(String.raw`\bcall\s+me\s+(${LATIN_NAME})${CLAUSE_END}`, 'giu')
/** "I'm tired": only a capitalised word that ends the clause. */
const WEAK_EN = new RegExp(String.raw`\b[iI](?:['’][mM]|\s+[aA][mM])\s+(\p{Lu}[\p{L}'’-]*)${CLAUSE_END}`, 'gu')

// The words most often found where a name could be, lower case; capitalised by habit or by rule.
const NOT_NAMES = new Set([
  'a', 'an', 'the', 'not', 'no', 'so', 'very', 'just', 'really', 'still', 'also', 'now', 'here', 'there',
  'back', 'home', 'done', 'ready', 'sure', 'fine', 'ok', 'okay', 'alright', 'good', 'great', 'well',
  'sorry', 'glad', 'happy', 'sad', 'tired', 'afraid', 'scared', 'alone', 'lost', 'confused', 'stuck',
  'busy', 'bored', 'sick', 'hungry', 'new', 'old', 'single', 'married', 'late', 'early', 'fed', 'worried',
  'stressed', 'exhausted', 'depressed', 'anxious', 'lonely', 'curious', 'human', 'later', 'tomorrow',
  'anytime', 'maybe', 'again', 'please', 'crazy', 'whatever', 'tonight', 'today', 'soon', 'unknown',
  'secret', 'private', 'none', 'nobody', 'anonymous', 'feeling', 'going', 'trying', 'looking', 'working',
  'thinking', 'learning', 'studying', 'wondering', 'asking', 'using', 'writing', 'in', 'at', 'on',
  'from', 'with', 'like', 'about', 'gay', 'straight', 'vegan', 'vegetarian', 'atheist', 'bilingual',
  'american', 'british', 'english', 'chinese', 'japanese', 'korean', 'french', 'german', 'spanish',
  'italian', 'russian', 'indian', 'canadian', 'australian', 'mexican', 'brazilian', 'dutch', 'swedish',
  'polish', 'turkish', 'vietnamese', 'thai', 'filipino', 'indonesian', 'malaysian', 'singaporean',
  'taiwanese', 'asian', 'european', 'african', 'latino', 'latina', 'hispanic', 'arab', 'muslim',
  'jewish', 'catholic', 'buddhist', 'hindu', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday',
  'saturday', 'sunday'
])

// After a Chinese lead-in, the name is a short run of Han characters, or a Latin name ("我叫Eric").
const ZH_LEAD_STRONG = /(?:我的名字(?:是|叫)|我名字(?:是|叫)|我叫做?|(?<![别別不要])叫我)\s*/gu
const ZH_LEAD_WEAK = /我是\s*/gu
const HAN_RUN = /^\p{Script=Han}+/u
const LATIN_AFTER = new RegExp(String.raw`^(\p{Lu}[\p{L}'’-]*)${CLAUSE_END}`, 'u')
// What follows a name in a sentence: particles ("叫我小明就好"), or the sentence going on ("我叫小明今年十岁").
const ZH_TRAILING = /(?:就好|就行|就可以|好了|即可|吧|呀|啊|哦|喔|呢|嘛|啦|哈|了|的)+$/u
const ZH_NAME_STOP = /[的了呀啊哦喔呢吧嘛啦哈是在和跟与與从從也就今很都还還想要去来來但]/u
const ZH_PRONOUN = /^[我你您他她它妳]/u
const ZH_NOT_NAMES = new Set(['外卖', '外賣', '快递', '快遞', '救护车', '出租车', '醒', '起床', '名字', '什么', '什麼'])
// 我是 introduces far more than names (我是学生, 我是说): only a surname-led or 小/阿-led short name.
const ZH_SURNAMES = new Set(
  '王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖田董袁潘蒋蔣蔡余杜' +
  '叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范廖贾賈夏韦韋邹鄒孟熊秦邱江尹薛闫段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵' +
  '钱錢严嚴覃戴莫孔汤湯欧歐')
const ZH_WEAK_NOT_NAMES = new Set(['小白', '小孩', '小学生', '小學生', '阿姨', '老师', '老師', '老板', '老闆', '老人', '老婆', '老公', '老大', '小姐', '小子', '小编', '小編', '黄牛'])

/** The name in the newest message that gives one (the latest introduction wins); messages oldest first. */
export function findName (messages: readonly string[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const name = extractName(messages[i] as string)
    if (name !== undefined) return name
  }
  return undefined
}

/** The name a single message introduces, if any; the last introduction in it wins. */
export function extractName (text: string): string | undefined {
  const sample = text.slice(0, SCAN_CHARS)
  const found: Array<{ at: number, name: string }> = []
  const add = (at: number, name: string | undefined): void => {
    if (name !== undefined && name.length <= MAX_NAME_CHARS) found.push({ at, name })
  }

  for (const re of [STRONG_EN, CALL_ME_EN, WEAK_EN]) {
    for (const match of sample.matchAll(re)) add(match.index, latinName(match[1] as string))
  }
  for (const [re, weak] of [[ZH_LEAD_STRONG, false], [ZH_LEAD_WEAK, true]] as const) {
    for (const match of sample.matchAll(re)) {
      add(match.index, chineseName(sample.slice(match.index + match[0].length), weak))
    }
  }
  return found.sort((a, b) => a.at - b.at).at(-1)?.name
}

function latinName (word: string): string | undefined {
  const name = word.replace(/['’-]+$/u, '')
  if (name.length < 2 || NOT_NAMES.has(name.toLowerCase())) return undefined
  // "ERIC" or "eric" reads better as "Eric"; "McKay" and "DeShawn" keep their own capitals.
  const lower = name.toLowerCase()
  return name === lower || name === name.toUpperCase() ? lower.charAt(0).toUpperCase() + lower.slice(1) : name
}

function chineseName (after: string, weak: boolean): string | undefined {
  const latin = after.match(LATIN_AFTER)?.[1]
  if (latin !== undefined) return latinName(latin)

  const run = after.match(HAN_RUN)?.[0]
  if (run === undefined || ZH_PRONOUN.test(run) || ZH_NAME_STOP.test(run.charAt(0))) return undefined
  const whole = run.replace(ZH_TRAILING, '')
  let name = cutAtStop(whole)
  // 张和平: a short run is a whole name even with a "stop" character inside.
  if (name.length < 2 && whole.length <= 4) name = whole
  if (name.length < 2 || name.length > 4 || ZH_NOT_NAMES.has(name)) return undefined
  if (!weak) return name

  // 我是: the run must end the clause ("我是张三的朋友" introduces 张三's friend, not 张三).
  if (name !== whole || name.length > 3 || ZH_WEAK_NOT_NAMES.has(name)) return undefined
  const first = name.charAt(0)
  return ZH_SURNAMES.has(first) || first === '小' || first === '阿' ? name : undefined
}

function cutAtStop (run: string): string {
  const stop = run.slice(1).search(ZH_NAME_STOP)
  return stop < 0 ? run : run.slice(0, stop + 1)
}
