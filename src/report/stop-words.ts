/**
 * Words too common to say what someone talks about, in English and Chinese: function words and
 * the small talk of a chat ("please", "thanks", 请问, 谢谢). Terms of one character are dropped
 * before these are consulted, so single letters and characters (a, I, 的, 我) need not be listed.
 */
const ENGLISH_STOP_WORDS: readonly string[] = [
  'about', 'above', 'after', 'again', 'against', 'all', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
  'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could',
  'did', 'do', 'does', 'doing', 'down', 'during', 'each', 'even', 'ever', 'every', 'few', 'for', 'from',
  'further', 'had', 'has', 'have', 'having', 'he', 'her', 'here', 'hers', 'herself', 'him', 'himself',
  'his', 'how', 'if', 'in', 'into', 'is', 'it', 'its', 'itself', 'just', 'me', 'might', 'more', 'most',
  'must', 'my', 'myself', 'no', 'nor', 'not', 'now', 'of', 'off', 'on', 'once', 'one', 'only', 'or',
  'other', 'ought', 'our', 'ours', 'ourselves', 'out', 'over', 'own', 'same', 'shall', 'she', 'should',
  'so', 'some', 'such', 'than', 'that', 'the', 'their', 'theirs', 'them', 'themselves', 'then', 'there',
  'these', 'they', 'this', 'those', 'through', 'to', 'too', 'under', 'until', 'up', 'upon', 'us', 'very',
  'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who', 'whom', 'why', 'will', 'with',
  'would', 'you', 'your', 'yours', 'yourself', 'yourselves', 'also', 'still', 'yet', 'much', 'many',
  'really', 'thing', 'things', 'something', 'anything', 'nothing', 'everything', 'someone', 'anyone',
  'get', 'got', 'getting', 'go', 'going', 'gone', 'make', 'made', 'let', 'lets', 'like', 'know', 'think',
  'want', 'need', 'tell', 'say', 'said', 'see', 'way', 'well', 'use', 'using', 'used',
  'please', 'thanks', 'thank', 'hi', 'hello', 'hey', 'ok', 'okay', 'yes', 'yeah', 'yep', 'nope', 'oh',
  'ah', 'lol', 'hmm', 'um', 'uh', 'sure', 'maybe', 'help', 'question', 'answer', 'today', 'http', 'https',
  'www', 'com',
  // Filler: words that pad speech and say nothing of its subject.
  'actually', 'basically', 'literally', 'honestly', 'seriously', 'totally', 'definitely', 'probably',
  'kinda', 'sorta', 'gonna', 'wanna', 'gotta', 'stuff', 'lot', 'lots', 'bit', 'kind', 'sort', 'pretty',
  'quite', 'rather', 'right', 'mean', 'guess', 'anyway', 'anyways', 'though', 'whatever', 'etc', 'cool',
  'haha', 'hahaha', 'lmao', 'omg', 'btw', 'idk', 'tbh', 'rn', 'fr', 'name', 'called',
  "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "you'd", "he's", "she's", "it's", "we're",
  "we've", "they're", "they've", "that's", "there's", "what's", "let's", "don't", "doesn't", "didn't",
  "isn't", "aren't", "wasn't", "weren't", "can't", "couldn't", "won't", "wouldn't", "shouldn't",
  "haven't", "hasn't", 'im', 'dont', 'cant', 'ive'
]

const CHINESE_STOP_WORDS: readonly string[] = [
  '我们', '你们', '他们', '她们', '它们', '咱们', '自己', '大家', '这个', '那个', '这些', '那些', '这样', '那样',
  '这里', '那里', '这么', '那么', '什么', '怎么', '怎么样', '怎样', '为什么', '哪里', '哪个', '哪些', '一个', '一些',
  '一下', '一点', '有点', '没有', '不是', '就是', '还是', '但是', '可是', '因为', '所以', '如果', '或者', '而且',
  '然后', '虽然', '已经', '现在', '今天', '时候', '知道', '觉得', '还有', '只是', '其实', '真的', '非常', '特别',
  '比较', '应该', '需要', '可以', '可能', '能够', '不能', '不会', '不要', '不想', '一直', '总是', '所有', '每个',
  '开始', '出来', '起来', '东西', '事情', '问题', '请问', '谢谢', '你好', '您好', '帮我', '告诉', '哈哈', '嗯嗯',
  '好的', '是的', '对的', '的话', '不知道', '之后', '之前', '以后', '以前', '的时候', '一样', '这种', '那种', '很多', '有些',
  '我的', '你的', '他的', '她的', '我是', '你是', '他是', '是不是', '有没有', '能不能', '可不可以', '怎么办',
  // Filler.
  '感觉', '好像', '反正', '确实', '一般', '这样子', '一下子', '有点儿', '然后呢', '就是说', '哈哈哈', '呵呵', '嘿嘿',
  '好吧', '对吧', '算了', '那就', '还行', '名字', '叫做',
  // Traditional forms of the above where they differ.
  '這個', '那個', '這些', '這樣', '這裡', '這麼', '什麼', '怎麼', '為什麼', '沒有', '因為', '現在', '時候', '覺得',
  '還有', '還是', '其實', '謝謝', '問題', '請問', '東西', '感覺', '確實', '這樣子', '對吧'
]

export const STOP_WORDS: ReadonlySet<string> = new Set([...ENGLISH_STOP_WORDS, ...CHINESE_STOP_WORDS])
