import type { CrisisPattern, SignFamily } from './crisis-lexicon.js'

/**
 * Signs that are ordinary alone and telling together: "I've written a note" (to a roommate?),
 * "I looked up the train times", 送人了 (before a move?). Each belongs to a family; crisis.ts takes
 * them as acute only beside a sign of another family (a plan beside a means, a farewell beside
 * putting affairs in order), beside a second sign of a telling family (a rope and "which tree"), or
 * beside another crisis phrase. Resolve and farewell are weak: together or twice they are any plan
 * or the end of any chat ("I've made up my mind … I'm ready to go", "thanks and goodbye, you were kind").
 * Written on normalised text (crisis-normalize.ts): lower case, simplified Chinese.
 */
const FAMILIES: Record<SignFamily, { en: RegExp, zh: RegExp }> = {
  // Resolve, readiness, a date: ordinary words for any plan.
  resolve: {
    en: /\b(?:set|setting)\s+everything\s+up\b|\beverything\s+is\s+(?:set|ready|arranged|sorted|in\s+place)\b|\b(?:sorted|arranged|organi[sz]ed)\s+everything\b|\btied\s+up\s+(?:all\s+)?(?:the\s+)?loose\s+ends\b|\btonight(?:'s|\s+is)\s+the\s+night\b|\b(?:have|got)\s+everything\s+(?:ready|set|prepared|sorted|planned)\b|\bready\s+to\s+go\b|\bhave\s+a\s+plan\b|\b(?:i'm|i\s+am)\s+(?:sure|certain)\s+(?:of\s+(?:it|that)\s+)?now\b|\b(?:i've|i\s+have)\s+made\s+up\s+my\s+mind\b|\bmy\s+mind\s+is\s+made\s+up\b|\b(?:i've|i\s+have)\s+made\s+my\s+decision\b|\b(?:i've|i\s+have)\s+(?:accepted|decided)(?:\s+(?:that|it))?(?=[^\S\n]*(?:[.!?\n]|$))|\b(?:picked|set|chosen|chose|have|got)\s+(?:a|the)\s+date\b(?!\s+(?:for|with|to|of))|\bgoing\s+back\s+(?:there\s+)?tonight\b|\beverything(?:'s|\s+is)\s+in\s+order\b|\bthink\s+about\s+it\s+(?:every\s+(?:day|night)|all\s+the\s+time|constantly)\b|\b(?:keep|kept|can't\s+stop)\s+thinking\s+about\s+it\b|\b(?:today|tonight)\s+is\s+the\s+(?:day|night)\b|\bit's\s+time(?=[^\S\n]*(?:[.!?\n]|$))/g,
    zh: /准备好了|都准备好|都安排好了|就今晚|今晚就|(?:这次|今晚|今天)(?:真的)?(?:要|就)?(?:做了|动手)|我很确定|(?:已经)?做好(?:了)?决定|日子.{0,6}定好了|(?:定|选)好了日子|今晚再去|就是(?:今天|今晚|现在)了|时候到了|一直(?:在)?想着?它/g
  },
  // A means at hand or a way chosen.
  means: {
    en: /\b(?:have|got|bought|collected|saved|holding)\s+(?:(?:a|the|my|some|enough)\s+)?(?:bottle|stash|box|rope|gun|razor|blade|charcoal|pills|tablets|meds)\b(?!\s+(?:for|of\s+(?:wine|water|milk|juice|shampoo))\b)|\bwhich\s+(?:tree|bridge|building|beam)(?=[^\S\n]*(?:[.!?,;\n]|$|to\s+use|i'll|i\s+will|i'm))|\b(?:car|engine)\s+(?:running\s+)?in\s+the\s+garage\b|\b(?:take|swallow)\s+(?:them\s+all|all\s+of\s+them)\b|\b(?:have|got|and|with|took|take|swallow|swallowed|collected|saved)\s+all\s+(?:of\s+)?my\s+(?:antidepressants|pills|meds|sleeping\s+pills|medication|tablets|painkillers)\b(?!\s+(?:sorted|organi[sz]ed|in\s+a|in\s+my\s+(?:bag|case)|for\s+the\s+(?:week|trip)))|\b(?:train|express|freight)\s+(?:that\s+)?(?:doesn't|does\s+not|won't)\s+stop\b|\b(?:\d+|all|enough|a\s+handful\s+of)\s+(?:pills|tablets|meds|sleeping\s+pills)\s+(?:are\s+)?(?:ready|in\s+front\s+of\s+me|in\s+my\s+hand|on\s+the\s+(?:table|desk|bed)|lined\s+up)\b|\b(?:pills|tablets|meds)\s+(?:are\s+)?(?:ready|in\s+front\s+of\s+me|lined\s+up|on\s+the\s+table)\b|\b(?:standing|sitting)\s+(?:on|at)\s+(?:the|a)\s+(?:bridge|ledge|roof|rooftop|edge|railing|tracks|cliff)\b|\b(?:keep|kept|been)\s+(?:looking|staring)\s+at\s+(?:the|my|a)\s+(?:knife|blade|razor|pills|rope|gun|bridge|window|tracks)\b|\b(?:no|without\s+a|without\s+any)\s+(?:fence|railing|barrier|net)\b|\b(?:a|the|my)\s+(?:rope|noose|gun|knife|blade|razor|pills)\s+in\s+my\s+(?:closet|room|drawer|car|bag|wardrobe|desk)\b|\b(?:i'll|i\s+will|going\s+to|i'm\s+going\s+to)\s+(?:try|do)\s+(?:it\s+)?again(?=[^\S\n]*(?:[.!?,;\n]|$|tonight|soon))|\b(?:finally|going\s+to|will)\s+do\s+it\s+(?:tonight|today|soon|this\s+time|for\s+real)\b|\bi\s+finally\s+do\s+it\b/g,
    zh: /(?:车|火车|地铁|高铁).{0,6}不.{0,4}停|(?:\d+|[一二三四五六七八九十百几]+|一堆)片.{0,6}(?:在|放在)?(?:我)?(?:面前|手里|桌上)|药.{0,6}(?:数好|摆好|倒出来|放在桌上)|站在(?:桥上|桥边|江边|河边|海边|铁轨|轨道|楼顶|天台|窗台)|刀.{0,4}(?:在手边|在手里|准备好)|刀片.{0,6}(?:拿出来|准备好|在手)|(?:没有|没)(?:护栏|栏杆)|今晚用|(?:衣柜|房间|抽屉|包|车|床底)里有(?:根|把|瓶|一瓶|一根|一把)?(?:绳子|刀|药|安眠药|炭)|我知道(?:该)?怎么做/g
  },
  // Finding out how: times, heights, doses.
  research: {
    en: /\b(?:looked\s+up|checked|researched|googled|found\s+out|worked\s+out)\s+(?:the\s+)?(?:train\s+(?:times|schedule|timetable)|how\s+(?:high|tall|deep|many|much)|which\s+bridge|the\s+dose|lethal\s+dose|the\s+height)\b|\b(?:hurt|painful|hurts)\s+to\s+die\b|\bdoes\s+it\s+hurt\s+(?:to|when\s+you)\s+(?:die|drown|hang|jump|bleed)\b|\b(?:how|when|where)\s+(?:i'd|i\s+would|i'll|i\s+will|i\s+should|i\s+could|i'm\s+going\s+to)\s+do\s+it\b|\b(?:insurance|policy)\s+(?:[a-z]+\s+){0,3}?(?:covers|pays\s+(?:out\s+)?(?:for|on))\s+suicide\b/g,
    zh: /查好了|查了.{0,6}(?:时间|高度|剂量|几楼)|末班车/g
  },
  // Words for after: a note, not coming back, they will understand.
  finality: {
    en: /\b(?:wrote|written|writing|left)\s+(?:a|the|my)\s+(?:note|letters?)(?=[^\S\n]*(?:[.!?,;\n]|$|and\b)|\s+(?:for|to)\s+(?:my\s+(?:parents|mom|mum|dad|family|kids|children|wife|husband|sister|brother|partner|daughter|son)|everyone))|\b(?:doesn't|don't|won't)\s+know\s+why\s+yet\b|\bnobody\s+knows\s+yet\b|\bneeded\s+to\s+tell\s+someone\s+first\b|\bbefore\s+i\s+go(?=[^\S\n]*(?:[.!?,;\n]|$))|\b(?:go\s+)?be\s+with\s+(?:my\s+)?(?:mom|mum|dad|grandma|grandpa|brother|sister|son|daughter|wife|husband)\b(?=[^\S\n]*(?:[.!?,;\n]|$|again|in\s+heaven))|\bwant(?:ed)?\s+someone\s+to\s+know\b|\b(?:not|never)\s+coming\s+back\b|\bwon't\s+(?:be\s+)?com(?:e|ing)\s+back\b|\b(?:she'll|he'll|they'll|you'll|she\s+will|he\s+will|they\s+will)\s+understand\s+(?:one\s+day|someday|when|why|later)\b|\b(?:it'll|it\s+will|everything\s+will)\s+(?:all\s+)?be\s+over\s+soon\b|\b(?:won't|will\s+not)\s+need\s+(?:much\s+)?(?:more\s+)?time\b|\b(?:won't|will\s+not)\s+(?:be\s+)?need(?:ing)?\s+(?:it|them|anything|any\s+of\s+(?:it|them))\b|\bmade\s+my\s+peace\b|\b(?:i'm|i\s+am)\s+checking\s+out(?=[^\S\n]*(?:[.!?\n]|$))|\bwithout\s+(?:them|anyone|anybody|her|him)\s+knowing\b|\b(?:not|no\s+longer)\s+(?:scared|afraid)\s+(?:anymore|of\s+(?:it|dying|death))\b|\b(?:i'm|i\s+am)\s+(?:ok|okay|fine|at\s+peace)\s+with\s+(?:that|it|dying|not\s+waking\s+up)\b|\b(?:won't|will\s+not)\s+(?:bother|trouble|burden)\s+you\s+(?:anymore|again|any\s+longer)\b|\bmake\s+sure\s+i\s+(?:don't|won't|never)\b|\b(?:don't\s+think|doubt)\s+i'll\s+be\s+(?:around|here|alive)\b|\b(?:won't|will\s+not)\s+be\s+(?:around|here)\s+(?:next\s+(?:week|month)|tomorrow)\b/g,
    zh: /后事|以后(?:也)?用不[到上着]了?|永远不会回来|再也不回来|不(?:会)?再?回来了|(?:以后|再也)不会再来了|(?:写好了|留了|写了).{0,8}(?:信|遗书)|留了信|还不知道为什么|(?:长大了?|以后|总有一天)(?:就)?会(?:明白|理解|懂)|(?:就这样|一切都?)结束吧|(?:悄悄|偷偷)地?.{0,8}(?:告别|道别|安排)|等我不在了|(?:让人|有人)知道我(?:来过|存在过|努力过)|在我走之前|去(?:找|陪|见)(?:我)?(?:妈|爸|奶奶|爷爷|外婆|外公)(?:妈|爸)?了|没有(?:她|他)我(?:也)?不想|我不在(?:了)?以后|我走了以后|我死后|想对.{0,6}说的话.{0,4}写(?:下来|好)了|(?:已经)?不(?:害怕|怕)了|以后(?:就)?不(?:再)?麻烦你了/g
  },
  // Things given away, affairs handed over.
  giving: {
    en: /\b(?:giv(?:e|ing)|gave)\s+away\s+(?:all\s+)?(?:my|everything|of\s+my)\b|\bgave\s+my\s+\w+\s+to\b|\btold\s+(?:her|him|them|my\s+\w+)\s+where\s+(?:the|my)\s+(?:important\s+)?(?:documents|papers|passwords|will|keys|insurance|money|accounts)\b|\bgave\s+(?:\w+\s+){0,2}my\s+(?:bank\s+card|pin|passwords?|savings|bank\s+details|car\s+keys)\b|\b(?:writing|wrote|written|updated|made)\s+my\s+will\b|\bpaid\s+off\s+(?:all\s+)?my\s+debts\b/g,
    zh: /托付|送人了|转给|都交代好了|交代|遗产|密码告诉|告诉.{0,6}密码|(?:重要|所有)的?(?:文件|证件|东西)放在哪|(?:遗产|存款|东西|财产).{0,4}(?:分配|分)好了/g
  },
  // No way forward.
  hopeless: {
    en: /\bno\s+future\s+(?:for\s+me|left)\b|\b(?:i\s+have|i've\s+got|there's)\s+no\s+future\b|\b(?:no|lost\s+all)\s+hope\s+left\b|\bnothing\s+left\s+(?:for\s+me|to\s+live\s+for)\b|\blife\s+is\s+(?:meaningless|pointless|worthless|hopeless|empty)\b(?!\s+without)|\b(?:it|things|life)\s+(?:doesn't|does\s+not|won't|will\s+never|never)\s+gets?\s+better\b|\b(?:tired|sick)\s+of\s+fighting\b|\bdon't\s+want\s+to\s+be\s+here\s+without\s+(?:her|him|them)\b|\bi\s+give\s+up(?:\s+on\s+(?:everything|myself))?(?=[^\S\n]*(?:[.!?,\n]|$))|\bwhat's\s+the\s+point\s+(?:of|in)\s+(?:living|waking\s+up|going\s+on|being\s+alive|trying|anything)\b/g,
    zh: /(?:不会|没法|永远不会)好起来|好不起来|没有未来|看不到(?:希望|未来)|没有希望|绝望|醒来.{0,2}有什么意义|活着(?:太|好|真|很)?累|活得(?:太|好)?累/g
  },
  // One's absence as a relief.
  burden: {
    en: /\bmy\s+existence\s+(?:is|causes|brings|does)\s+(?:a\s+burden|more\s+harm|nothing\s+but|only)\b|\b(?:i'll|i\s+will|i'm\s+going\s+to|going\s+to)\s+(?:fix|solve|sort|take\s+care\s+of)\s+(?:that|it|this)\s+(?:soon|tonight|for\s+good)\b|\b(?:nobody|no\s+one)\s+needs\s+me\b|\b(?:nobody|no\s+one|you|they|everyone)\s+(?:has|have|will\s+have|need|needs|won't\s+have|won't\s+need)\s+to\s+worry\s+about\s+me\s+(?:anymore|again|any\s+longer)\b/g,
    zh: /我的存在只会.{0,6}(?:伤害|麻烦|痛苦|负担)|(?:谁都|都|再也)?不用再?(?:管|操心|担心)我|(?:不用|不必)再?为我(?:操心|担心)|再也不用(?:为我)?(?:操心|担心)/g
  },
  // Goodbyes and thanks, as at the end of any chat.
  farewell: {
    en: /\bsaid\s+(?:my\s+)?goodbyes\b|\bsaying\s+goodbye\s+to\s+(?:people|everyone|my\s+friends|my\s+family)\b|\b(?:thank\s+you|thanks)(?:\s+for\s+everything)?\s+and\s+goodbye\b|\bgoodbye\s+and\s+thank\s+you\b|\byou\s+were\s+(?:always\s+)?(?:kind|good|nice|there\s+for)\s+(?:to\s+)?me\b|\bthank\s+you\s+for\s+(?:always\s+)?being\s+(?:kind|there|nice)\b/g,
    zh: /再见了|先走了|我要走了|(?:跟|和|向).{0,6}(?:人|朋友|家人|大家|所有人|每个人)们?.{0,2}(?:道别|告别|说再见)|谢谢你.{0,4}陪(?:着)?我/g
  }
}

export const SIGNS: readonly CrisisPattern[] = Object.entries(FAMILIES).flatMap(([family, { en, zh }]) => [
  { re: en, level: 'acute' as const, beside: family as SignFamily },
  { re: zh, level: 'acute' as const, beside: family as SignFamily }
])
