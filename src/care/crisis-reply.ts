import type { Language } from './language.js'

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
    `${name === undefined ? 'Thank you' : `${name}, thank you`} for telling me. I'm really sorry you're in this much pain, and you don't have to carry it alone.`,
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
