import { type CrisisPattern, EN_NOT_ROUTINE, NOT_TRIVIAL } from './crisis-lexicon.js'

/**
 * English crisis signs composed from concepts rather than listed as phrases: a *wish or plan*
 * (want, going to, thinking about, it would be nice to …) joined to an *ending* (die, be gone, not
 * wake up, end it …); an *absence* (if I were gone, without me) joined to a *relief* (better off,
 * happier); a *finality* (last thing I write, won't make it to Christmas); a *means* with an amount
 * or a plan. Each concept is a word list written from the language (synonyms, tenses, registers),
 * not from the labelled set, so an unseen "it'd be a relief to never wake up" is read like the seen
 * "I want to die". Who and how (someone else, fiction, negated, past, quoted) is crisis.ts's job.
 * Runs on `normalizeCrisisText` output: lower case, contractions as typed ("i'm", "don't"), "just",
 * "really" and oaths left out. Gaps between the parts are a few words at most (bounded repetition,
 * no nesting), so each pattern is linear in the text.
 */
const alt = (...words: string[]): string => `(?:${words.join('|')})`
const GAP = String.raw`(?:[a-z']+\s+){0,3}?`

// What ends: as an infinitive ("to …"), a gerund ("thinking about …") and a past ("what if i …").
const NOT_HYPERBOLE = String.raw`(?!\s+(?:less|more|so\s+(?:much|often)|as\s+much|every\s+time|a\s+lot|someday|one\s+day|eventually|sometime|at\s+some\s+point|anyway|of|from|laughing|if|when|inside|a\s+little|alone|happy|old|rich|young|for\s+(?:a|some|this|that|it)|on\s+that\s+hill|in\s+(?:the\s+)?game|my\s+hair|your\s+hair|her\s+hair|the\s+hair|tomorrow\s+in\s+the\s+game))`
const NOT_SCHEDULE = String.raw`(?!\s+(?:by|from|before|until|till|at|on|in|out|to|this|next|over|while|when|all\s+(?:day|week)|for\s+(?:a|the|an|two|three|\d)))`
const CLAUSE_END = String.raw`(?=[^\S\n]*(?:[.!?,;\n]|$))`
// "never wake up before noon", "never wake up this early again": a lie-in, not an ending.
const NOT_SOON = String.raw`(?!\s+(?:before|until|till|early|late|at|this|that|so|in\s+time|on\s+time|with))`
const JUMP_FROM = String.raw`(?:off|from|in\s+front\s+of)\s+(?:a|the|my|this|that)?\s*(?:\w+\s+)?(?:bridge|roof|rooftop|building|train|balcony|cliff|ledge|window|bus|truck|tower|overpass|skyscraper|car\s+park|parking\s+garage|platform|floor|storey|story)`
const ENDING_INFINITIVE = alt(
  String.raw`(?<!\bgoing\s+to\s+)die\b${NOT_HYPERBOLE}`, 'be dead', `be gone\\b${NOT_SCHEDULE}`, 'be gone (?:forever|for good)',
  'go away (?:forever|for good|permanently)', 'disappear (?:forever|for good|permanently|and never come back)(?! (?:from|off))',
  'vanish (?:forever|for good)', 'not exist', 'stop existing', 'cease to exist', 'not be alive', 'no longer (?:be alive|exist|be here)',
  'not be (?:here|around)(?! (?:for|at|on|when|tomorrow|next|this|today|until))', `(?:never|not) wake up${NOT_SOON}`, 'sleep forever(?! (?:after|on|at|in|this|every|when|until|till))',
  'fall asleep forever', `(?:fall asleep|go to sleep) and (?:never|not) wake up${NOT_SOON}`,
  String.raw`end it(?:\s+all)?(?!\s+(?:with|between|early|here|there|for\s+(?:him|her|them|us)))`, 'end (?:everything|my life|myself|this life|my own life)',
  'take my (?:own )?life', 'kill myself', 'hang myself', 'commit suicide', `(?<!bungee\\s)jump ${JUMP_FROM}`, 'overdose', 'od',
  'leave this (?:world|earth|life)', 'stop living', 'stop breathing', 'not live (?:anymore|any longer)', 'give up on (?:life|living)',
  'be with (?:my )?(?:dead|late) ', 'check out (?:for good|permanently|of life)', 'not be in this world', 'go to sleep (?:forever|for good)',
  'take the easy way out', 'rest forever', 'join (?:my )?(?:late|dead) ', 'not be a (?:problem|burden|bother) (?:anymore|any longer)', 'end the pain (?:forever|for good|permanently)',
  'bow out (?:of life|for good)', 'step (?:off|in front of|onto) (?:the|a) (?:platform|ledge|roof|bridge|train|edge|tracks)', '(?:step|walk) (?:out )?into (?:the )?traffic', 'drive (?:my car )?(?:into|off) (?:oncoming traffic|a (?:wall|tree|bridge|cliff)|the (?:river|sea|lake|bridge))', 'rest (?:for good|forever|in peace|permanently)', 'take (?:every|all (?:the|my|of my)|the whole (?:bottle|pack|box) of|a whole bottle of) (?:\\w+ )?(?:pills?|tablets?|meds|medication|sleeping pills|painkillers)', 'log off (?:for good|forever|permanently)', 'disappear off the face of the earth', 'end this (?:life|existence)', 'end my existence', `end my story${CLAUSE_END}`, 'remove myself from (?:the (?:equation|picture|world)|this world|existence|everyone\'s lives)', 'erase myself', 'not be (?:anymore|any more|any longer|at all)', 'cease to be'
)
const ENDING_GERUND = alt(
  String.raw`dying\b${NOT_HYPERBOLE}`, 'killing myself', 'ending (?:my life|it all|it|everything|myself)', 'taking my (?:own )?life',
  '(?:my )?suicide', 'committing suicide', `jumping ${JUMP_FROM}`, 'overdosing', 'hanging myself', '(?:not|never) waking up',
  'disappearing (?:forever|for good)', 'not existing', 'my (?:own )?(?:funeral|death|grave)(?! (?:playlist|music|songs?|plans?|arrangements|insurance|costs?))', 'driving (?:my car )?(?:into|off) (?:oncoming traffic|a (?:wall|tree|bridge|cliff)|the (?:river|sea|lake|bridge))', '(?:stepping|walking) (?:out )?into (?:the )?traffic', 'stepping (?:off|in front of) (?:the|a) (?:platform|ledge|roof|bridge|train|edge)', 'how to (?:die|kill myself|end it|overdose|bleed out)', 'how long it takes to (?:die|bleed out|suffocate|drown)', 'ways to (?:die|kill myself|end it)', 'lethal doses?', 'not being (?:alive|here|around)', 'being dead', 'death(?= (?:as|like|every|all|constantly))',
  '(?:swallowing|taking|downing) (?:the whole (?:bottle|pack|box)|all (?:the|my|of my) (?:pills|meds|tablets)|them all|everything in the cabinet)',
  'cutting (?:deep|deeper|my wrists)', 'not (?:surviving|being alive)', 'going to sleep forever', 'checking out (?:for good|permanently)'
)
const ENDING_PAST = alt(
  'ended (?:my life|it all|it|everything)', 'killed myself', 'died', 'disappeared (?:forever|for good)', 'jumped', 'took all (?:the|my|of my) (?:pills|meds|tablets)',
  "wasn't (?:here|around|alive)", 'stopped existing', 'never woke up', "didn't wake up", 'took my (?:own )?life'
)

const WISH_TO = alt(
  'want', 'wants', 'wanted', 'wanting', 'wish', 'wishing', 'hope', 'hoping', 'pray', 'praying', 'going', 'about', 'plan', 'plans', 'planning',
  'planned', 'decided', 'deciding', 'ready', 'prepared', 'intend', 'intending', 'need', 'tempted', 'urge', 'urges', 'longing', 'long', 'yearn',
  'yearning', "i'd love", 'would love', "i'd like", 'would like', 'choose', 'chosen', "can't wait", 'cannot wait', 'trying', 'determined',
  "it'd be (?:nice|good|better|easier|great|peaceful|a relief|a mercy|lovely|so nice)",
  'it would be (?:nice|good|better|easier|great|peaceful|a relief|a mercy|lovely)', 'would be (?:nice|easier|better|a relief) to', 'time',
  'brave enough', 'the courage', 'the guts', 'the nerve', 'the strength', 'resolved', 'made up my mind', 'determined', 'desire', 'longed',
  '(?:keeps?|kept) telling me', 'tells me', 'telling me', 'urging me', 'voices? (?:say|says|saying|tell|tells|telling)(?: me)?'
)
const WISH_BARE = alt('rather', "i'd rather", 'should', 'might as well', 'may as well', "i'll", 'i will', 'i shall', "i'm going to", 'let me', 'tonight i', 'i can finally', 'i could finally')
const THINK_ABOUT = alt(
  'thinking about', 'thinking of', 'think about', 'thought about', 'thoughts about', 'thoughts of', 'considering', 'contemplating', 'fantasi[sz]ing about',
  'fantasi[sz]e about', 'dream(?:ing)? (?:about|of)', 'obsessed with', "can't stop thinking about", 'keep thinking about', 'planning', 'researching',
  'looking into', 'plotting', 'closer to', 'on the edge of', 'close to', 'feel like', 'feels like', 'felt like', 'been feeling like',
  'the idea of', 'the thought of', 'googling', 'searching(?: for)?', 'reading about', 'looking up', 'serious about', 'ready for', 'keep imagining', 'imagining'
)
const WISH_CLAUSE = String.raw`\b(?:wish|hope|pray|praying|hoping|wishing)\s+(?:that\s+)?i\s+(?:could\s+|would\s+|will\s+|'d\s+|'ll\s+)?`

// A clause that says the speaker is gone; what makes the others better off.
const I_ABSENT = alt(
  String.raw`(?:if|when|once|after)\s+i(?:'m|\s+am|\s+was|\s+were)?\s+(?:dead|gone|not\s+here|not\s+around|no\s+longer\s+(?:here|around|alive)|never\s+born)`,
  String.raw`if\s+i(?:'d|\s+had)\s+never\s+(?:been\s+(?:born|around|here)|existed)`, String.raw`if\s+i\s+(?:didn't|did\s+not|never|don't|won't)\s+wake\s+up`, String.raw`if\s+i\s+(?:died|disappeared|vanished|killed\s+myself|ended\s+it|left\s+(?:for\s+good|forever)|didn't\s+exist|did\s+not\s+exist|stopped\s+existing|wasn't\s+(?:here|around|alive|born)|weren't\s+(?:here|around|alive|born)|was\s+(?:dead|gone)|were\s+(?:dead|gone)|never\s+existed|wasn't\s+in\s+(?:the\s+picture|their\s+lives))`,
  String.raw`without\s+me(?!\s+(?:for|on|at|this|tonight|today|tomorrow|there))`, String.raw`with\s+me\s+(?:gone|dead|out\s+of\s+the\s+way)`, String.raw`after\s+i\s+die`
)
const RELIEF = alt('better off', 'better', 'happier', 'easier', 'fine', 'relieved', 'free', 'lighter', 'safer', 'at peace', 'richer', 'calmer', 'less stressed', 'a relief')

export const ENGLISH_COMPOSED: readonly CrisisPattern[] = [
  // A wish or plan joined to an ending: "i want to be gone", "it'd be nice to fall asleep forever".
  { re: new RegExp(String.raw`(?<!heart\s+and\s+|\b(?:makes?|made|making)\s+me\s+)\b${WISH_TO}\s+to\s+(?:be\s+able\s+to\s+)?${GAP}${ENDING_INFINITIVE}\b`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`\b${WISH_BARE}\s+(?:rather\s+)?${ENDING_INFINITIVE}\b${NOT_TRIVIAL}`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`\b${THINK_ABOUT}\s+${ENDING_GERUND}`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`${WISH_CLAUSE}(?:be\s+)?(?:dead|gone\s+(?:forever|for\s+good)|never\s+born|(?:never|not|won't|don't)\s+(?:ever\s+)?wake\s+up(?!\s+(?:early|late|this|at|to|before|in\s+time|with))|die|didn't\s+exist|wasn't\s+alive|stop\s+existing|disappear\s+(?:forever|for\s+good)|fall\s+asleep\s+(?:forever|and\s+never))`, 'g'), level: 'acute' },
  { re: new RegExp(String.raw`\bwhat\s+if\s+i\s+${ENDING_PAST}`, 'g'), level: 'acute', self: true },
  // "i'm ending it", said of oneself and not of a thing: the clause ends there.
  { re: /\b(?:i'm|i\s+am)\s+(?:ending|going\s+to\s+end)\s+(?:it|it\s+all|things|everything|my\s+life)(?=[^\S\n]*(?:[.!?,;\n]|$|tonight|today|now|soon|for\s+good))/g, level: 'acute', self: true },
  { re: /\b(?:want|need|wish|wait\s+for|waiting\s+for|can't\s+wait\s+for|praying\s+for|ready\s+for)\s+(?:it|everything|this|life|my\s+life|the\s+pain|all\s+of\s+(?:it|this))\s+(?:all\s+)?to\s+(?:end|stop|be\s+over)\b(?!\s+(?:soon|already|early|on\s+time|so\s+i|and\s+(?:then|we)))|\bwant\s+out\s+(?:for\s+good|forever|of\s+(?:life|this\s+life|existence))\b/g, level: 'acute' },
  // Life refused: "i don't want to live", "i'm exhausted from existing".
  { re: /\b(?:don't|do\s+not|doesn't|does\s+not|no\s+longer|never)\s+(?:want|wish|care|need|desire)\s+to\s+(?:live|be\s+alive|exist|be\s+here|wake\s+up|go\s+on|carry\s+on|keep\s+going|continue)(?=[^\S\n]*(?:[.!?,;\n]|$|anymore|any\s+more|any\s+longer|like\s+this|in\s+this|another|tomorrow))/g, level: 'acute' },
  { re: /\b(?:exhausted|tired|sick|weary|worn\s+out|fed\s+up)\s+(?:of|from|with)\s+(?:existing|being\s+alive|being\s+here|living(?=[^\S\n]*(?:[.!?,;\n]|$|anymore))|life(?=[^\S\n]*(?:[.!?,;\n]|$|anymore))|breathing)\b|\b(?:had|have)\s+enough\s+of\s+(?:life|living|being\s+alive|existing)\b|\bdone\s+(?:with\s+)?(?:existing|being\s+alive|breathing)\b/g, level: 'acute' },
  { re: /\b(?:no|not\s+any|isn't\s+any|there's\s+no|can't\s+find\s+a|lost\s+(?:my|the|any))\s+(?:point|reason|will|desire|purpose|wish)\s+(?:in\s+|to\s+|for\s+me\s+to\s+|of\s+)?(?:living|live|staying\s+alive|being\s+alive|existing|waking\s+up|keep\s+living|carry\s+on|carrying\s+on|go\s+on|going\s+on|keep\s+going|continue|stay)(?=[^\S\n]*(?:[.!?,;\n]|$|anymore|any\s+longer|with\s+(?:life|this|it\s+all)|living))/g, level: 'acute' },
  // The others relieved by one's absence: "they'd have a better life if i were dead".
  { re: new RegExp(String.raw`\b${RELIEF}\s+${GAP}${I_ABSENT}\b`, 'g'), level: 'acute', self: true },
  { re: new RegExp(String.raw`\b${I_ABSENT}\b[,\s]+${GAP}(?:would|'d|will)\s+(?:be\s+)?(?:${RELIEF}|not\s+(?:care|notice|miss\s+me|mind)|move\s+on|have\s+(?:a\s+)?better)(?!\s+(?:for\s+(?:a|the|one|two|\d)|this|today|tonight|tomorrow|until|till|while))`, 'g'), level: 'acute', self: true },
  { re: new RegExp(String.raw`\b${I_ABSENT}\b[,\s]+${GAP}(?:nobody|no\s+one|no-one|noone|who)\s+(?:would|will|'d)\s+(?:even\s+)?(?:care|notice|miss\s+me|cry|mind)\b`, 'g'), level: 'acute', self: true },
  { re: /\b(?:nobody|no\s+one|no-one|noone|who)\s+(?:would|will|'d)\s+(?:even\s+)?(?:care|notice|miss\s+me|cry|mind)\s+(?:if|when|once)\s+i(?:'m|\s+was|\s+were)?\s+(?:died|die|dead|gone|disappeared|not\s+here|killed\s+myself)\b/g, level: 'acute', self: true },
  { re: /\bbest\s+(?:thing|gift|favou?r|option|choice|solution)\b(?:\s+[a-z']+){0,6}?\s+(?:is|would\s+be)\s+(?:to\s+|for\s+me\s+to\s+)?(?:disappear(?!\s+(?:from|off|for\s+(?:a|some)))|die|vanish|go\s+away\s+forever|leave\s+(?:forever|for\s+good)|end\s+it|not\s+(?:be\s+here|exist)|kill\s+myself)\b/g, level: 'acute', self: true },
  { re: /\b(?:doing|do|be\s+doing)\s+(?:everyone|everybody|them|the\s+world|my\s+family|all\s+of\s+you)\s+a\s+(?:favou?r|kindness)\s+by\s+(?:dying|disappearing|leaving\s+(?:for\s+good|forever)|killing\s+myself|not\s+being\s+(?:here|around|alive)|ending\s+it)\b|\b(?:disappointed|sad|upset|angry|annoyed|devastated)\s+(?:that\s+i(?:'m|\s+am)\s+(?:still\s+)?(?:alive|here)|to\s+(?:still\s+)?be\s+alive|to\s+wake\s+up\s+(?:again|alive|at\s+all|every\s+(?:day|morning)))\b|\b(?:pills|tablets|meds)\s+(?:counted|laid|set)\s+out\b|\b(?:my\s+)?(?:kids|children|family|wife|husband|son|daughter|partner)\s+(?:would|'d)\s+be\s+better\s+off\s+with\s+(?:their|his|her|someone|another)\b|\bhate\s+(?:being\s+alive|existing|that\s+i'm\s+(?:still\s+)?alive|waking\s+up\s+(?:every\s+day|alive))\b/g, level: 'acute', self: true },
  { re: /\b(?:no|not\s+a|can't\s+(?:see|imagine)\s+a|don't\s+see\s+a|there's\s+no)\s+(?:[a-z']+\s+){0,3}?(?:future|world|version|scenario|timeline)\s+(?:[a-z']+\s+){0,4}?where\s+i(?:'m|\s+am)\s+(?:still\s+)?(?:here|alive|around)\b|\b(?:don't|do\s+not)\s+(?:plan|intend|expect)\s+(?:on|to)\s+(?:being|be)\s+(?:alive|here|around)\b/g, level: 'acute', self: true },
  { re: /\bonly\s+way\s+(?:this|it|the\s+pain|everything|any\s+of\s+this)\s+(?:stops|ends|gets\s+better|will\s+stop|will\s+end)\s+is\s+if\s+i(?:'m|\s+am)?\s*(?:not\s+here|gone|dead|die|disappear|don't\s+exist)\b|\bsleep\b[^.!?\n]{0,40}\bthat's\s+it\s+for\s+good\b|\b(?:i'm\s+sorry|sorry)[,.!]?\s+(?:i\s+)?couldn't\s+(?:do\s+it|go\s+on|take\s+it|keep\s+going|fight)\s+anymore\b|\bcan't\s+continue\s+(?:living|to\s+live)\b/g, level: 'acute', self: true },
  // An ending as the only way: "suicide feels like the only option left".
  { re: /\b(?:suicide|death|dying|killing\s+myself|ending\s+(?:it|my\s+life)|to\s+die)\s+(?:feels|seems|looks|sounds|is)\s+(?:like\s+)?(?:the\s+|my\s+)?(?:only|best|last|easiest)\s+(?:option|way|answer|solution|choice|way\s+out|escape|thing\s+left)\b|\b(?:the\s+|my\s+)?only\s+(?:way\s+out|option|solution|answer|choice|escape|exit)\s+(?:left\s+)?(?:is|would\s+be|seems|feels)\s+(?:like\s+)?(?:to\s+)?(?:die|death|suicide|dying|killing\s+myself|ending\s+(?:it|my\s+life)|end\s+(?:it|my\s+life))\b|\b(?:least\s+painful|painless|quickest|easiest|fastest|surest|most\s+reliable|most\s+effective|best)\s+(?:way|method|methods|ways)\s+(?:to|of)\s+(?:die|dying|kill\s+myself|killing\s+myself|end\s+it|ending\s+it|end\s+my\s+life|suicide|go)\b/g, level: 'acute' },
  // Finality: a last message, a time one won't reach, words left for others.
  { re: new RegExp(String.raw`\b(?:this|if\s+this)\s+is\s+(?:my|the)\s+last\s+(?:thing|message|words?|post|text|note|time)\s+(?:i|you|anyone|from\s+me)\b${EN_NOT_ROUTINE}|\b(?:last|final)\s+(?:message|words|post|goodbye)\s+from\s+me\b|\byou\s+(?:won't|will\s+not)\s+(?:hear\s+from|see)\s+me\s+again\b`, 'g'), level: 'acute', self: true },
  { re: /\b(?:not\s+going\s+to|won't|will\s+not|don't\s+think\s+i'll|doubt\s+i'll|don't\s+see\s+myself|can't\s+see\s+myself|cannot\s+see\s+myself)\s+(?:make\s+it|making\s+it|last|lasting|be\s+(?:here|around|alive)|being\s+(?:here|around|alive)|wake\s+up|waking\s+up)\s+(?:(?:to|through|past|until|till|for|by|in|at)\s+)?(?![^\n]{0,60}\b(?:holiday|vacation|trip|travel(?:ling)?|business|conference|out\s+of\s+(?:office|town)|visiting|camp(?:ing)?|moving|party|meeting)\b)(?:a\s+year|a\s+month|a\s+week|christmas|new\s+year|my\s+birthday|tomorrow|the\s+weekend|the\s+night|the\s+morning|next\s+(?:week|month|year)|spring|summer|winter|autumn|the\s+end\s+of\s+(?:the\s+)?(?:week|month|year)|another\s+(?:day|week|year))\b/g, level: 'acute', self: true },
  { re: /(?:^|[.!?\n]\s*)(?:please\s+)?tell\s+(?:my\s+\w+|everyone|them|him|her|my\s+\w+\s+and\s+\w+)\s+(?:that\s+)?(?:i'm\s+sorry|i\s+am\s+sorry|i\s+love|i\s+loved|goodbye|it\s+(?:wasn't|was\s+not|isn't)\s+(?:their|her|his|your)\s+fault)/g, level: 'acute', self: true },
  { re: /\bleft\s+(?:a|the|my)?\s*(?:note|letters?)\s+for\s+(?:my\s+\w+|everyone|them|the\s+people\s+i\s+love)\b(?!\s+(?:to|about|on|at|before|with))/g, level: 'acute', self: true },
  // A means, asked about for oneself: "how many paracetamol would it take to kill me", "is the 8th floor enough".
  { re: /\bhow\s+(?:many|much|high|far|deep|tall)\b(?:\s+[a-z0-9']+){0,8}?\s+(?:to\s+)?(?:kill\s+me|be\s+(?:fatal|lethal|enough\s+to\s+die)|for\s+me\s+to\s+die|die|not\s+wake\s+up|stop\s+my\s+heart|(?:make\s+sure\s+)?(?:you|i|one)\s+(?:don't|won't|wouldn't|do\s+not)\s+survive)\b/g, level: 'acute' },
  { re: /\b(?:is|would|will)\s+(?:jumping|falling|a\s+fall|a\s+jump)\s+(?:from|off)\s+(?:the\s+|a\s+)?[a-z0-9]+\s+(?:floor|storey|story|bridge|building)\s+(?:be\s+)?(?:enough|fatal|lethal|high\s+enough|kill)\b|\b(?:lethal|fatal)\s+dose\s+(?:for\s+me|to\s+die|of\s+my)\b/g, level: 'acute' },
  { re: /\b(?:have|got)\s+(?:the|my|enough|all\s+the)\s+(?:pills|tablets|meds|rope|gun|razor|blades?)\s+(?:ready|here\s+with\s+me|in\s+front\s+of\s+me|lined\s+up)\b(?!\s+(?:for|to))/g, level: 'acute', self: true },
  { re: /\b(?:not\s+going\s+to|won't|will\s+not)\s+be\s+(?:here|around|alive)\s+(?:much|any)\s+longer\b/g, level: 'acute', self: true },
  { re: /\b(?:going|plan|planning|decided)\s+to\s+(?:[a-z']+\s+){1,6}?and\s+(?:then\s+)?(?:not|never)\s+(?:come|coming)\s+back\b/g, level: 'acute', self: true },
  { re: /\b(?:won't|will\s+not|not\s+going\s+to)\s+be\s+a\s+(?:problem|burden|bother|weight)\s+(?:for\s+(?:you|them|anyone)\s+)?(?:much\s+longer|for\s+long|anymore|any\s+longer|soon)\b/g, level: 'acute', self: true },
  { re: /\b(?:standing|sitting|i'm|i\s+am)\s+(?:on|at)\s+(?:the|a|this)\s+(?:bridge|ledge|roof|rooftop|edge|railing|balcony\s+railing|tracks|cliff)\b(?:\s+[a-z']+){0,3}?\s+(?:right\s+now|now|tonight)\b/g, level: 'acute', self: true },
  // Hurting oneself with intent, again, or not enough.
  { re: /\b(?:hurt|harm|cut|burn|hit|punch|scratch|starve|bleed|punish)\s+myself\s+(?:again|tonight|on\s+purpose|deeper|harder|so\s+bad|bad|until|till|more|worse|every\s+(?:day|night))\b|\b(?:cut|cutting|hurt|burned|burnt)\s+(?:myself\s+)?(?:again\s+)?(?:tonight\s+)?and\s+it\s+(?:wasn't|was\s+not|isn't)\s+enough\b|\burges?\s+to\s+(?:cut|self[-\s]?harm|hurt\s+myself)\b|\bcut\s+(?:myself\s+)?deep\s+enough\b|\b(?:cut|hurt|burn)\s+(?:myself\s+)?(?:worse|deeper|properly)\s+this\s+time\b/g, level: 'acute', self: true },

  // Concerns: the subject, or a wish too weak to be taken as intent alone.
  { re: /(?<!\b(?:makes?|made)\s+me\s+)\b(?:wish|want)\s+(?:i\s+could\s+|to\s+)?disappear\b(?!\s+(?:into|in\s+(?:a|the|my)|from|off))|\bwish(?:es|ed)?\s+(?:he|she|they)\s+(?:was|were|could\s+be)\s+dead\b|\bjumped\s+(?:off|from)\s+(?:the|a)\s+(?:[a-z]+\s+){0,2}(?:roof|bridge|building|balcony|window|tower)\b|\b(?:not\s+wanting|doesn't\s+want|don't\s+want)\s+to\s+(?:live|be\s+alive|exist)\b|\bbetter\s+off\s+without\s+(?:him|her|them)\b|\bkill\s+yourself\b|\bkys\b|\b(?:an|my|the|his|her|their)\s+overdose\b(?!\s+(?:symptoms|of\s+vitamin|threshold|dose|amount|level|risk|limit))|\b(?:giving|gave)\s+away\s+(?:all\s+)?(?:of\s+)?(?:his|her|their)\s+(?:stuff|things|belongings|possessions)\b|\bsuicide\s+attempt\b|\b(?:never|not|won't|wouldn't)\s+(?:hurt|harm|kill)\s+myself\b|\b(?:posted|wrote|sent|texted)\s+(?:a\s+)?["']?goodbye\b|\bromantici[sz]\w*\s+suicide\b|\bburden\s+to\s+(?:his|her|their)\s+family\b|\b(?:note|letter|message)\s+saying\s+goodbye\b|\bstockpiling\s+(?:pills|meds|medication)\b|\bthink(?:ing)?\s+about\s+death\b|\bwhether\s+to\s+(?:jump|die|live|end\s+it|kill\s+(?:him|her|them)sel(?:f|ves))\b/g, level: 'concern' }
]
