/**
 * The emotion lexicon: everyday words for a handful of feelings, in English and Chinese. Small on
 * purpose: a cue for the prompt and a label for the report, not a classifier. Words that are often
 * used without the feeling ("great", "crazy", 累) are `weak` and count half.
 */
export type FeltMood = 'joy' | 'sadness' | 'anxiety' | 'anger' | 'loneliness' | 'despair'

export interface LexiconGroup {
  strong: readonly string[]
  weak?: readonly string[]
}

/**
 * English, lower case. An entry may be a phrase ("fed up"); a trailing `*` on a single word
 * matches any ending ("worr*": worry, worried, worrying).
 */
export const ENGLISH_LEXICON: Record<FeltMood, LexiconGroup> = {
  joy: {
    strong: [
      'happy', 'happier', 'happiest', 'happiness', 'glad', 'joy', 'joyful', 'excited', 'thrilled',
      'delighted', 'wonderful', 'amazing', 'awesome', 'fantastic', 'grateful', 'thankful', 'proud',
      'relieved', 'cheerful', 'enjoy*', 'hopeful', 'optimistic', 'yay', 'hooray', 'overjoyed',
      'love it', 'loving it', 'feel good', 'feeling good', 'feel great', 'feeling great'
    ],
    weak: ['great', 'good mood', 'fun', 'nice', 'calm', 'peaceful', 'laugh*', 'smil*', 'love', 'lol', 'haha']
  },
  sadness: {
    strong: [
      'sad', 'sadder', 'saddest', 'sadness', 'unhappy', 'depressed', 'miserable', 'heartbroken',
      'heartbreak*', 'grief', 'griev*', 'mourn*', 'devastated', 'upset', 'disappointed', 'crying',
      'cried', 'cry', 'tears', 'gloomy', 'feel down', 'feeling down', 'feel low', 'feeling low',
      'feel bad', 'feeling bad', 'feel terrible', 'feel awful', 'exhausted', 'drained',
      'burned out', 'burnt out', 'worn out', 'numb', 'empty inside', 'regret*'
    ],
    weak: ['hurt', 'hurts', 'pain', 'painful', 'tired', 'terrible', 'awful', 'horrible', 'lost', 'broken']
  },
  anxiety: {
    strong: [
      'anxious', 'anxiety', 'worr*', 'nervous', 'scared', 'afraid', 'fear', 'fearful', 'terrified',
      'panic*', 'stressed', 'stressful', 'overwhelm*', 'uneasy', 'restless', 'insecure', 'dread*',
      'frightened', 'freaking out', 'freak out', "can't sleep", 'cannot sleep', 'insomnia', 'on edge',
      'tense'
    ],
    weak: ['stress', 'pressure', 'unsure', 'confused', 'nervously']
  },
  anger: {
    strong: [
      'angry', 'anger', 'furious', 'annoyed', 'irritated', 'frustrat*', 'pissed', 'hate', 'hated',
      'hates', 'rage', 'outraged', 'resent*', 'fed up', 'sick of', 'sick and tired', 'disgusted',
      'livid', 'infuriat*'
    ],
    weak: ['annoying', 'unfair', 'mad', 'ridiculous']
  },
  loneliness: {
    strong: [
      'lonely', 'loneliness', 'isolated', 'isolation', 'left out', 'abandoned', 'no friends',
      'no one cares', 'nobody cares', 'no one to talk to', 'nobody to talk to', 'no one understands',
      'nobody understands', 'all alone', 'by myself all the time'
    ],
    weak: ['alone', 'miss you', 'miss him', 'miss her', 'miss them', 'missing you', 'misses me']
  },
  despair: {
    strong: [
      'hopeless', 'hopelessness', 'worthless', 'despair', 'helpless', 'pointless', 'no way out',
      'no hope', 'give up on everything', 'giving up on everything', "what's the point", 'no point anymore',
      'trapped', 'a burden'
    ]
  }
}

/** Chinese (simplified, with common traditional forms), matched as substrings, longest first. */
export const CHINESE_LEXICON: Record<FeltMood, LexiconGroup> = {
  joy: {
    strong: [
      '开心', '高兴', '快乐', '幸福', '愉快', '兴奋', '满足', '欣慰', '感激', '喜悦', '欢喜', '自豪',
      '太好了', '期待', '放松', '轻松', '美滋滋', '乐开花', '開心', '高興', '興奮', '滿足', '輕鬆'
    ],
    weak: ['喜欢', '不错', '顺利', '舒服', '哈哈', '嘻嘻', '棒', '爽', '喜歡', '順利']
  },
  sadness: {
    strong: [
      '难过', '伤心', '悲伤', '痛苦', '失落', '沮丧', '低落', '抑郁', '心碎', '哭', '流泪', '眼泪',
      '委屈', '失望', '难受', '心痛', '心累', '疲惫', '崩溃', '空虚', '郁闷', '不开心', '不高兴',
      '難過', '傷心', '悲傷', '失落', '難受', '疲憊', '鬱悶'
    ],
    weak: ['累', '遗憾', '后悔', '悲观', '遺憾', '後悔']
  },
  anxiety: {
    strong: [
      '焦虑', '担心', '担忧', '紧张', '害怕', '恐惧', '不安', '慌张', '恐慌', '失眠', '睡不着',
      '忐忑', '烦躁', '发愁', '惶恐', '不知所措', '压力很大', '压力好大', '压力太大', '喘不过气',
      '焦慮', '擔心', '緊張', '恐懼', '睡不著', '煩躁', '壓力很大'
    ],
    weak: ['压力', '着急', '迷茫', '纠结', '慌', '壓力', '著急', '糾結']
  },
  anger: {
    strong: [
      '生气', '愤怒', '气死', '恼火', '讨厌', '痛恨', '恨死', '恨透', '受不了', '火大', '可恶', '气愤', '抓狂', '烦死',
      '生氣', '憤怒', '氣死', '討厭', '可惡'
    ],
    weak: ['烦', '无语', '不公平', '恶心', '煩', '無語', '噁心']
  },
  loneliness: {
    strong: [
      '孤独', '寂寞', '孤单', '没人理', '没有人理', '没人懂', '没有人懂', '没人理解', '没有人理解',
      '没有朋友', '被抛弃', '被孤立', '没人陪', '孤獨', '孤單', '沒人理', '沒有朋友'
    ],
    weak: ['想念', '思念', '一个人']
  },
  despair: {
    strong: [
      '绝望', '无望', '无助', '没有希望', '没希望', '活着没意思', '活着没有意义', '撑不下去',
      '坚持不下去', '没有意义', '没意义', '一无是处', '累赘', '絕望', '無助', '撐不下去'
    ]
  }
}

/** Phrases that contain a lexicon word without its feeling; they are matched first and count nothing. */
export const ENGLISH_IGNORED: readonly string[] = ['stress test', 'stress tests', 'stress testing', 'fear of missing out']
export const CHINESE_IGNORED: readonly string[] = [
  '积累', '累积', '累计', '连累', '恨不得', '哭笑不得', '恐怕', '哪怕', '压力测试', '不安全', '開心果', '开心果'
]

/** Emoji carry feelings in any language; no negation applies to them. */
export const EMOJI_LEXICON: Record<FeltMood, LexiconGroup> = {
  joy: { strong: ['😀', '😃', '😄', '😁', '😊', '🙂', '😍', '🥰', '😂', '🤣', '🥳'] },
  sadness: { strong: ['😢', '😭', '😞', '😔', '🙁', '☹', '💔', '😿'] },
  anxiety: { strong: ['😟', '😰', '😨', '😱', '😬', '😥'] },
  anger: { strong: ['😠', '😡', '🤬', '😤'] },
  loneliness: { strong: [] },
  despair: { strong: [] }
}

/** English words that negate a feeling within the next few words ("not happy", "never felt safe"). */
export const ENGLISH_NEGATORS = new Set([
  'not', 'no', 'never', 'nor', 'neither', 'without', 'hardly', 'barely', 'nothing', 'nobody',
  "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "can't", 'cannot',
  "couldn't", "won't", "wouldn't", "shouldn't", "haven't", "hasn't", "hadn't", "ain't",
  'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'cant', 'couldnt', 'wouldnt',
  'havent', 'hasnt', 'aint'
])

/** "can't stop crying" and "couldn't help laughing" are not negations. */
export const ENGLISH_NEGATION_BREAKERS = new Set(['stop', 'help', 'quit', 'believe'])

export const ENGLISH_INTENSIFIERS = new Set([
  'very', 'so', 'really', 'extremely', 'super', 'too', 'incredibly', 'totally', 'completely',
  'absolutely', 'deeply', 'terribly', 'awfully', 'truly', 'utterly', 'insanely', 'such', 'soooo', 'sooo'
])

export const ENGLISH_DIMINISHERS = new Set(['bit', 'slightly', 'somewhat', 'kinda', 'kind', 'sort', 'little', 'mildly'])
