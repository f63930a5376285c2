import type { Language } from './language.js'

/**
 * `acute`: the person speaks of wanting to end their life or harm themselves ("I want to kill
 * myself", 我不想活了). `concern`: the subject comes up without that first-person intent, or
 * negated ("suicide rates", "my friend self-harms", "I'd never kill myself", 我不想死).
 */
export type CrisisLevel = 'acute' | 'concern'

export interface CrisisSignal {
  level: CrisisLevel
  /** The phrases that raised it, as matched. */
  cues: string[]
}

interface Pattern { re: RegExp, level: CrisisLevel }

// English patterns run on lower-cased text with straight apostrophes.
const INTENT = String.raw`(?:want|wanted|wanna|going|gonna|urge|urges|thinking about|thinking of|think about|planning|plan|tempted|started|been|keep|kept|can't stop|need)`
const SELF_HARM_VERB = String.raw`(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|starve|starving)`

const PATTERNS: readonly Pattern[] = [
  { re: /\b(?:kill|kills|killing|killed|hang|hanging|shoot|shooting|drown|drowning|off|offing)\s+my\s?self\b/g, level: 'acute' },
  { re: /\b(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life\b/g, level: 'acute' },
  { re: /\b(?:want|wants|wanted|wanna|wish|wishing|ready)\s+(?:to\s+)?die\b/g, level: 'acute' },
  { re: /\bwish\s+i\s+(?:was|were|could\s+be)\s+(?:dead|never\s+born|gone\s+forever)\b/g, level: 'acute' },
  { re: /\bbetter\s+off\s+dead\b/g, level: 'acute' },
  { re: /\b(?:don't|dont|do not|no longer)\s+want\s+to\s+(?:live|be alive|exist|wake up)\b/g, level: 'acute' },
  { re: /\bno\s+reason\s+to\s+(?:live|keep living|go on)\b/g, level: 'acute' },
  { re: /\bend\s+it\s+all\b/g, level: 'acute' },
  { re: /\b(?:i'm|im|i am|feel|feeling|felt|been|getting)\s+(?:so\s+|really\s+|very\s+|kind of\s+|a bit\s+)?suicidal\b/g, level: 'acute' },
  { re: /\b(?:have|had|having|get|getting)\s+(?:suicidal\s+thoughts|thoughts\s+of\s+(?:suicide|killing\s+myself|ending\s+my\s+life))\b/g, level: 'acute' },
  { re: /\bi(?:'m|\s+am)?\b[^.!?]{0,30}\bcommit(?:ting)?\s+suicide\b/g, level: 'acute' },
  { re: new RegExp(String.raw`\b${INTENT}\s+(?:to\s+)?${SELF_HARM_VERB}\s+my\s?self\b`, 'g'), level: 'acute' },
  { re: /\bi(?:'ve|\s+have)?\s+(?:been\s+)?self[-\s]?harm(?:ing)?\b/g, level: 'acute' },
  { re: /\btake\s+all\s+(?:my|the|of\s+my)\s+(?:pills|meds|medication)\b/g, level: 'acute' },

  { re: /\bsuicid(?:e|es|al)\b/g, level: 'concern' },
  { re: /\bself[-\s]?harm(?:ing|s)?\b/g, level: 'concern' },
  { re: /\boverdos(?:e|ed|es|ing)\b/g, level: 'concern' },
  // Without intent, "hurt myself" is usually an accident; "cut myself" may not be.
  { re: /\b(?:harm|harming|harmed|cut|cutting|starve|starving)\s+my\s?self\b/g, level: 'concern' },
  { re: /\bkill(?:s|ing|ed)?\s+(?:him|her|them)sel(?:f|ves)\b/g, level: 'concern' },
  { re: /\bcan't\s+(?:go\s+on|take\s+(?:it|this)\s+any\s?more)\b/g, level: 'concern' },
  { re: /\bno\s+way\s+out\b/g, level: 'concern' },

  // 想死 but not 想死你了 ("miss you to death"); 想死的心都有 is hyperbole, a concern.
  { re: /想死(?![你您妳他她它]|的心)/g, level: 'acute' },
  { re: /不想活|活不下去|不如死了|死了算了|一了百了|自我了断|自我了斷|了结自己|了結自己|结束自己|結束自己/g, level: 'acute' },
  { re: /结束(?:自己的)?生命|結束(?:自己的)?生命|离开这个世界|離開這個世界/g, level: 'acute' },
  { re: /(?:想|要|打算|准备|準備|计划|計劃|决定|決定)(?:去)?(?:自杀|自殺|跳楼|跳樓|割腕|轻生|輕生)|想过自杀|想過自殺/g, level: 'acute' },
  { re: /(?:自杀|自殺|轻生|輕生)的(?:念头|念頭|想法)/g, level: 'acute' },
  { re: /伤害自己|傷害自己|(?:我|想|在|又|开始|開始|一直)(?:自残|自殘)/g, level: 'acute' },

  { re: /自杀|自殺|轻生|輕生|自残|自殘|割腕|跳楼|跳樓|想死的心|活着没意思|活著沒意思|活着没有意义|撑不下去|撐不下去/g, level: 'concern' }
]

// A negation just before an acute phrase lowers it to a concern: "I would never kill myself", 我不想自杀.
const EN_NEGATED = /\b(?:not|never|don't|dont|won't|wont|wouldn't|wouldnt|no longer)\b(?:\s+\S+){0,2}\s*$/
const ZH_NEGATED = /(?:不|没有?|沒有?|别|別|不会|不會|不要|从来没有?|從來沒有?|从没|從沒)(?:想|要|会|會|打算|去)?$/
const CLAUSE_BREAK = /[.!?;,，。！？；\n]/
const LOOKBEHIND = 30

/** Looks for signs of suicide or self-harm in English and Chinese; `null` when there are none. */
export function detectCrisis (text: string): CrisisSignal | null {
  const normalized = text.toLowerCase().replace(/[’‘]/g, "'")
  const cues: string[] = []
  let acute = false
  for (const { re, level } of PATTERNS) {
    for (const match of normalized.matchAll(re)) {
      const negated = level === 'acute' && isNegated(clauseBefore(normalized, match.index))
      if (level === 'acute' && !negated) acute = true
      if (!cues.includes(match[0])) cues.push(match[0])
    }
  }
  if (cues.length === 0) return null
  // "i'm suicidal" also matches the plainer "suicidal": keep the fuller phrase.
  return { level: acute ? 'acute' : 'concern', cues: cues.filter((cue) => !cues.some((other) => other !== cue && other.includes(cue))) }
}

function clauseBefore (text: string, index: number): string {
  const before = text.slice(Math.max(0, index - LOOKBEHIND), index)
  let start = before.length
  while (start > 0 && !CLAUSE_BREAK.test(before[start - 1] as string)) start--
  return before.slice(start)
}

function isNegated (before: string): boolean {
  return EN_NEGATED.test(before) || ZH_NEGATED.test(before)
}

/**
 * Well-known, long-standing services only: numbers that change or lapse would do harm here.
 * findahelpline.com (ThroughLine) lists verified free lines for most countries.
 */
export const CRISIS_RESOURCES: Record<Language, readonly string[]> = {
  en: [
    'Find a free, confidential helpline in your country: https://findahelpline.com',
    'United States: call or text 988 (988 Suicide & Crisis Lifeline)',
    'United Kingdom and Ireland: Samaritans, 116 123'
  ],
  zh: [
    '北京心理危机研究与干预中心：010-82951332',
    '全国心理援助热线：400-161-9995',
    '其他国家和地区的求助热线：https://findahelpline.com'
  ]
}

/**
 * The calm reply for an acute signal, whatever the provider said: acknowledge, stay with them,
 * say where help is right now, and ask one question that keeps the conversation open.
 */
export function crisisReply (language: Language, name?: string): string {
  const resources = CRISIS_RESOURCES[language].map((line) => `- ${line}`).join('\n')
  if (language === 'zh') {
    return [
      `${name === undefined ? '' : `${name}，`}谢谢你愿意告诉我。听到你这么说，我很心疼。你现在承受的一定很痛苦，你不需要一个人扛着。`,
      '如果你有伤害自己的打算，或者现在就处在危险中，请立刻拨打 120 或 110，或者去最近的医院急诊。',
      `你也可以随时联系心理危机热线，那里有人愿意听你说：\n${resources}`,
      '如果可以，也请联系一个你信任的人，让他们知道你现在的感受。我也会在这里陪你聊。你现在安全吗？'
    ].join('\n\n')
  }
  return [
    `${name === undefined ? '' : `${name}, `}thank you for telling me. I'm really sorry you're in this much pain, and you don't have to carry it alone.`,
    "If you might act on these thoughts, or you're in danger right now, please call your local emergency number (911 in the US and Canada, 112 in the EU, 999 in the UK) or go to the nearest emergency department.",
    `You can also talk to someone at a crisis line right now:\n${resources}`,
    "If you can, reach out to someone you trust and let them know how you're feeling. I'm here to keep talking with you too. Are you safe right now?"
  ].join('\n\n')
}

/** The short note that leads a reply when the subject comes up without an acute signal. */
export function crisisNote (language: Language): string {
  if (language === 'zh') {
    return '如果这与你自己有关，你正在有自杀或伤害自己的念头，请不要独自承受：可以拨打北京心理危机研究与干预中心 010-82951332 或全国心理援助热线 400-161-9995；如有紧急危险，请拨打 120 或 110。'
  }
  return "If this is about you and you're having thoughts of suicide or self-harm, you don't have to face them alone: you can reach a free helpline through https://findahelpline.com (in the US, call or text 988; in the UK and Ireland, Samaritans on 116 123), or call your local emergency number if you're in danger."
}
