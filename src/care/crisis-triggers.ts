/**
 * The words most crisis phrases (crisis-lexicon.ts, crisis-concepts-*.ts, crisis-signs.ts) are
 * built on, found in one fast pass so that a long message is read in full only around them
 * (message-ends.ts). A phrase without any of them (an
 * indirect one: "giving away my things", 再见了) is still read in a message's first and last 8,000
 * characters. test/care/crisis-long.test.ts puts the labelled set in the middle of a long paste and
 * says how much of it is still found there.
 */

// English: one regular expression of plain words, which V8 scans at memory speed.
const ENGLISH = /\b(?:(?:my|him|her|them|your|it)?sel(?:f|ves)|suicid|suicde|sucid|suisid|su1c1de|suicied|sewerslide|kil|kms|ctb|zs\b|die|died|dies|dying|dead|death|alive|unalive|un-alive|burden|goodbye|farewell|overdos|od\b|pills|noose|rope|wrists?|exist|live|living|life|wake|gone|funeral|never\s+born|bottle|survive|jump|disappear|vanish|debts|which\s+tree|better\s+off|without\s+me|than\s+with\s+me|here\s+any\s?more|much\s+longer|in\s+the\s+picture|if\s+i\s+(?:just\s+)?(?:wasn|weren|was|were|didn|did)\b|end(?:ing)?\s+(?:it|things|everything)|(?:it|everything|this|pain)\s+(?:all\s+)?to\s+(?:end|stop)|giv(?:e|ing)\s+away|gave\s+(?:away|my)|won.?t\s+(?:be\s+)?need|tonight.?s\s+the\s+night|everything\s+ready|before\s+i\s+go|my\s+(?:will|last|peace)|carry\s+on|to\s+cut|cut\s+deep|waste\s+of|note|bridge|train\s+times|express|last\s+thing|asleep|forever|for\s+good|christmas|tell\s+my|fence|waking|rest\s+for|bleed|pill|drive\s+my\s+car|the\s+day|scared\s+any|around\s+next|future|worry\s+about\s+me|a\s+date|do\s+it|someone\s+to\s+know|tell\s+someone)/gi

// Chinese: a long alternation of Han words is slow in V8 (its fast pre-check hashes characters into
// 128 buckets, and Han characters collide), so a table of first characters is read by hand and only
// there is the word itself checked.
const CHINESE_WORDS = [
  '[死杀殺残殘割划劃药藥]', '自[杀殺残殘尽盡刎鲨]', '紫砂', '不想(?:再)?活', '活不下', '活[着著够夠]', '[轻輕]生', '上吊',
  '[烧燒]炭', '服毒', '[累拖][赘贅]', '拖累', '[遗遺][书書言产產]', '留了信', '[负負][担擔]', '消失', '安眠', '安排好了',
  '跳[楼樓河海桥橋下]', '[结結]束', '不想(?:再)?存在', '醒[来來不]', '睡[着著下过過]', '一了百了', '[离離][开開][这這]个世界',
  '[没沒][有了]我', '我(?:走了|要走了|不在了|[离離][开開]了)', '永[别別远遠]', '最[后後]一', '送人', '托付', '[转轉][给給]',
  '用不[到上着著]', '再[见見]了', '不[会會]?回[来來]', '再也不回', '不[会會]再[来來]', '先走了', '[楼樓天顶頂窗][顶頂台臺楼樓]',
  '[伤傷]害自己', '信', '末班', '寄了', '密[码碼]', '[撑撐]不到', '[过過]年', '[对對]不起', '醒[过過]', '日子', '操心', '多少片', '活不[过過]', '麻[烦煩]你',
  '世界', '或了', '[护護][栏欄]', '葬[礼禮]', '活到', '[卧臥][轨軌]', '不存在', '告[别別]', '[冲衝]下', '不害怕', '痛苦', '了[结結]', '[绳繩]子'
]
const CHINESE = new RegExp(CHINESE_WORDS.join('|'), 'y')
/** The characters a Chinese trigger word can begin with: a word's first character, or its first class. */
const CHINESE_FIRST = new Uint8Array(0x10000)
for (const word of CHINESE_WORDS) {
  for (const char of word.startsWith('[') ? word.slice(1, word.indexOf(']')) : word.slice(0, 1)) CHINESE_FIRST[char.charCodeAt(0)] = 1
}

/** Where trigger words start in `text` between `from` and `to`, in order (at most `max` of them). */
export function findCrisisTriggers (text: string, from: number, to: number, max: number): number[] {
  const english: number[] = []
  ENGLISH.lastIndex = from
  for (let hit = ENGLISH.exec(text); hit !== null && hit.index < to && english.length < max; hit = ENGLISH.exec(text)) english.push(hit.index)
  ENGLISH.lastIndex = 0
  const found: number[] = []
  let e = 0
  for (let i = from; i < to && found.length < max; i++) {
    if (CHINESE_FIRST[text.charCodeAt(i)] !== 1) continue
    CHINESE.lastIndex = i
    if (!CHINESE.test(text)) continue
    while (e < english.length && (english[e] as number) < i) found.push(english[e++] as number)
    found.push(i)
  }
  while (e < english.length && found.length < max) found.push(english[e++] as number)
  return found
}
