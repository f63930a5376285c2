/**
 * The phrases `detectCrisis` looks for, beside the composed signs of crisis-concepts-*.ts. They run
 * on text normalised by `normalizeCrisisText` (lower case, simplified Chinese, typos and slang
 * spelled out, filler words left out).
 * `self`: the phrase itself names the speaker ("kill myself", 我是个累赘), so who the sentence is
 * about need not be worked out; otherwise a third-person subject ("he wants to die", 我朋友想自杀)
 * makes it a concern.
 */
export type SignFamily = 'resolve' | 'means' | 'research' | 'finality' | 'giving' | 'hopeless' | 'burden' | 'farewell'

export interface CrisisPattern {
  re: RegExp
  level: 'acute' | 'concern'
  self?: boolean
  /** A sign ordinary alone (crisis-signs.ts): acute only beside a sign of another family or another phrase. */
  beside?: SignFamily
}

const INTENT = String.raw`(?:want|wants|wanted|wanting|going|urge|urges|thinking about|thinking of|think about|planning|plan|tempted|started|been|keep|kept|can't stop|need|feel like)`
/** "rather die than …" is hyperbole unless what it is weighed against is living on: "than keep feeling like this", not "than eat pineapple pizza". */
/** "my last message before I log off", 今晚下线前最后一条消息: the last of the day, not of a life. */
export const EN_NOT_ROUTINE = String.raw`(?!\s+(?:before\s+(?:i\s+)?(?:log|go\s+to\s+(?:bed|sleep)|sign|head|leave|go\s+offline|the\s+weekend|my\s+(?:trip|holiday|vacation|flight))|for\s+(?:today|tonight|now|the\s+(?:day|night|week|weekend))|of\s+the\s+(?:day|night|week)|today|tonight|until|till))`
export const ZH_NOT_ROUTINE = '(?<!(?:今晚|今天|下线前|睡前|下班前|走之前|出发前|放假前|发的|发给.{0,6}的|回的|收到的).{0,6})'
export const NOT_TRIVIAL = String.raw`(?!\s+than\s+(?!(?:live|living|keep|go\s+on|going\s+on|continue|feel|feeling|be\s+(?:alive|here|like)|being|wake|face|go\s+back|spend\s+another|suffer|endure|deal\s+with|stay|another)\b))`
// "die my hair": the dye/die mix-up.
const NOT_DYE = String.raw`(?!\s+(?:my|your|his|her|their|the)\s+(?:hair|beard|eyebrows|clothes|shirt|jeans|shoes|fabric|wool|yarn))`
const WITHOUT_ME = String.raw`if\s+i\s+(?:just\s+)?(?:wasn't|weren't|was not|were not)\s+(?:here|around|alive|there|in\s+the\s+picture|in\s+their\s+lives)|if\s+i\s+(?:was|were)\s+(?:gone|dead|not here|not around)|if\s+i\s+(?:didn't|did not)\s+exist|if\s+i\s+(?:just\s+)?(?:died|disappeared|vanished)`
// "tired of living in this city": a place or a way of living, not life.
const NOT_PLACE = String.raw`(?!\s+(?:admin|stuff|chores|insurance|coach|coaching|lessons|skills|hacks|in|at|on|near|here|there|out|off|paycheck|abroad|alone|together|next|under))`
const SUICIDE_TERMS = String.raw`(?!\s+(?:squad|doors?|squeeze|burn|bomb|bombers?|bombings?|attacks?|missions?|run|king)\b)`

export const ENGLISH: readonly CrisisPattern[] = [
  { re: /\b(?:kill|kills|killing|killed|hang|hanging|shoot|shooting|drown|drowning|off|offing|poison|poisoning)\s+myself\b/g, level: 'acute', self: true },
  { re: /\b(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life\b/g, level: 'acute', self: true },
  { re: new RegExp(String.raw`\b${INTENT}\s+(?:to\s+)?(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|starve|starving)\s+myself\b`, 'g'), level: 'acute', self: true },
  { re: /\bi(?:'ve|\s+have)?\s+(?:been\s+)?self[-\s]?harm(?:ing)?\b/g, level: 'acute', self: true },
  { re: /\b(?:slit|slitting|cut|cutting)\s+my\s+wrists?\b/g, level: 'acute', self: true },
  { re: /\bmy\s+(?:suicide|goodbye)\s+(?:note|letter)\b|\b(?:writing|wrote|written|write)\s+(?:a\s+|my\s+)?(?:suicide|goodbye)\s+(?:notes?|letters?)\b/g, level: 'acute', self: true },
  { re: new RegExp(String.raw`(?<!\b(?:makes?|made|making)\s+me\s+)\b(?:want|wants|wanted|wanting|wish|wishing|ready|deserve|deserves|need)\s+to\s+die\b${NOT_DYE}(?!\s+(?:less|more|so\s+(?:much|often)|every\s+time|of|from|laughing|inside|a\s+little))`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`\b(?:should|might\s+as\s+well)\s+(?:just\s+)?die\b${NOT_DYE}|\brather\s+(?:be\s+dead|die)\b${NOT_TRIVIAL}|\bhope\s+i\s+die\b`, 'g'), level: 'acute' },
  { re: /\bwish\s+i\s+(?:was|were|could\s+be)\s+(?:dead|never\s+born|gone\s+forever)\b|\bbetter\s+off\s+dead\b/g, level: 'acute' },
  { re: /\b(?:don't|do not|no longer)\s+want\s+to\s+(?:live|be alive|exist|be here anymore|wake up)\b/g, level: 'acute' },
  { re: new RegExp(String.raw`\btired\s+of\s+(?:being\s+alive|living|life|existing)\b${NOT_PLACE}|\bdone\s+with\s+(?:life|living|being\s+alive|existing)\b${NOT_PLACE}`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`\b(?:no|not any|isn't any|there's no)\s+(?:point|reason)\s+(?:in\s+|to\s+|for\s+me\s+to\s+)?(?:living|live|keep\s+living|go\s+on|going\s+on|carry\s+on|keep\s+going|being\s+alive|exist|existing|stay\s+alive)\b${NOT_PLACE}`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`\b(?:not|isn't|is not|ain't)\s+worth\s+living\b|\bcan't\s+(?:go\s+on|keep)\s+living\b${NOT_PLACE}`, 'g'), level: 'acute' },
  { re: /\bstop\s+existing\b|\bcease\s+to\s+exist\b|\b(?:want\s+to|wish\s+i\s+could|i\s+could|going\s+to|i'll|i\s+will)\s+(?:just\s+)?disappear\s+(?:forever|permanently|for\s+good)\b(?!\s+(?:from|off))|\b(?:want|wish)\s+(?:i\s+could\s+|to\s+)?(?:just\s+)?(?:go\s+to\s+)?sleep\s+forever\b(?!\s+(?:after|on|at|in|this|every|when|until|till))/g, level: 'acute' },
  { re: /\b(?:hope|wish|pray|want|and|to)\s+(?:i\s+)?(?:could\s+|would\s+|will\s+)?(?:never|not|don't|won't)\s+(?:to\s+)?wake\s+up\b(?!\s+(?:the|him|her|them|your|my|his|early|late|before|until|till|in\s+time|anyone|this|that|so|at))/g, level: 'acute' },
  { re: /\bend(?:ing)?\s+it\s+all\b|\b(?:end|ending)\s+(?:it|things|everything)\s+(?:tonight|today|now|soon|for\s+good|forever|this\s+week(?:end)?)\b|\bend\s+it\s+(?:all\s+)?tonight\b/g, level: 'acute' },
  { re: /\b(?:want|need)\s+(?:it|everything|this|the\s+pain)\s+(?:all\s+)?to\s+(?:end|stop)\b(?!\s+(?:soon|already|early|on\s+time))/g, level: 'acute' },
  { re: /\b(?:don't|not|won't)\s+survive\s+the\s+fall\b|\bcan't\s+do\s+(?:life|this\s+life|living)\b/g, level: 'acute', self: true },
  { re: /\b(?:easier|better)\s+(?:to\s+be|being)\s+dead\b|\bwhy\s+am\s+i\s+(?:still\s+)?alive\b|\bstop\s+(?:living|being\s+alive)\b|\b(?:to|actually|just)\s+not\s+exist\b/g, level: 'acute' },
  { re: /\bonly\s+(?:way\s+out|option|solution|answer)\b[^.!?]{0,20}\b(?:die|death|dead|suicide|kill\s+myself|end\s+it)\b|\b(?:least\s+painful|painless|quickest|easiest|fastest)\s+way\s+to\s+(?:die|end\s+it|kill\s+myself|go)\b/g, level: 'acute' },
  { re: /\b(?:already\s+)?(?:took|swallowed|taken)\s+(?:a\s+bunch\s+of|all\s+(?:of\s+)?(?:my|the)|the\s+whole\s+bottle\s+of|a\s+whole\s+bottle\s+of)\s+(?:my\s+)?(?:sleeping\s+)?(?:pills|tablets|meds|painkillers)\b|\bswallow(?:ing)?\s+(?:the\s+whole\s+bottle|all\s+(?:the|my)\s+pills)\b/g, level: 'acute' },
  { re: /\b(?:hoard|hoarding|hoarded|stockpil\w+|sav(?:e|ed|ing)\s+up|collect(?:ed|ing)?)\s+(?:my\s+|all\s+my\s+|the\s+)?(?:sleeping\s+)?(?:pills|meds|medication|tablets)\b|\b(?:tied|tie|tying|made)\s+(?:a|the)\s+noose\b/g, level: 'acute' },
  { re: /\bwant\s+to\s+cut\b(?!\s+(?:my\s+hair|the|a|it|down|back|costs|ties|out|in|off|class))|\bcut\s+(?:myself\s+)?deep(?:er)?\b|\bcut\s+myself\s+again\b/g, level: 'acute', self: true },
  { re: /\b(?:after|when)\s+i'm\s+gone\b(?!\s+(?:for|on|to|at|this|next|tomorrow))|\bmy\s+last\s+(?:night|day)(?:\s+(?:alive|on\s+earth))?(?=\s*[.!,]|\s*$)/g, level: 'acute', self: true },
  { re: /\b(?:i'm|i am|feel|feeling|felt|been|getting)\s+(?:so\s+|really\s+|very\s+|kind\s+of\s+|a\s+bit\s+|pretty\s+)?suicidal\b|\bsuicidal\s+(?:af|again|tonight|rn|right\s+now)\b/g, level: 'acute' },
  { re: /\b(?:have|had|having|get|getting|my)\s+(?:suicidal\s+(?:thoughts|urges|feelings)|thoughts\s+of\s+(?:suicide|killing\s+myself|ending\s+my\s+life))\b|\bsuicidal\s+(?:thoughts|urges)\s+(?:won't|keep|are|have\s+been)\b/g, level: 'acute' },
  { re: new RegExp(String.raw`\b(?:thinking|think|thought)\s+(?:about|of)\s+(?:suicide|ending\s+it|dying)\b${NOT_DYE}|\bi(?:'m|\s+am)?\b[^.!?]{0,30}\bcommit(?:ting)?\s+suicide\b|\bctb\b`, 'g'), level: 'acute' },
  { re: /\b(?:i'm|i am|i feel like|feel like|i've become)\s+(?:just\s+|only\s+|nothing\s+but\s+|such\s+|a\s+|huge\s+)*burden\b/g, level: 'acute', self: true },
  { re: /\bbeing\s+(?:such\s+)?a\s+burden\b/g, level: 'acute' },
  { re: new RegExp(String.raw`\bbetter\s+off\s+without\s+(?:someone\s+like\s+|people\s+like\s+)?me\b|\bbetter\s+off\b[^.!?]{0,40}\bthan\s+with\s+me\b|\b(?:happier|better\s+off|relieved|better|easier|fine)(?:,\s*|\s+)(?:${WITHOUT_ME})\b`, 'g'), level: 'acute', self: true },
  { re: /\b(?:nobody|no\s+one|no-one)\s+(?:would|will)\s+(?:even\s+)?(?:care|notice|miss\s+me)\s+(?:if|when)\s+i(?:'m)?\s+(?:died|die|was\s+gone|gone|disappeared)\b|\bmiss\s+me\s+when\s+i'm\s+gone\b/g, level: 'acute', self: true },
  { re: new RegExp(String.raw`\bthis\s+is\s+(?:my\s+)?(?:goodbye|good\s+bye|farewell)\b(?!\s+to\s+(?:my|the|our|this|that)\b)|\bthis\s+(?:is|will\s+be)\s+my\s+last\s+(?:message|post|text)\b${EN_NOT_ROUTINE}|\bgoodbye\s+(?:forever|world|cruel\s+world)\b`, 'g'), level: 'acute', self: true },
  { re: /\bgoodbye\s+before\s+i\s+go\b|\bbefore\s+i\s+go\s+(?:tonight|for\s+good|forever)\b|\bby\s+the\s+time\s+(?:you|anyone|someone|they)\s+(?:read|reads|see|sees|find|finds)\s+this\b/g, level: 'acute', self: true },
  { re: /\b(?:won't|will not)\s+be\s+(?:around|here|alive)\s+(?:much\s+longer|for\s+(?:much|long))\b|\bnot\s+going\s+to\s+be\s+(?:around|here|alive)\s+(?:much\s+longer|for\s+(?:much|long))\b|\b(?:put|putting|got|getting)\s+my\s+affairs\s+in\s+order\b/g, level: 'acute', self: true },
  { re: /\bstanding\s+on\s+(?:the|a)\s+(?:ledge|edge\s+of\s+the\s+(?:roof|bridge|building))\b|(?<!bungee\s)\bjump(?:ing)?\s+(?:off|from|in\s+front\s+of)\s+(?:a|the|my)\s+(?:next\s+)?(?:bridge|roof|building|train|balcony|cliff|ledge|window|bus|truck|tower|car|\w+\s+floor)\b/g, level: 'acute' },
  { re: /\bhow\s+(?:much|many)\b[^.?!]{0,60}\b(?:would\s+i|do\s+i|should\s+i|does\s+it\s+take|would\s+it\s+take)\b[^.?!]{0,30}\bto\s+(?:die|kill\s+me|not\s+wake\s+up|never\s+wake\s+up|end\s+it)\b/g, level: 'acute' },
  { re: /\b(?:going|want|planning|plan|ready)\s+to\s+(?:overdose|od)\b|\btake\s+all\s+(?:of\s+)?(?:my|the|these|those)\s+(?:pills|meds|medication|tablets|sleeping\s+pills)\b/g, level: 'acute' },

  { re: /\b(?:want|going|planning|plan|ready|about)\s+to\s+commit\s+suicide\b|\bend\s+myself\b|\bwant\s+to\s+be\s+dead\b|\bwish\s+i(?:\s+had|'d)\s+never\s+been\s+born\b/g, level: 'acute', self: true },
  { re: /\bgiv(?:e|ing)\s+up\s+on\s+(?:life|living)\b|\bno\s+(?:will|desire|reason)\s+to\s+live\b/g, level: 'acute' },
  { re: /\b(?:walk|step)\s+(?:out\s+)?into\s+traffic\b|\bdrive\s+(?:my\s+car\s+)?(?:into|off)\s+(?:a|the)\s+(?:tree|wall|cliff|bridge|river|lake)\b/g, level: 'acute' },

  { re: new RegExp(String.raw`\bsuicid(?:e|es|al|ality)\b${SUICIDE_TERMS}`, 'g'), level: 'concern' },
  { re: /\bself[-\s]?harm(?:ing|s|ed)?\b|\b(?:cuts?|cutting|hurts?|harms?)\s+(?:him|her|them)sel(?:f|ves)\b/g, level: 'concern' },
  { re: /\boverdosed\b|\b(?:tried|try|trying|attempted)\s+to\s+overdose\b|\bintentional(?:ly)?\s+overdos/g, level: 'concern' },
  // Without intent, "hurt myself" is usually an accident; "cut myself" may not be.
  { re: /\b(?:harm|harming|harmed|cut|cutting|starve|starving)\s+myself\b/g, level: 'concern' },
  { re: /\bkill(?:s|ing|ed)?\s+(?:him|her|them)sel(?:f|ves)\b|\b(?:take|took|taking|end|ended|ending)\s+(?:his|her|their)\s+(?:own\s+)?life\b|\bthr(?:ew|ow|ows)\s+(?:him|her|them)sel(?:f|ves)\s+(?:off|from|in\s+front)\b/g, level: 'concern' },
  { re: /\bcan't\s+(?:go\s+on|take\s+(?:it|this)\s+any\s?more)\b|\bno\s+way\s+out\b|\bmy\s+funeral\b|\bnoose\b|\bcarbon\s+monoxide\b|\blife\s+is\s+(?:meaningless|pointless|worthless)\b|\bwaste\s+of\s+(?:space|oxygen)\b|\b(?:used\s+to|stopped|quit)\s+cut(?:ting)?\b/g, level: 'concern' }
]

const ZH_INTENT = '(?:想|要|打算|准备|準備|计划|計劃|决定|決定|就)'
const ZH_ACTS = '(?:自杀|自殺|跳楼|跳樓|割腕|轻生|輕生|自尽|自盡|寻死|尋死|去死|紫砂|自鲨|zs|上吊|烧炭|燒炭|服毒|吞药|吞藥|跳河|跳海|跳桥|跳橋|做傻事)'
const ZH_BETTER = '(?:更好|好过|好過|轻松|輕鬆|解脱|解脫|开心|開心|幸福|就好了)'

// Chinese has no case; the same list serves simplified and traditional characters.
export const CHINESE: readonly CrisisPattern[] = [
  // 想死 but not 想死你了 ("miss you to death") nor 累得想死 / 多到想死 (hyperbole of degree).
  { re: /(?<![得到](?:我|人)?)想死(?![你您妳他她它们們]|的心)/g, level: 'acute' },
  { re: /不想(?:再)?活|不要活了|活不下去|不如(?:去)?死|死了?算了|一了百了|一死了之|让我死|讓我死|死了?(?:最好|更好|就好了)|死了?比活[着著]|不想再[撑撐]|把自己(?:饿|餓|弄)?死|自我了[断斷]|了[结結]自己|[结結]束自己|不配活/g, level: 'acute' },
  { re: /[结結]束(?:自己的)?生命|离开这个世界|離開這個世界|[结結]束[这這]一切/g, level: 'acute' },
  { re: new RegExp(`${ZH_INTENT}(?:去)?${ZH_ACTS}|想[过過](?:自杀|自殺)|(?:想|要)去世`, 'g'), level: 'acute' },
  { re: /(?:自杀|自殺|轻生|輕生)的(?:念头|念頭|想法|冲动|衝動)/g, level: 'acute' },
  { re: /[伤傷]害自己|(?:我|想|在|又|开始|開始|一直)(?:自残|自殘)/g, level: 'acute' },
  { re: /活[着著](?:真的)?(?:没|沒)(?:有)?(?:任何)?(?:意思|意[义義])|活[着著](?:有|还有|還有)什[么麼](?:意[义義]|用)|活[着著](?:干嘛|幹嘛)/g, level: 'acute' },
  { re: /不(?:想|要)醒[来來]|永[远遠]不要醒|一睡不醒|醒不[来來过過](?:就好|多好|算了)|永[远遠]地?睡(?:着|著|下去)|(?<!(?:周日|周末|星期天|假期|放假|明天|今天|周一).{0,4})一直地?睡(?:着|著|下去)(?!.{0,3}哈)|睡[过過]去(?:就好|多好|算了)|永[远遠]地?消失|(?:从|從)[这這]?个?世界(?:上)?消失/g, level: 'acute' },
  { re: /[累拖](?:赘|贅)|拖油瓶|(?:是|成了)(?:家里|家裡|大家|别人|別人|家人)?的?拖累|没有我也(?:一样|一樣)|沒有我也一樣|消失了?也?(?:没有?人|沒有?人)(?:在意|在乎|发现|發現|关心|關心)|(?:只会|只會|一直在)拖累|(?:是|成了|成为|成為)(?:家里|家裡|大家|别人|別人|家人|他们|他們)?的?[负負]担(?!不起)|[负負][担擔](?!不起|得起)(?=[了吧。，,！!]|$)/g, level: 'acute', self: true },
  { re: new RegExp(`(?:没有|沒有|没了|沒了)我.{0,10}${ZH_BETTER}|我(?:走了|死了|不在了|消失了|离开了|離開了).{0,10}${ZH_BETTER}`, 'g'), level: 'acute', self: true },
  { re: /我死了.{0,12}(?:没有?人|沒有?人|不会有人|不會有人).{0,4}(?:难过|難過|在乎|伤心|傷心|发现|發現|在意)|(?:没有?人|沒有?人).{0,6}(?:在乎|在意|关心|關心)我(?:的)?(?:死活|死不死|是死是活)/g, level: 'acute', self: true },
  { re: new RegExp(`永[别別]|${ZH_NOT_ROUTINE}最[后後]一[条條]消息(?!.{0,6}(?:明天|晚安|回头|下次))|遗言|遺言|是最[后後]一晚|最[后後]一次(?:跟你|和你)?(?:说话|說話|聊天)|[遗遺]书|[遗遺]書|是我(?:的)?最[后後]一天(?!上班|工作|实习|實習)`, 'g'), level: 'acute' },
  { re: /(?:攒够|攢夠|准备好|準備好|买了|買了|屯了|存了|攒了|攢了).{0,4}安眠[药藥]|安眠[药藥].{0,8}(?:全吃|全部吃|一次吃|攒够|攢夠)|[药藥].{0,6}(?:攒够|攢夠).{0,12}(?:全吃|全部吃)/g, level: 'acute' },
  { re: /(?<!(?:蹦极|蹦極|跳台|跳臺|跳伞|跳傘|泳池|水里|水裡).{0,4})跳下去|站在(?:楼顶|樓頂|天台|顶楼|頂樓|窗台|窗臺)|(?:吞|吃)了(?:一瓶|整瓶|很多|好多)?(?:安眠)?[药藥]|[药藥](?:都|全)(?:吞|吃)了|想(?:划|劃|割)(?:自己|手腕?|下去)|[割划劃]自己|(?:还|還|又)想?割|割了.{0,6}不[够夠]|怎[么麼样樣](?:死(?:比[较較]|才|最|得快|不痛)|自杀|自殺|烧炭|燒炭|上吊|割腕|跳楼|跳樓)/g, level: 'acute' },

  { re: /活[够夠]了|不想(?:再)?存在|死了就(?:好了|解脱了|解脫了)|(?:没有|沒有|找不到)活下去的|离开人世|離開人世/g, level: 'acute' },
  { re: /[對对]不起.{0,8}先走了/g, level: 'acute', self: true },

  { re: /(?:自杀|自殺)(?!式|小队|炸弹|袭击)|轻生|輕生|自残|自殘|割腕|跳楼|跳樓|想死的心|撑不下去|撐不下去|寻死|尋死|自尽|自盡|投江|投河|吞[药藥]|服毒|心理危机|心理危機|(?<!一到.{1,4}就)想消失|想不[开開]|做傻事|自刎|跳[桥橋]|多[余餘]的|上吊|烧炭|燒炭|撑不住了|撐不住了|人间不值得|人間不值得/g, level: 'concern' }
]

/** Who a sentence is about, looked for before the phrase: the nearest person named wins. */
export const EN_FIRST_PERSON = new Set(['i', "i'm", "i've", "i'd", "i'll", 'me', 'my', 'myself'])
export const EN_OTHER_PERSON = /^(?:he|she|they|we|we're|us|everyone|everybody|anyone|anybody|does|did|villain|detective|killer|neighbour|neighbor|actor|celebrity|he's|she's|they're|he'd|she'd|they'd|his|her|them|you|someone|somebody|people|friend|brother|sister|son|daughter|mom|mum|dad|mother|father|husband|wife|boyfriend|girlfriend|partner|roommate|student|patient|coworker|colleague|character|hero|heroine|protagonist|narrator|man|woman|guy|girl|boy|kid|kids|child|teen|teenager|cousin|uncle|aunt|client|ex)$/
export const ZH_OTHER_PERSON = /[他她你]|朋友|同学|同學|同事|室友|[妈媽爸哥姐弟妹]|[爷爺奶]|外[婆公]|姥|父[亲親]|母[亲親]|家人|亲人|親人|老人|儿子|兒子|女儿|女兒|孩子|老公|老婆|男友|女友|学生|學生|病人|主角|主人公|陌生人|人物|角色|女主|男主|别人|別人|表[妹姐弟哥]|有人|人们|[让令使]人|邻居|演员|反派/g

/** A time that puts the phrase in the past, and the words that bring it back to now. */
export const EN_PAST = /\b(?:used\s+to|years?\s+ago|months?\s+ago|weeks?\s+ago|last\s+(?:year|month|summer|winter|spring|fall|autumn)|back\s+(?:in|when|then)|when\s+i\s+was|as\s+a\s+(?:kid|teen|teenager|child)|in\s+(?:high\s+school|college|university|my\s+teens)|tried\s+to|attempted)\b/
export const EN_NOW = /\b(?:now\s+i|still|again|anymore|tonight|right\s+now)\b/
export const ZH_PAST = /以前|之前|曾[经經]|去年|前年|[当當]年|那[时時]|小[时時]候|的[时時]候|年前|[过過]一次|(?:自杀|自殺|自残|自殘|轻生|輕生)[过過]/
export const ZH_NOW = /又|[还還]是|今晚|今天|[现現]在[还還]|依然|仍然/
